/**
 * Adding peers and dialogs by hand, for small explicit test worlds:
 *   const w = World.generate({ seed: 1, peers: 0 });
 *   const ch = w.addChannel({ title: 'News', usernames: ['news_here'] });
 *   w.addDialog(w.accounts[0].userId, ch, { unreadCount: 3 });
 */
import { invalidateAccount } from './dialog-lists.ts';
import { markedId } from './ids.ts';
import type { ChannelRecord, ChatRecord, PeerKind, UserRecord, UsernameEntry, UserStatusKind } from './model.ts';
import { newDialogRecord, patchDialog, requireAccount, requirePeer, type DialogPatch } from './mutations.ts';
import type { WorldState } from './state.ts';

function freeId(state: WorldState, kind: PeerKind, wanted?: bigint): bigint {
  if (wanted !== undefined) {
    if (state.byMarkedId.has(markedId(kind, wanted))) throw new Error(`world: ${kind} ${wanted} exists`);
    return wanted;
  }
  let id = BigInt(5_000_000 + state.peers.length * 7);
  while (state.byMarkedId.has(markedId(kind, id))) id++;
  return id;
}

function toEntries(state: WorldState, names: ReadonlyArray<string | UsernameEntry> | undefined): UsernameEntry[] {
  const entries = (names ?? []).map((n, i) =>
    typeof n === 'string' ? { username: n, active: true, editable: i === 0 } : { ...n },
  );
  for (const e of entries)
    if (state.byUsername.has(e.username.toLowerCase())) throw new Error(`world: username ${e.username} is taken`);
  return entries;
}

function register(state: WorldState, record: UserRecord | ChatRecord | ChannelRecord): bigint {
  state.peers.push(record);
  const marked = markedId(record.kind, record.id);
  state.byMarkedId.set(marked, record.index);
  if (record.kind !== 'chat')
    for (const u of record.usernames) if (u.active) state.byUsername.set(u.username.toLowerCase(), record.index);
  return marked;
}

export interface NewUserOptions {
  id?: bigint;
  firstName: string;
  lastName?: string;
  /** Strings: active usernames, the first one editable. */
  usernames?: ReadonlyArray<string | UsernameEntry>;
  bot?: boolean;
  phone?: string | null;
  statusKind?: UserStatusKind;
}

/** Returns the new user's marked id (= its id). */
export function addUser(state: WorldState, o: NewUserOptions): bigint {
  return register(state, {
    kind: 'user',
    index: state.peers.length,
    id: freeId(state, 'user', o.id),
    bot: o.bot ?? false,
    firstName: o.firstName,
    lastName: o.lastName ?? '',
    phone: o.phone ?? null,
    usernames: toEntries(state, o.usernames),
    photoId: null,
    verified: false,
    premium: false,
    scam: false,
    statusKind: o.statusKind ?? (o.bot ? 'none' : 'active'),
    deleted: false,
    lastSeen: state.epoch - 3600,
    accountIndex: null,
  });
}

export function addBasicGroup(
  state: WorldState,
  o: { id?: bigint; title: string; participantsCount?: number },
): bigint {
  return register(state, {
    kind: 'chat',
    index: state.peers.length,
    id: freeId(state, 'chat', o.id),
    title: o.title,
    photoId: null,
    participantsCount: o.participantsCount ?? 3,
    createdDate: state.epoch - 100 * 86_400,
    version: 1,
    migratedToIndex: null,
  });
}

export interface NewChannelOptions {
  id?: bigint;
  title: string;
  /** Broadcast channel (default) or supergroup. */
  broadcast?: boolean;
  forum?: boolean;
  usernames?: ReadonlyArray<string | UsernameEntry>;
  topMessageId?: number;
  participantsCount?: number;
}

export function addChannel(state: WorldState, o: NewChannelOptions): bigint {
  const topMessageId = o.topMessageId ?? 10;
  const topDate = state.epoch - 3600;
  return register(state, {
    kind: 'channel',
    index: state.peers.length,
    id: freeId(state, 'channel', o.id),
    title: o.title,
    photoId: null,
    broadcast: o.broadcast ?? true,
    forum: o.forum ?? false,
    verified: false,
    signatures: false,
    usernames: toEntries(state, o.usernames),
    participantsCount: o.participantsCount ?? 100,
    createdDate: topDate - topMessageId * 600 - 86_400,
    pts: topMessageId + 5,
    topMessageId,
    topDate,
    messageGap: 600,
    migratedFromIndex: null,
    deleted: false,
    stashedUsernames: null,
  });
}

/** Gives the account a dialog with the peer (top message: the channel's, or a new per-account id). */
export function addDialog(state: WorldState, accountUserId: bigint, marked: bigint, patch: DialogPatch = {}): void {
  const acc = requireAccount(state, accountUserId);
  const peer = requirePeer(state, marked);
  if (acc.dialogs.has(peer.index)) throw new Error('world.addDialog: dialog exists');
  const dialog = newDialogRecord(peer.index);
  if (peer.kind === 'channel') {
    dialog.topMessage = peer.topMessageId;
    dialog.topDate = peer.topDate;
  } else {
    dialog.topMessage = ++acc.lastCommonMessageId;
    dialog.topDate = state.epoch - 3600 + acc.lastCommonMessageId;
  }
  dialog.readInboxMaxId = dialog.topMessage;
  dialog.readOutboxMaxId = dialog.topMessage;
  acc.dialogs.set(peer.index, dialog);
  invalidateAccount(acc);
  patchDialog(state, accountUserId, marked, patch);
}

/**
 * The account saves a user as a contact under a name of its own: from then on Telegram sends that
 * account the user with `contact` set, the saved name instead of the user's own, and the phone.
 */
export function saveContact(
  state: WorldState,
  accountUserId: bigint,
  userId: bigint,
  contact: { firstName: string; lastName?: string; mutual?: boolean },
): void {
  const acc = requireAccount(state, accountUserId);
  const peer = requirePeer(state, userId);
  if (peer.kind !== 'user') throw new Error('world.saveContact: not a user');
  acc.contacts.set(peer.index, {
    firstName: contact.firstName,
    lastName: contact.lastName ?? '',
    mutual: contact.mutual ?? false,
  });
  invalidateAccount(acc);
}
