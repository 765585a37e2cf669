/**
 * Messages are synthesised on demand from (seed, peer, id) instead of being stored, so a world of
 * 100,000 channels with millions of message ids costs nothing until a reply needs one. Generated
 * specials and mutations (new and edited messages) live in `messageOverrides` and win.
 */
import { markedId } from './ids.ts';
import type { ChannelRecord, MessageMediaSpec, PeerRecord, UserRecord, WorldMessage } from './model.ts';
import { groupTitle, sentence } from './names.ts';
import { Rng, hash64, hashInts } from './random.ts';
import { messageKey, type WorldState } from './state.ts';

/**
 * The message `id` in `peerIndex` as account `accountIndex` sees it, or null when there is none.
 * Channel messages exist for ids 1..topMessageId; in private chats and basic groups (per-account
 * ids) only the dialog's top message and messages added by mutations exist.
 */
export function messageFor(
  state: WorldState,
  accountIndex: number,
  peerIndex: number,
  id: number,
): WorldMessage | null {
  const peer = state.peers[peerIndex];
  const acc = state.accounts[accountIndex];
  if (!peer || !acc || (peer.kind === 'user' && peerIndex === acc.userIndex)) return null;
  const self = state.peers[acc.userIndex] as UserRecord;
  if (peer.kind === 'channel') {
    if (id < 1 || id > peer.topMessageId) return null;
    const base =
      state.messageOverrides.get(messageKey('channel', peerIndex, id)) ?? synthChannelMessage(state, peer, id);
    // Channel messages are shared; only "out" depends on who looks.
    const out = base.from !== null && base.from === self.id;
    return out === base.out ? base : { ...base, out };
  }
  const override = state.messageOverrides.get(messageKey(accountIndex, peerIndex, id));
  if (override) return override;
  const dialog = acc.dialogs.get(peerIndex);
  if (!dialog || dialog.topMessage !== id) return null;
  return synthCommonMessage(state, accountIndex, peer, id, dialog.topDate, dialog.ttlPeriod);
}

function emptyMessage(id: number, peer: bigint, date: number): WorldMessage {
  return {
    id,
    peer,
    date,
    out: false,
    mentioned: false,
    post: false,
    from: null,
    text: '',
    media: null,
    action: null,
    replyToMsgId: null,
    replyToTopId: null,
    fwdFrom: null,
    views: null,
    forwards: null,
    editDate: null,
    postAuthor: null,
    ttlPeriod: null,
  };
}

function synthChannelMessage(state: WorldState, channel: ChannelRecord, id: number): WorldMessage {
  const peer = markedId('channel', channel.id);
  const date = channel.topDate - (channel.topMessageId - id) * channel.messageGap;
  const msg = emptyMessage(id, peer, date);
  const r = new Rng(hashInts(state.seed, 0xc4a, Number(channel.id), id));
  if (channel.broadcast) {
    msg.post = true;
    msg.views = Math.floor(channel.participantsCount * (0.1 + 0.7 * r.float())) + 1;
    msg.forwards = Math.floor(msg.views * 0.01 * r.float());
    if (channel.signatures) msg.postAuthor = `${groupTitle(r)} Editor`;
  } else {
    msg.from = pickSender(state, r);
    msg.mentioned = r.chance(0.03);
  }
  if (id === 1) {
    const origin = channel.migratedFromIndex === null ? null : state.peers[channel.migratedFromIndex];
    msg.action =
      origin && origin.kind === 'chat'
        ? { type: 'migrateFrom', title: origin.title, chatId: origin.id }
        : { type: 'channelCreate', title: channel.title };
    msg.views = null;
    msg.forwards = null;
    msg.postAuthor = null;
    return msg;
  }
  if (r.chance(0.06)) {
    msg.action = { type: 'pinMessage' };
    msg.replyToMsgId = id - 1;
    msg.views = null;
    msg.forwards = null;
    msg.postAuthor = null;
    return msg;
  }
  fillContent(state, msg, r, Number(channel.id));
  if (channel.forum) {
    // Forum messages belong to a topic; topic ids are ids of earlier messages.
    msg.replyToTopId = 1 + (r.next() % Math.max(1, id - 1));
    msg.replyToMsgId = msg.replyToTopId;
  } else if (!channel.broadcast && id > 2 && r.chance(0.2)) {
    msg.replyToMsgId = id - 1 - (r.next() % Math.min(id - 2, 20));
  }
  if (r.chance(0.1)) msg.editDate = date + r.int(10, 3600);
  return msg;
}

