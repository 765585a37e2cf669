/**
 * Per-account views: what one account sees of a user, chat, channel or dialog, as plain data.
 * The TL builders (to-tl.ts) render these, and tests read the same views to compute the rows the
 * job should store, so there is one source of truth for "what Telegram sends to this account".
 */
import { markedId } from './ids.ts';
import type {
  ChannelRecord,
  ChatRecord,
  DialogRecord,
  PeerKind,
  PeerRecord,
  UserRecord,
  UsernameEntry,
  UserStatusKind,
} from './model.ts';
import { hash64 } from './random.ts';
import type { AccountState, WorldState } from './state.ts';

const KIND_CODE: Record<PeerKind, number> = { user: 1, chat: 2, channel: 3 };

/** The full access hash `accountUserId` must use for this peer (0n for basic groups: they have none). */
export function fullAccessHash(state: WorldState, accountUserId: bigint, kind: PeerKind, id: bigint): bigint {
  if (kind === 'chat') return 0n;
  return hash64(state.seed, 0xacc, Number(accountUserId), KIND_CODE[kind], Number(id));
}

/** The hash carried by `min` constructors: the same for every account and accepted by no method. */
export function minAccessHash(state: WorldState, kind: PeerKind, id: bigint): bigint {
  return hash64(state.seed, 0x3111, KIND_CODE[kind], Number(id));
}

export function peerMarkedId(peer: PeerRecord): bigint {
  return markedId(peer.kind, peer.id);
}

/** The main `username` field: the active editable username, if any. */
export function mainUsername(usernames: readonly UsernameEntry[]): string | null {
  return usernames.find((u) => u.active && u.editable)?.username ?? null;
}

/** `usernames[]` is only sent when there is more than one username or a collectible one. */
export function usernamesVector(usernames: readonly UsernameEntry[]): UsernameEntry[] | null {
  if (usernames.length > 1 || (usernames.length === 1 && !usernames[0]?.editable))
    return usernames.map((u) => ({ ...u }));
  return null;
}

export interface UserView {
  readonly kind: 'user';
  id: bigint;
  /** Reduced constructor: no phone, no contact names, and an access hash that no method accepts. */
  min: boolean;
  accessHash: bigint;
  self: boolean;
  contact: boolean;
  mutualContact: boolean;
  bot: boolean;
  /** Deleted account: no names, usernames, phone, photo or status. */
  deleted: boolean;
  /** Contact name when the account saved the user as a contact (full views only). */
  firstName: string;
  lastName: string | null;
  username: string | null;
  usernames: UsernameEntry[] | null;
  phone: string | null;
  photoId: bigint | null;
  verified: boolean;
  premium: boolean;
  scam: boolean;
  /** How `status` behaves; 'active' users alternate UserStatusOnline/Offline on every call. */
  statusKind: UserStatusKind;
}

export interface ChatView {
  readonly kind: 'chat';
  id: bigint;
  title: string;
  photoId: bigint | null;
  participantsCount: number;
  date: number;
  version: number;
  left: boolean;
  creator: boolean;
  deactivated: boolean;
  migratedTo: { channelId: bigint; accessHash: bigint } | null;
}

export interface ChatForbiddenView {
  readonly kind: 'chatForbidden';
  id: bigint;
  title: string;
}

export interface ChannelView {
  readonly kind: 'channel';
  id: bigint;
  min: boolean;
  accessHash: bigint;
  title: string;
  broadcast: boolean;
  megagroup: boolean;
  forum: boolean;
  verified: boolean;
  signatures: boolean;
  username: string | null;
  usernames: UsernameEntry[] | null;
  photoId: bigint | null;
  date: number;
  participantsCount: number | null;
  left: boolean;
  creator: boolean;
  admin: boolean;
}

export interface ChannelForbiddenView {
  readonly kind: 'channelForbidden';
  id: bigint;
  accessHash: bigint;
  title: string;
  broadcast: boolean;
  megagroup: boolean;
  /** The end of a temporary ban (Unix seconds), or null. */
  untilDate: number | null;
}

export type AnyChatView = ChatView | ChatForbiddenView | ChannelView | ChannelForbiddenView;

export interface DialogView {
  /** Marked id of the dialog's peer. */
  peer: bigint;
  topMessage: number;
  readInboxMaxId: number;
  readOutboxMaxId: number;
  unreadCount: number;
  unreadMentionsCount: number;
  unreadReactionsCount: number;
  unreadMark: boolean;
  pinned: boolean;
  /** null when the dialog is in the main list (the flag is absent then). */
  folderId: number | null;
  notifySettings: { muteUntil: number | null; silent: boolean | null; showPreviews: boolean | null };
  /** Channels only. */
  pts: number | null;
  draft: { text: string; date: number } | null;
  ttlPeriod: number | null;
}

/** Does the account know this user well enough to get the full constructor in every context? */
export function knowsUser(acc: AccountState, userIndex: number): boolean {
  return userIndex === acc.userIndex || acc.dialogs.has(userIndex) || acc.contacts.has(userIndex);
}

/**
 * @param allowMin true in contexts where Telegram sends min users (senders and forward sources
 *   inside channels and supergroups); the user is then min unless the account knows it.
 */
