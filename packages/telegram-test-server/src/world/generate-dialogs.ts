/**
 * Per-account dialogs of a generated world: which peers each account has a dialog with (a seeded
 * coin per account and peer, so accounts overlap), and each dialog's per-account state (counters,
 * read positions, pin/folder/mute, drafts, membership), plus contacts with their saved names.
 * Private chats and basic groups get per-account message ids that grow with time.
 */
import { markedId } from './ids.ts';
import type { ChannelRecord, DialogRecord, PeerRecord, UserRecord } from './model.ts';
import { sentence } from './names.ts';
import { Rng, hashInts, hashToUnit } from './random.ts';
import { messageKey, type AccountState, type WorldState } from './state.ts';

const DAY = 86_400;
const MUTE_FOREVER = 2_147_483_647;

/**
 * @param base index of the first non-account peer
 * @param fixedCount the first `fixedCount` peers are in account 0's dialogs except the last one
 */
export function generateDialogs(
  state: WorldState,
  acc: AccountState,
  ratio: number,
  base: number,
  fixedCount: number,
): void {
  const { peers, seed, epoch } = state;
  const a = acc.account.index;
  const commonDialogs: DialogRecord[] = [];
  let pinnedMain = 0;
  for (const peer of peers) {
    if (peer.index === acc.userIndex) continue;
    const i = peer.index - base; // position among non-account peers (negative for accounts)
    const inDialog =
      a === 0 && i >= 0 && i < fixedCount ? i !== fixedCount - 1 : hashToUnit(seed, 0xd1a, a, peer.index) < ratio;
    const r = new Rng(hashInts(seed, 0xd1b, a, peer.index));
    if (peer.kind === 'user' && !peer.bot && (inDialog ? r.chance(0.3) || (i === 0 && a === 0) : r.chance(0.03))) {
      const own = r.chance(0.6);
      acc.contacts.set(peer.index, {
        firstName: own ? peer.firstName : `${peer.firstName} (${sentence(r, 1, 1)})`,
        lastName: own ? peer.lastName : '',
        mutual: r.chance(0.5),
      });
    }
    if (!inDialog) continue;

    const fixed = i >= 0 && i < fixedCount;
    let membership: DialogRecord['membership'] = 'member';
    if (!fixed && peer.kind === 'chat') {
      const m = r.float();
      membership = m < 0.03 ? 'kicked' : m < 0.06 ? 'left' : 'member';
    } else if (!fixed && peer.kind === 'channel' && r.chance(0.02)) {
      membership = 'kicked';
    }
    const isChannel = peer.kind === 'channel';
    const topMessage = isChannel ? peer.topMessageId : 0; // common-box ids are assigned below
    const topDate = isChannel ? peer.topDate : epoch - Math.floor(r.float() ** 2 * 400 * DAY) - 1;
    const unreadCount = r.chance(0.4) ? 0 : Math.floor(r.float() ** 3 * 300) + 1;
    const isGroup = peer.kind === 'chat' || (isChannel && !peer.broadcast);
    const mentions = isGroup && r.chance(0.1) ? Math.min(unreadCount, r.int(1, 5)) : 0;
    const m = r.float();
    const muteUntil =
      m < 0.7
        ? null
        : m < 0.85
          ? MUTE_FOREVER
          : m < 0.95
            ? epoch + r.int(1, 30) * DAY
            : r.chance(0.5)
              ? 0
              : epoch - r.int(1, 30) * DAY;
    const folderId: 0 | 1 = r.chance(0.1) ? 1 : 0;
    const pinned = folderId === 0 && (fixed ? i === 1 || i === 3 : r.chance(0.01)) && pinnedMain < 5;
    if (pinned) pinnedMain++;
    const dialog: DialogRecord = {
      peerIndex: peer.index,
      topMessage,
      topDate,
      readInboxMaxId: 0,
      readOutboxMaxId: 0,
      unreadCount,
      unreadMentionsCount: mentions,
      unreadReactionsCount: r.chance(0.05) ? r.int(1, 3) : 0,
      unreadMark: unreadCount === 0 && r.chance(0.05),
      pinnedRank: pinned ? pinnedMain : 0,
      folderId,
      muteUntil,
      silent: r.chance(0.05) ? true : null,
      showPreviews: r.chance(0.05) ? false : null,
      draft:
        r.chance(0.04) || (fixed && i === 0) ? { text: sentence(r, 1, 6), date: epoch - r.int(60, 10 * DAY) } : null,
      ttlPeriod: !isChannel && r.chance(0.03) ? r.pick([86_400, 604_800, 2_678_400]) : null,
      membership,
      creator: isChannel && r.chance(0.03),
      admin: isChannel && r.chance(0.06),
    };
    acc.dialogs.set(peer.index, dialog);
    if (isChannel) {
      setReadPositions(dialog, r);
    } else {
      commonDialogs.push(dialog);
    }
  }

  // Private chats and basic groups share one per-account message id sequence that grows with time.
  commonDialogs.sort((x, y) => x.topDate - y.topDate || x.peerIndex - y.peerIndex);
  let lastId = 0;
  for (const d of commonDialogs) {
    lastId += 1 + (hashInts(seed, 0x1d5, a, d.peerIndex) % 40);
    d.topMessage = lastId;
    setReadPositions(d, new Rng(hashInts(seed, 0x4ead, a, d.peerIndex)));
    const peer = peers[d.peerIndex] as PeerRecord;
    if (peer.kind === 'chat' && peer.migratedToIndex !== null) {
      // The last message of a migrated basic group is the migration notice.
      const channel = peers[peer.migratedToIndex] as ChannelRecord;
      state.messageOverrides.set(messageKey(a, d.peerIndex, d.topMessage), {
        id: d.topMessage,
        peer: markedId('chat', peer.id),
        date: d.topDate,
        out: false,
        mentioned: false,
        post: false,
        from: markedId('user', (peers[state.senderPool[0] ?? acc.userIndex] as UserRecord).id),
        text: '',
        media: null,
        action: { type: 'migrateTo', channelId: channel.id },
        replyToMsgId: null,
        replyToTopId: null,
        fwdFrom: null,
        views: null,
        forwards: null,
        editDate: null,
        postAuthor: null,
        ttlPeriod: null,
      });
      d.unreadCount = 0;
      d.unreadMentionsCount = 0;
      d.readInboxMaxId = d.topMessage;
    }
  }
  acc.lastCommonMessageId = lastId;
  acc.pts = lastId + (hashInts(seed, 0x975, a) % 5000);
  acc.seq = 1 + (hashInts(seed, 0x5e9, a) % 500);
}

function setReadPositions(d: DialogRecord, r: Rng): void {
  d.unreadCount = Math.min(d.unreadCount, Math.max(0, d.topMessage - 1));
  d.unreadMentionsCount = Math.min(d.unreadMentionsCount, d.unreadCount);
  d.readInboxMaxId = d.topMessage - d.unreadCount;
  d.readOutboxMaxId = Math.max(0, d.topMessage - r.int(0, 30));
}
