/**
 * The world's internal, mutable state. Only world.ts, generate.ts, mutations.ts and the
 * per-reply builders touch it; tests use the World class accessors instead.
 */
import type {
  ContactRecord,
  DialogFilterRecord,
  DialogRecord,
  InviteLink,
  PeerRecord,
  ResolveFloodOptions,
  WorldAccount,
  WorldMessage,
} from './model.ts';

/** What a DialogFolder shows for a folder: its newest dialog and unread counters. */
export interface FolderSummary {
  folderId: number;
  /** Peer index of the folder's first dialog (pinned first, then newest). */
  topPeerIndex: number;
  unreadMutedPeersCount: number;
  unreadUnmutedPeersCount: number;
  unreadMutedMessagesCount: number;
  unreadUnmutedMessagesCount: number;
}

export interface FloodState {
  windowStart: number;
  count: number;
  /** Excess calls so far; each one multiplies the next wait. Reset after a quiet window. */
  strikes: number;
  blockedUntil: number;
}

/** One folder's dialogs in Telegram's order: pinned first (by rank), then newest top message first. */
export interface DialogList {
  readonly peers: number[];
  readonly position: Map<number, number>;
  readonly pinnedCount: number;
}

export interface AccountState {
  readonly account: WorldAccount;
  /** Peer index of the account's own user record. */
  readonly userIndex: number;
  readonly dialogs: Map<number, DialogRecord>;
  readonly contacts: Map<number, ContactRecord>;
  /** Account-wide update sequence shared by private chats and basic groups. */
  pts: number;
  qts: number;
  seq: number;
  /** Highest per-account message id (private chats and basic groups share one id sequence). */
  lastCommonMessageId: number;
  /** Dialog lists per folder (0 main, 1 archive), rebuilt lazily after mutations; null = stale. */
  lists: Map<number, DialogList> | null;
  readonly flood: FloodState;
  /** Last updates.State date handed out, so consecutive states always differ. */
  lastStateDate: number;
  /** Sum of unread counts (updates.State.unread_count), cached; null = recompute. */
  unreadTotal: number | null;
  /** DialogFolder summaries per folder, cached for one clock second (muting depends on now). */
  folderSummaries: Map<number, { now: number; summary: FolderSummary | null }>;
  /** The account's folders (dialog filters) in the order the account arranged them. */
  dialogFilters: DialogFilterRecord[];
}

export interface WorldState {
  readonly seed: number;
  readonly epoch: number;
  readonly clock: () => number;
  readonly resolveFlood: ResolveFloodOptions;
  readonly peers: PeerRecord[];
  /** Marked id → peer index. */
  readonly byMarkedId: Map<bigint, number>;
  /** Lower-cased *active* username → peer index. */
  readonly byUsername: Map<string, number>;
  readonly accounts: AccountState[];
  /** Non-account, non-bot users: senders and forward sources are drawn from these. */
  readonly senderPool: number[];
  /** A few users that write a lot, so the same sender shows up in several dialogs of one reply. */
  readonly chattySenders: number[];
  /** Broadcast channels, used as forward sources. */
  readonly broadcastPool: number[];
  /**
   * Messages that are not (or no longer) the synthetic ones: generated specials, new and edited
   * messages. Key: messageKey().
   */
  readonly messageOverrides: Map<string, WorldMessage>;
  readonly invites: InviteLink[];
  readonly inviteByHash: Map<string, InviteLink>;
  /** Counts handled calls; drives the volatile fields. */
  tick: number;
}

/** Channel messages live in the channel's id space; others in the account's. */
export function messageKey(scope: 'channel' | number, peerIndex: number, id: number): string {
  return `${scope === 'channel' ? 'c' : scope}|${peerIndex}|${id}`;
}
