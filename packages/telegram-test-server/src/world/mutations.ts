/**
 * Changes to a running world, with the side effects Telegram would have: a new message becomes the
 * top message and bumps unread counters and pts (the channel's own pts for channels, the account-wide
 * pts for private chats and basic groups), an edit bumps pts, a title change posts a service message,
 * a private or deleted channel becomes CHANNEL_PRIVATE / channelForbidden, and so on.
 *
 * All functions take peers by marked id and accounts by user id, and throw a plain Error for
 * programming mistakes in tests (unknown peer, duplicate username).
 */
import { addChannel, addDialog } from './builder.ts';
import { invalidateAccount } from './dialog-lists.ts';
import { markedId } from './ids.ts';
import { messageFor } from './messages.ts';
import type {
  ChannelRecord,
  DialogRecord,
  MessageMediaSpec,
  PeerRecord,
  ServiceActionSpec,
  UserRecord,
  UsernameEntry,
  WorldMessage,
} from './model.ts';
import { messageKey, type AccountState, type WorldState } from './state.ts';

export function requirePeer(state: WorldState, marked: bigint): PeerRecord {
  const index = state.byMarkedId.get(marked);
  const peer = index === undefined ? undefined : state.peers[index];
  if (!peer) throw new Error(`world: no peer with marked id ${marked}`);
  return peer;
}

export function requireAccount(state: WorldState, userId: bigint): AccountState {
  const acc = state.accounts.find((a) => a.account.userId === userId);
  if (!acc) throw new Error(`world: no account with user id ${userId}`);
  return acc;
}

export interface NewMessageOptions {
  text?: string;
  media?: MessageMediaSpec | null;
  /** Sender (user id). Default: for groups a non-account user; for private chats the peer user. */
  fromUserId?: bigint;
  /** Private chats: whose chat with the peer user (required there). */
  accountUserId?: bigint;
  /** Private chats: sent by the account (true) or received (false, default). */
  out?: boolean;
  /** A service message instead of text. */
  action?: ServiceActionSpec;
}

/** Message ids of one posted message: per channel, or per account for private chats and basic groups. */
export interface PostedMessage {
  /** Account user id → message id as that account sees it (accounts with a dialog only). */
  readonly ids: ReadonlyMap<bigint, number>;
  /** The channel's message id, for channels. */
  readonly channelMessageId: number | null;
}

function newDate(state: WorldState, after: number): number {
  return Math.max(state.clock(), after + 1);
}

