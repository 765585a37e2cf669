/**
 * The world's data model: plain records, kept in `bigint` for ids and hashes.
 *
 * Records hold only *content* (what stays equal between calls unless the world is mutated).
 * Volatile fields (online status, view counts, file references, the state's date) are derived
 * per reply in to-tl.ts, and per-account views ("as seen by account X") in views.ts.
 */

/** Telegram's three overlapping id spaces. */
export type PeerKind = 'user' | 'chat' | 'channel';

/** One entry of `usernames[]` (Telegram's `username` constructor). */
export interface UsernameEntry {
  username: string;
  /** Shown on the profile and resolvable. */
  active: boolean;
  /** The one username the owner can change itself; collectible (Fragment) usernames are not editable. */
  editable: boolean;
}

/** How a user's online status behaves; only 'active' users change status on every call. */
export type UserStatusKind = 'active' | 'recently' | 'lastWeek' | 'none';

export interface UserRecord {
  readonly kind: 'user';
  readonly index: number;
  readonly id: bigint;
  bot: boolean;
  firstName: string;
  lastName: string;
  /** International digits without '+'; null when the user has none (bots). */
  phone: string | null;
  usernames: UsernameEntry[];
  photoId: bigint | null;
  verified: boolean;
  premium: boolean;
  scam: boolean;
  statusKind: UserStatusKind;
  /** A deleted account: sent as User{deleted} without names, username, phone, photo or status. */
  deleted: boolean;
  /** Base of UserStatusOffline.wasOnline; the reply adds a per-call drift. */
  lastSeen: number;
  /** Index into world.accounts when this user is one of the accounts, else null. */
  accountIndex: number | null;
}

export interface ChatRecord {
  readonly kind: 'chat';
  readonly index: number;
  readonly id: bigint;
  title: string;
  photoId: bigint | null;
  participantsCount: number;
  createdDate: number;
  version: number;
  /** Peer index of the supergroup this basic group was migrated to (Chat.migrated_to), or null. */
  migratedToIndex: number | null;
}

export interface ChannelRecord {
  readonly kind: 'channel';
  readonly index: number;
  readonly id: bigint;
  title: string;
  photoId: bigint | null;
  /** Broadcast channel (true) or supergroup (megagroup) (false). */
  broadcast: boolean;
  forum: boolean;
  verified: boolean;
  signatures: boolean;
  /** Empty for private channels (no public username). */
  usernames: UsernameEntry[];
  participantsCount: number;
  createdDate: number;
  /** The channel's own update sequence (Dialog.pts). */
  pts: number;
  /** Highest message id: channel message ids are per channel, 1..topMessageId. */
  topMessageId: number;
  /** Date of the top message (all messages before it are spread back in time by `messageGap`). */
  topDate: number;
  /** Seconds between consecutive synthetic messages. */
  messageGap: number;
  /** Peer index of the basic group this supergroup was migrated from, or null. */
  migratedFromIndex: number | null;
  /** Deleted by its owner: inaccessible to everyone, its dialogs disappear. */
  deleted: boolean;
  /** Usernames removed by `makeChannelPrivate`, restored by `restoreAccess`. */
  stashedUsernames: UsernameEntry[] | null;
}

export type PeerRecord = UserRecord | ChatRecord | ChannelRecord;

/**
 * An account's relation to a group or channel it has a dialog with. `kicked`: removed, the channel
 * answers CHANNEL_PRIVATE. `banned` (channels only): banned with the dialog kept, as Telegram keeps it
 * for a ban from a supergroup or channel: getPeerDialogs still answers with the (frozen) dialog, the
 * channel as channelForbidden (with `until_date` for a temporary ban).
 */
export type Membership = 'member' | 'left' | 'kicked' | 'banned';

/**
 * One dialog of one account. Everything here is per account: two accounts with the same
 * peer have different counters, read positions, pin/folder/mute state and drafts.
 */
export interface DialogRecord {
  readonly peerIndex: number;
  /** Per-account id for private chats and basic groups; the channel's own id space for channels. */
  topMessage: number;
  /** Date of the top message; orders the dialog list. */
  topDate: number;
  readInboxMaxId: number;
  readOutboxMaxId: number;
  unreadCount: number;
  unreadMentionsCount: number;
  unreadReactionsCount: number;
  unreadMark: boolean;
  /** 0 = not pinned; 1, 2, … = position among the pinned dialogs of its folder. */
  pinnedRank: number;
  /** 0 = main list, 1 = archive. */
  folderId: 0 | 1;
  /** null: not set; 0 or a past date: not muted; 2^31-1: muted forever. */
  muteUntil: number | null;
  silent: boolean | null;
  showPreviews: boolean | null;
  draft: { text: string; date: number } | null;
  ttlPeriod: number | null;
  membership: Membership;
  /** A temporary ban's end (Unix seconds), with membership `banned`; absent for a permanent one. */
  bannedUntil?: number;
  creator: boolean;
  admin: boolean;
}

/**
 * One of the account's folders (Telegram's dialog filters, messages.getDialogFilters): the chats in
 * `includePeers`/`pinnedPeers`, plus every dialog of the flagged categories, minus `excludePeers` and
 * the `exclude*` conditions. Peers are marked ids. `chatlist` folders (shared folder links) have only
 * included and pinned peers.
 */