function synthCommonMessage(
  state: WorldState,
  accountIndex: number,
  peer: PeerRecord,
  id: number,
  date: number,
  ttlPeriod: number | null,
): WorldMessage {
  const acc = state.accounts[accountIndex];
  const self = state.peers[acc?.userIndex ?? 0] as UserRecord;
  const msg = emptyMessage(id, markedId(peer.kind, peer.id), date);
  const r = new Rng(hashInts(state.seed, 0xc0b, accountIndex, peer.index, id));
  msg.ttlPeriod = ttlPeriod;
  if (peer.kind === 'user') {
    msg.out = r.chance(0.4);
    if (msg.out) msg.from = self.id;
  } else if (peer.kind === 'chat') {
    msg.from = r.chance(0.15) ? self.id : pickSender(state, r);
    msg.out = msg.from === self.id;
    msg.mentioned = !msg.out && r.chance(0.05);
    if (r.chance(0.08)) {
      const roll = r.float();
      msg.action =
        roll < 0.4
          ? { type: 'addUser', userIds: [pickSender(state, r) ?? self.id] }
          : roll < 0.7
            ? { type: 'editTitle', title: peer.title }
            : { type: 'chatCreate', title: peer.title, userIds: [self.id] };
      msg.ttlPeriod = null;
      return msg;
    }
  }
  fillContent(state, msg, r, peer.index);
  if (id > 2 && r.chance(0.15)) msg.replyToMsgId = id - 1 - (r.next() % Math.min(id - 2, 10));
  if (r.chance(0.08)) msg.editDate = date + r.int(10, 3600);
  return msg;
}

/** Group senders: a few chatty users (so one reply repeats them), everyone else, sometimes an account. */
function pickSender(state: WorldState, r: Rng): bigint | null {
  const roll = r.float();
  let index: number | undefined;
  if (roll < 0.45 && state.chattySenders.length > 0) index = r.pick(state.chattySenders);
  else if (roll < 0.9 && state.senderPool.length > 0) index = r.pick(state.senderPool);
  else index = r.pick(state.accounts).userIndex;
  const peer = state.peers[index];
  return peer && peer.kind === 'user' ? peer.id : null;
}

function fillContent(state: WorldState, msg: WorldMessage, r: Rng, salt: number): void {
  msg.text = sentence(r);
  const roll = r.float();
  const k = [state.seed, salt, msg.id];
  let media: MessageMediaSpec | null = null;
  if (roll < 0.15) {
    media = {
      type: 'photo',
      photoId: hash64(...k, 1),
      accessHash: hash64(...k, 2),
      date: msg.date,
      w: 1280,
      h: r.pick([720, 960, 1280]),
      size: r.int(20_000, 400_000),
    };
    if (r.chance(0.5)) msg.text = '';
  } else if (roll < 0.25) {
    const ext = r.pick(['pdf', 'zip', 'mp4', 'txt']);
    media = {
      type: 'document',
      documentId: hash64(...k, 3),
      accessHash: hash64(...k, 4),
      date: msg.date,
      mimeType:
        { pdf: 'application/pdf', zip: 'application/zip', mp4: 'video/mp4', txt: 'text/plain' }[ext] ??
        'application/octet-stream',
      size: r.int(1_000, 50_000_000),
      fileName: `${sentence(r, 1, 2).replace(/\s+/g, '_')}.${ext}`,
    };
  } else if (roll < 0.29) {
    media = {
      type: 'geo',
      lat: Math.round((r.float() * 140 - 70) * 1e6) / 1e6,
      long: Math.round((r.float() * 360 - 180) * 1e6) / 1e6,
      accessHash: hash64(...k, 5),
    };
    msg.text = '';
  } else if (roll < 0.33) {
    const answers = [sentence(r, 1, 2), sentence(r, 1, 2), sentence(r, 1, 2)];
    media = {
      type: 'poll',
      pollId: hash64(...k, 6),
      question: `${sentence(r, 2, 6)}?`,
      answers,
      votes: answers.map(() => r.int(0, 500)),
      closed: r.chance(0.3),
    };
    msg.text = '';
  } else if (roll < 0.43) {
    const site = r.pick(['example.com', 'news.example.org', 'blog.example.net']);
    const url = `https://${site}/${r.int(1, 99_999)}`;
    media = {
      type: 'webpage',
      webpageId: hash64(...k, 7),
      url,
      displayUrl: url.slice(8),
      siteName: site,
      title: sentence(r, 2, 6),
      description: sentence(r, 5, 15),
    };
    msg.text = `${msg.text} ${url}`;
  }
  msg.media = media;
  if (r.chance(0.08)) {
    const fromChannel = state.broadcastPool.length > 0 && r.chance(0.6);
    if (fromChannel) {
      const source = state.peers[r.pick(state.broadcastPool)] as ChannelRecord;
      msg.fwdFrom = {
        from: markedId('channel', source.id),
        date: msg.date - r.int(60, 90 * 86_400),
        channelPost: 1 + (r.next() % source.topMessageId),
      };
    } else if (state.senderPool.length > 0) {
      const source = state.peers[r.pick(state.senderPool)] as UserRecord;
      msg.fwdFrom = { from: source.id, date: msg.date - r.int(60, 90 * 86_400), channelPost: null };
    }
  }
}