export function userView(state: WorldState, acc: AccountState, user: UserRecord, allowMin: boolean): UserView {
  const min = allowMin && !knowsUser(acc, user.index);
  const self = user.index === acc.userIndex;
  if (user.deleted) {
    return {
      kind: 'user',
      id: user.id,
      min,
      accessHash: min
        ? minAccessHash(state, 'user', user.id)
        : fullAccessHash(state, acc.account.userId, 'user', user.id),
      self,
      contact: false,
      mutualContact: false,
      bot: user.bot,
      deleted: true,
      firstName: '',
      lastName: null,
      username: null,
      usernames: null,
      phone: null,
      photoId: null,
      verified: false,
      premium: false,
      scam: false,
      statusKind: 'none',
    };
  }
  const contact = min || self ? undefined : acc.contacts.get(user.index);
  return {
    kind: 'user',
    id: user.id,
    min,
    accessHash: min
      ? minAccessHash(state, 'user', user.id)
      : fullAccessHash(state, acc.account.userId, 'user', user.id),
    self,
    contact: contact !== undefined,
    mutualContact: contact?.mutual ?? false,
    bot: user.bot,
    deleted: false,
    firstName: contact ? contact.firstName : user.firstName,
    lastName: (contact ? contact.lastName : user.lastName) || null,
    username: mainUsername(user.usernames),
    usernames: usernamesVector(user.usernames),
    phone: !min && (self || contact) ? user.phone : null,
    photoId: user.photoId,
    verified: user.verified,
    premium: user.premium,
    scam: user.scam,
    statusKind: user.statusKind,
  };
}

export function isChannelMember(acc: AccountState, channel: ChannelRecord): boolean {
  return !channel.deleted && acc.dialogs.get(channel.index)?.membership === 'member';
}

/** Can this account see the channel at all (Channel rather than ChannelForbidden / CHANNEL_PRIVATE)? */
export function canSeeChannel(acc: AccountState, channel: ChannelRecord): boolean {
  if (channel.deleted) return false;
  const membership = acc.dialogs.get(channel.index)?.membership;
  if (membership === 'kicked' || membership === 'banned') return false;
  return membership === 'member' || channel.usernames.some((u) => u.active);
}

/** Banned with the dialog kept: getPeerDialogs answers with the dialog and a channelForbidden, no error. */
export function isBannedWithDialog(acc: AccountState, channel: ChannelRecord): boolean {
  return !channel.deleted && acc.dialogs.get(channel.index)?.membership === 'banned';
}

export function channelView(
  state: WorldState,
  acc: AccountState,
  channel: ChannelRecord,
  allowMin: boolean,
): ChannelView | ChannelForbiddenView {
  const fullHash = fullAccessHash(state, acc.account.userId, 'channel', channel.id);
  if (!canSeeChannel(acc, channel)) {
    const dialog = acc.dialogs.get(channel.index);
    const untilDate = dialog?.membership === 'banned' ? (dialog.bannedUntil ?? null) : null;
    return {
      kind: 'channelForbidden',
      id: channel.id,
      accessHash: fullHash,
      title: channel.title,
      broadcast: channel.broadcast,
      megagroup: !channel.broadcast,
      untilDate,
    };
  }
  const dialog = acc.dialogs.get(channel.index);
  const member = isChannelMember(acc, channel);
  const min = allowMin && !dialog;
  return {
    kind: 'channel',
    id: channel.id,
    min,
    accessHash: min ? minAccessHash(state, 'channel', channel.id) : fullHash,
    title: channel.title,
    broadcast: channel.broadcast,
    megagroup: !channel.broadcast,
    forum: channel.forum,
    verified: channel.verified,
    signatures: channel.signatures,
    username: mainUsername(channel.usernames),
    usernames: usernamesVector(channel.usernames),
    photoId: channel.photoId,
    date: channel.createdDate,
    participantsCount: min ? null : channel.participantsCount,
    left: !min && !member,
    creator: !min && member && (dialog?.creator ?? false),
    admin: !min && member && (dialog?.admin ?? false),
  };
}

export function chatView(state: WorldState, acc: AccountState, chat: ChatRecord): ChatView | ChatForbiddenView {
  const dialog = acc.dialogs.get(chat.index);
  if (dialog?.membership === 'kicked') return { kind: 'chatForbidden', id: chat.id, title: chat.title };
  const target = chat.migratedToIndex === null ? null : (state.peers[chat.migratedToIndex] as ChannelRecord);
  return {
    kind: 'chat',
    id: chat.id,
    title: chat.title,
    photoId: chat.photoId,
    participantsCount: chat.participantsCount,
    date: chat.createdDate,
    version: chat.version,
    left: !dialog || dialog.membership === 'left',
    creator: false,
    deactivated: target !== null,
    migratedTo: target
      ? { channelId: target.id, accessHash: fullAccessHash(state, acc.account.userId, 'channel', target.id) }
      : null,
  };
}

/** View of any non-user peer (basic group or channel). */
export function anyChatView(
  state: WorldState,
  acc: AccountState,
  peer: ChatRecord | ChannelRecord,
  allowMin: boolean,
): AnyChatView {
  return peer.kind === 'chat' ? chatView(state, acc, peer) : channelView(state, acc, peer, allowMin);
}

export function dialogView(state: WorldState, dialog: DialogRecord): DialogView {
  const peer = state.peers[dialog.peerIndex] as PeerRecord;
  return {
    peer: peerMarkedId(peer),
    topMessage: dialog.topMessage,
    readInboxMaxId: dialog.readInboxMaxId,
    readOutboxMaxId: dialog.readOutboxMaxId,
    unreadCount: dialog.unreadCount,
    unreadMentionsCount: dialog.unreadMentionsCount,
    unreadReactionsCount: dialog.unreadReactionsCount,
    unreadMark: dialog.unreadMark,
    pinned: dialog.pinnedRank > 0,
    folderId: dialog.folderId === 0 ? null : dialog.folderId,
    notifySettings: { muteUntil: dialog.muteUntil, silent: dialog.silent, showPreviews: dialog.showPreviews },
    pts: peer.kind === 'channel' ? peer.pts : null,
    draft: dialog.draft ? { ...dialog.draft } : null,
    ttlPeriod: dialog.ttlPeriod,
  };
}