export interface DialogFilterRecord {
  /** 2, 3, … (Telegram keeps 0 and 1 for "All chats" and the archive). */
  readonly id: number;
  title: string;
  chatlist?: boolean;
  includePeers: bigint[];
  pinnedPeers: bigint[];
  excludePeers: bigint[];
  contacts?: boolean;
  nonContacts?: boolean;
  groups?: boolean;
  broadcasts?: boolean;
  bots?: boolean;
  excludeMuted?: boolean;
  excludeRead?: boolean;
  excludeArchived?: boolean;
}

export interface ContactRecord {
  /** The name the account saved the contact under (what Telegram shows that account). */
  firstName: string;
  lastName: string;
  mutual: boolean;
}

/** Public, read-only description of an account (what the server engineer needs for login). */
export interface WorldAccount {
  readonly index: number;
  readonly userId: bigint;
  /** Digits only, no '+'. Bots have a placeholder phone too (see README). */
  readonly phone: string;
  readonly isBot: boolean;
  /** The code auth.signIn accepts for this phone. */
  readonly loginCode: string;
  /** 2FA password, set on some user accounts. */
  readonly password?: string;
  /** Bot token ("<id>:<secret>") for auth.importBotAuthorization; bots only. */
  readonly botToken?: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly username: string | null;
}

/** Flood control of contacts.resolveUsername, per account (see rules.ts). */
export interface ResolveFloodOptions {
  /** Calls allowed per window before flood waits start. */
  freeCalls: number;
  /** Length of the counting window, seconds. */
  windowSeconds: number;
  /** First FLOOD_WAIT_X in seconds. */
  firstWaitSeconds: number;
  /** Each further excess call multiplies the wait by this. */
  growthFactor: number;
  /** Upper bound of a single wait. */
  maxWaitSeconds: number;
}

export interface WorldOptions {
  /** Any number or string; the same seed gives the same world. */
  seed: number | string;
  /** Number of peers besides the accounts (users, bots, basic groups, supergroups, channels). */
  peers: number;
  /** User accounts (default 1). */
  accounts?: number;
  /** Bot accounts (default 1). */
  botAccounts?: number;
  /** Probability that an account has a dialog with a given peer (default 0.6). */
  dialogRatio?: number;
  /** Unix time all generated dates lie before (default 1_760_000_000 = 2025-10-09). */
  epoch?: number;
  /** Clock for volatile fields and flood windows, unix seconds (default real time). */
  clock?: () => number;
  resolveFlood?: Partial<ResolveFloodOptions>;
}

/**
 * As strict as Telegram is known to be: accounts that resolve a few hundred names in a day get
 * FLOOD_WAITs of many hours ("A wait of 80000 seconds is required (caused by ResolveUsernameRequest)").
 * 200 free calls a day, then 30 s, 2 min, 8 min, … up to a day for each further call.
 */
export const DEFAULT_RESOLVE_FLOOD: ResolveFloodOptions = {
  freeCalls: 200,
  windowSeconds: 86_400,
  firstWaitSeconds: 30,
  growthFactor: 4,
  maxWaitSeconds: 86_400,
};

export type MessageMediaSpec =
  | { type: 'photo'; photoId: bigint; accessHash: bigint; date: number; w: number; h: number; size: number }
  | {
      type: 'document';
      documentId: bigint;
      accessHash: bigint;
      date: number;
      mimeType: string;
      size: number;
      fileName: string;
    }
  | { type: 'geo'; lat: number; long: number; accessHash: bigint }
  | { type: 'poll'; pollId: bigint; question: string; answers: string[]; votes: number[]; closed: boolean }
  | {
      type: 'webpage';
      webpageId: bigint;
      url: string;
      displayUrl: string;
      siteName: string;
      title: string;
      description: string;
    };

export type ServiceActionSpec =
  | { type: 'chatCreate'; title: string; userIds: bigint[] }
  | { type: 'channelCreate'; title: string }
  | { type: 'editTitle'; title: string }
  | { type: 'addUser'; userIds: bigint[] }
  | { type: 'pinMessage' }
  | { type: 'migrateTo'; channelId: bigint }
  | { type: 'migrateFrom'; title: string; chatId: bigint };

/**
 * A message as one account sees it. `peer` and `from` are marked ids (see ids.ts).
 * `views` is the content value; replies add a growing per-call amount (views are volatile).
 */
export interface WorldMessage {
  id: number;
  peer: bigint;
  date: number;
  out: boolean;
  mentioned: boolean;
  /** A broadcast-channel post (no sender). */
  post: boolean;
  from: bigint | null;
  text: string;
  media: MessageMediaSpec | null;
  action: ServiceActionSpec | null;
  replyToMsgId: number | null;
  /** Forum topic id for forum supergroups. */
  replyToTopId: number | null;
  fwdFrom: { from: bigint; date: number; channelPost: number | null } | null;
  views: number | null;
  forwards: number | null;
  editDate: number | null;
  postAuthor: string | null;
  ttlPeriod: number | null;
}

export interface InviteLink {
  /** The part after t.me/+ */
  readonly hash: string;
  readonly peerIndex: number;
  /** Marked id of the chat or channel it leads to. */
  readonly peerId: bigint;
  expired: boolean;
}