function baseMessage(
  id: number,
  peer: bigint,
  date: number,
  from: bigint | null,
  options: NewMessageOptions,
): WorldMessage {
  return {
    id,
    peer,
    date,
    out: false,
    mentioned: false,
    post: false,
    from,
    text: options.action ? '' : (options.text ?? ''),
    media: options.action ? null : (options.media ?? null),
    action: options.action ?? null,
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

function defaultGroupSender(state: WorldState): bigint | null {
  const index = state.senderPool[0];
  return index === undefined ? null : (state.peers[index] as UserRecord).id;
}

function bumpTop(dialog: DialogRecord, id: number, date: number, incoming: boolean): void {
  dialog.topMessage = id;
  dialog.topDate = date;
  if (incoming) {
    dialog.unreadCount++;
  } else {
    // Sending marks the chat read, as Telegram does.
    dialog.unreadCount = 0;
    dialog.unreadMentionsCount = 0;
    dialog.readInboxMaxId = id;
  }
  dialog.unreadMark = false;
}

/** A fresh dialog, as Telegram creates one when a first message arrives in a private chat. */
export function newDialogRecord(peerIndex: number): DialogRecord {
  return {
    peerIndex,
    topMessage: 0,
    topDate: 0,
    readInboxMaxId: 0,
    readOutboxMaxId: 0,
    unreadCount: 0,
    unreadMentionsCount: 0,
    unreadReactionsCount: 0,
    unreadMark: false,
    pinnedRank: 0,
    folderId: 0,
    muteUntil: null,
    silent: null,
    showPreviews: null,
    draft: null,
    ttlPeriod: null,
    membership: 'member',
    creator: false,
    admin: false,
  };
}

export function postMessage(state: WorldState, peerMarked: bigint, options: NewMessageOptions = {}): PostedMessage {
  const peer = requirePeer(state, peerMarked);
  const ids = new Map<bigint, number>();

  if (peer.kind === 'channel') {
    const id = ++peer.topMessageId;
    const date = newDate(state, peer.topDate);
    peer.topDate = date;
    peer.pts++;
    const from = peer.broadcast ? null : (options.fromUserId ?? defaultGroupSender(state));
    const msg = baseMessage(id, peerMarked, date, from, options);
    if (peer.broadcast && !options.action) {
      msg.post = true;
      msg.views = 1;
      msg.forwards = 0;
    }
    state.messageOverrides.set(messageKey('channel', peer.index, id), msg);
    for (const acc of state.accounts) {
      const dialog = acc.dialogs.get(peer.index);
      if (!dialog || dialog.membership !== 'member') continue; // a kicked account's dialog stays frozen
      const self = state.peers[acc.userIndex] as UserRecord;
      bumpTop(dialog, id, date, from !== self.id);
      ids.set(acc.account.userId, id);
      invalidateAccount(acc);
    }
    return { ids, channelMessageId: id };
  }

  if (peer.kind === 'chat') {
    const from = options.fromUserId ?? defaultGroupSender(state);
    for (const acc of state.accounts) {
      const dialog = acc.dialogs.get(peer.index);
      if (!dialog || dialog.membership !== 'member') continue;
      const id = ++acc.lastCommonMessageId;
      acc.pts++;
      const date = newDate(state, dialog.topDate);
      const self = state.peers[acc.userIndex] as UserRecord;
      const msg = baseMessage(id, peerMarked, date, from, options);
      msg.out = from === self.id;
      state.messageOverrides.set(messageKey(acc.account.index, peer.index, id), msg);
      bumpTop(dialog, id, date, !msg.out);
      ids.set(acc.account.userId, id);
      invalidateAccount(acc);
    }
    return { ids, channelMessageId: null };
  }

  // Private chat: the account's copy, plus the other side's copy when the peer is an account too.
  if (options.accountUserId === undefined) throw new Error('world.postMessage: private chats need accountUserId');
  const acc = requireAccount(state, options.accountUserId);
  const out = options.out ?? false;
  const sides: Array<{ acc: AccountState; other: PeerRecord; out: boolean }> = [{ acc, other: peer, out }];
  if (peer.accountIndex !== null) {
    const otherAcc = state.accounts[peer.accountIndex];
    if (otherAcc && !otherAcc.account.isBot)
      sides.push({ acc: otherAcc, other: state.peers[acc.userIndex] as PeerRecord, out: !out });
  }
  for (const side of sides) {
    let dialog = side.acc.dialogs.get(side.other.index);
    if (!dialog) {
      dialog = newDialogRecord(side.other.index);
      side.acc.dialogs.set(side.other.index, dialog);
    }
    const id = ++side.acc.lastCommonMessageId;
    side.acc.pts++;
    const date = newDate(state, dialog.topDate);
    const self = state.peers[side.acc.userIndex] as UserRecord;
    const msg = baseMessage(id, markedId('user', side.other.id), date, side.out ? self.id : null, options);
    msg.out = side.out;
    state.messageOverrides.set(messageKey(side.acc.account.index, side.other.index, id), msg);
    bumpTop(dialog, id, date, !side.out);
    ids.set(side.acc.account.userId, id);
    invalidateAccount(side.acc);
  }
  return { ids, channelMessageId: null };
}

/**
 * Edits a message's text (editDate = now). Channel messages are shared: one edit, channel pts + 1.
 * Private-chat and basic-group messages are per account: pass the account whose copy changes
 * (account-wide pts + 1).
 */
export function editMessage(
  state: WorldState,
  peerMarked: bigint,
  messageId: number,
  text: string,
  accountUserId?: bigint,
): void {
  const peer = requirePeer(state, peerMarked);
  const acc =
    peer.kind === 'channel'
      ? state.accounts[0]
      : accountUserId === undefined
        ? undefined
        : requireAccount(state, accountUserId);
  if (!acc) throw new Error('world.editMessage: private chats and basic groups need accountUserId');
  const current = messageFor(state, acc.account.index, peer.index, messageId);
  if (!current) throw new Error(`world.editMessage: no message ${messageId} in ${peerMarked}`);
  if (current.action) throw new Error('world.editMessage: service messages cannot be edited');
  const edited: WorldMessage = { ...current, text, editDate: Math.max(state.clock(), current.date + 1) };
  if (peer.kind === 'channel') {
    edited.out = false; // stored shared; messageFor recomputes `out` per viewer
    state.messageOverrides.set(messageKey('channel', peer.index, messageId), edited);
    peer.pts++;
  } else {
    state.messageOverrides.set(messageKey(acc.account.index, peer.index, messageId), edited);
    acc.pts++;
  }
}

/** Renames a user (own name; contact names saved by accounts stay), or retitles a group/channel
 * with the service message Telegram posts for it. */
export function renamePeer(
  state: WorldState,
  peerMarked: bigint,
  name: { firstName?: string; lastName?: string; title?: string },
): void {
  const peer = requirePeer(state, peerMarked);
  if (peer.kind === 'user') {
    if (name.firstName !== undefined) peer.firstName = name.firstName;
    if (name.lastName !== undefined) peer.lastName = name.lastName;
    return;
  }
  if (name.title === undefined) throw new Error('world.renamePeer: groups and channels need a title');
  peer.title = name.title;
  postMessage(state, peerMarked, { action: { type: 'editTitle', title: name.title } });
}

function usernamesOf(peer: PeerRecord): UsernameEntry[] {
  if (peer.kind === 'chat') throw new Error('world: basic groups have no usernames');
  return peer.usernames;
}

/** Replaces all usernames of a user or channel; keeps the username index in step. */
export function setUsernames(state: WorldState, peerMarked: bigint, entries: readonly UsernameEntry[]): void {
  const peer = requirePeer(state, peerMarked);
  const current = usernamesOf(peer);
  for (const e of entries) {
    const owner = state.byUsername.get(e.username.toLowerCase());
    if (owner !== undefined && owner !== peer.index) throw new Error(`world: username ${e.username} is taken`);
  }
  for (const u of current)
    if (state.byUsername.get(u.username.toLowerCase()) === peer.index)
      state.byUsername.delete(u.username.toLowerCase());
  const next = entries.map((e) => ({ ...e }));
  if (peer.kind === 'user') peer.usernames = next;
  else if (peer.kind === 'channel') peer.usernames = next;
  if (!(peer.kind === 'channel' && peer.deleted))
    for (const u of next) if (u.active) state.byUsername.set(u.username.toLowerCase(), peer.index);
  for (const acc of state.accounts) invalidateAccount(acc);
}

export function addUsername(
  state: WorldState,
  peerMarked: bigint,
  username: string,
  flags: { active?: boolean; editable?: boolean } = {},
): void {
  const peer = requirePeer(state, peerMarked);
  setUsernames(state, peerMarked, [
    ...usernamesOf(peer),
    { username, active: flags.active ?? true, editable: flags.editable ?? false },
  ]);
}

export function removeUsername(state: WorldState, peerMarked: bigint, username: string): void {
  const peer = requirePeer(state, peerMarked);
  setUsernames(
    state,
    peerMarked,
    usernamesOf(peer).filter((u) => u.username.toLowerCase() !== username.toLowerCase()),
  );
}

/** Changes the editable username (adds one if the peer has none). */
export function changeUsername(state: WorldState, peerMarked: bigint, username: string): void {
  const peer = requirePeer(state, peerMarked);
  const list = usernamesOf(peer).map((u) => ({ ...u }));
  const editable = list.find((u) => u.editable);
  if (editable) editable.username = username;
  else list.unshift({ username, active: true, editable: true });
  setUsernames(state, peerMarked, list);
}

function requireChannel(state: WorldState, marked: bigint): ChannelRecord {
  const peer = requirePeer(state, marked);
  if (peer.kind !== 'channel') throw new Error(`world: ${marked} is not a channel`);
  return peer;
}

/** The channel drops its public usernames: accounts that are not members get CHANNEL_PRIVATE. */
export function makeChannelPrivate(state: WorldState, marked: bigint): void {
  const channel = requireChannel(state, marked);
  if (channel.usernames.length === 0) return;
  channel.stashedUsernames = channel.usernames.map((u) => ({ ...u }));
  setUsernames(state, marked, []);
}

/** The account is banned: CHANNEL_PRIVATE (channel) or chatForbidden (basic group) from now on. */
export function kickAccount(state: WorldState, accountUserId: bigint, marked: bigint): void {
  const acc = requireAccount(state, accountUserId);
  const peer = requirePeer(state, marked);
  if (peer.kind === 'user') throw new Error('world.kickAccount: not a group or channel');
  const dialog = acc.dialogs.get(peer.index);
  if (!dialog) throw new Error('world.kickAccount: the account has no dialog with that peer');
  dialog.membership = 'kicked';
  invalidateAccount(acc);
}

/**
 * The account is banned from a channel or supergroup and keeps the dialog (Telegram's "banned" state):
 * getPeerDialogs still succeeds, with the dialog frozen and the channel as channelForbidden
 * (`until_date` = `untilDate` for a temporary ban); nothing new arrives in the dialog.
 */
export function banAccount(
  state: WorldState,
  accountUserId: bigint,
  marked: bigint,
  options: { untilDate?: number } = {},
): void {
  const acc = requireAccount(state, accountUserId);
  const channel = requireChannel(state, marked);
  const dialog = acc.dialogs.get(channel.index);
  if (!dialog) throw new Error('world.banAccount: the account has no dialog with that channel');
  dialog.membership = 'banned';
  if (options.untilDate === undefined) delete dialog.bannedUntil;
  else dialog.bannedUntil = options.untilDate;
  invalidateAccount(acc);
}

/**
 * The account's dialog with the peer vanishes (it deleted the chat, left the channel or group) while
 * the peer itself stays: a user or a public channel still resolves, and getPeerDialogs omits it (no
 * error). A private channel left this way answers CHANNEL_PRIVATE, a basic group PEER_ID_INVALID, as
 * for any peer without a dialog. A new private message brings a user's dialog back (postMessage),
 * `addDialog` any other.
 */
export function deleteDialog(state: WorldState, accountUserId: bigint, marked: bigint): void {
  const acc = requireAccount(state, accountUserId);
  const peer = requirePeer(state, marked);
  if (!acc.dialogs.delete(peer.index)) throw new Error('world.deleteDialog: the account has no dialog with that peer');
  invalidateAccount(acc);
}

/** The owner deletes the channel: CHANNEL_PRIVATE everywhere, usernames freed, dialogs gone. */
export function deleteChannel(state: WorldState, marked: bigint): void {
  const channel = requireChannel(state, marked);
  channel.deleted = true;
  for (const u of channel.usernames)
    if (state.byUsername.get(u.username.toLowerCase()) === channel.index)
      state.byUsername.delete(u.username.toLowerCase());
  for (const acc of state.accounts) invalidateAccount(acc);
}

/**
 * Undoes deleteChannel, makeChannelPrivate, kickAccount and banAccount for the peer (for one account, or all
 * when `accountUserId` is omitted).
 */
export function restoreAccess(state: WorldState, marked: bigint, accountUserId?: bigint): void {
  const peer = requirePeer(state, marked);
  if (peer.kind === 'channel') {
    if (peer.deleted) {
      peer.deleted = false;
      for (const u of peer.usernames) if (u.active) state.byUsername.set(u.username.toLowerCase(), peer.index);
    }
    if (peer.stashedUsernames) {
      const stashed = peer.stashedUsernames;
      peer.stashedUsernames = null;
      setUsernames(state, marked, stashed);
    }
  }
  for (const acc of state.accounts) {
    if (accountUserId !== undefined && acc.account.userId !== accountUserId) continue;
    const dialog = acc.dialogs.get(peer.index);
    if (dialog && (dialog.membership === 'kicked' || dialog.membership === 'banned')) {
      dialog.membership = 'member';
      delete dialog.bannedUntil;
    }
    invalidateAccount(acc);
  }
}

/** The user deletes their account: User{deleted: true}, names and usernames gone, usernames freed. */
export function deleteUserAccount(state: WorldState, userId: bigint): void {
  const peer = requirePeer(state, userId);
  if (peer.kind !== 'user' || peer.accountIndex !== null)
    throw new Error('world.deleteUserAccount: not a (non-account) user');
  setUsernames(state, userId, []);
  peer.deleted = true;
}

/** Text PostgreSQL rejects in TEXT columns (NUL) in a new message. */
export const NUL_TEXT = 'before\u0000after';

/** Mutable per-account dialog fields a test may set directly. */
export type DialogPatch = Partial<
  Pick<
    DialogRecord,
    | 'readInboxMaxId'
    | 'readOutboxMaxId'
    | 'unreadCount'
    | 'unreadMentionsCount'
    | 'unreadReactionsCount'
    | 'unreadMark'
    | 'pinnedRank'
    | 'folderId'
    | 'muteUntil'
    | 'silent'
    | 'showPreviews'
    | 'draft'
    | 'ttlPeriod'
    | 'membership'
    | 'creator'
    | 'admin'
  >
>;

export function patchDialog(state: WorldState, accountUserId: bigint, marked: bigint, patch: DialogPatch): void {
  const acc = requireAccount(state, accountUserId);
  const peer = requirePeer(state, marked);
  const dialog = acc.dialogs.get(peer.index);
  if (!dialog) throw new Error('world.patchDialog: the account has no dialog with that peer');
  Object.assign(dialog, patch);
  invalidateAccount(acc);
}

/**
 * Upgrades a basic group to a supergroup, as Telegram does when a group grows: a new megagroup with
 * the group's title; the group gets `migrated_to` (and is deactivated), its last message becomes the
 * migration notice; every account that is a member of the group becomes a member of the supergroup,
 * whose first message is the "migrated from" notice. Returns the supergroup's marked id.
 */
export function upgradeGroup(state: WorldState, chatMarked: bigint, options: { channelId?: bigint } = {}): bigint {
  const chat = requirePeer(state, chatMarked);
  if (chat.kind !== 'chat') throw new Error(`world.upgradeGroup: ${chatMarked} is not a basic group`);
  if (chat.migratedToIndex !== null) throw new Error(`world.upgradeGroup: ${chatMarked} was upgraded already`);
  const channelMarked = addChannel(state, {
    ...(options.channelId === undefined ? {} : { id: options.channelId }),
    title: chat.title,
    broadcast: false,
    participantsCount: chat.participantsCount,
    topMessageId: 1,
  });
  const channel = requirePeer(state, channelMarked) as ChannelRecord;
  const members = state.accounts.filter((acc) => acc.dialogs.get(chat.index)?.membership === 'member');
  postMessage(state, chatMarked, { action: { type: 'migrateTo', channelId: channel.id } });
  chat.migratedToIndex = channel.index;
  channel.migratedFromIndex = chat.index;
  for (const acc of members) addDialog(state, acc.account.userId, channelMarked);
  for (const acc of state.accounts) invalidateAccount(acc);
  return channelMarked;
}
