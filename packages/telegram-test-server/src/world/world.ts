/**
 * The simulated Telegram world: accounts, peers, per-account dialogs and messages.
 * Read accessors return plain data (bigint ids, marked peer ids) so tests can compute exactly what
 * the sync job should have stored; the method handlers (methods.ts) render the same data as TL.
 */
import { Api } from 'telegram';
import * as builder from './builder.ts';
import { dialogFilterPeers, removeDialogFilter, setDialogFilter } from './dialog-filters.ts';
import { dialogLists, folderSummary, unreadTotal, type FolderSummary } from './dialog-lists.ts';
import { generateWorldState } from './generate.ts';
import { markedId, toBigInteger, unmark } from './ids.ts';
import { messageFor } from './messages.ts';
import type {
  DialogFilterRecord,
  InviteLink,
  PeerRecord,
  UsernameEntry,
  WorldAccount,
  WorldMessage,
  WorldOptions,
} from './model.ts';
import * as mutations from './mutations.ts';
import { inviteSpecStrings, peerSpecStrings } from './spec-strings.ts';
import type { AccountState, WorldState } from './state.ts';
import {
  anyChatView,
  canSeeChannel,
  isBannedWithDialog,
  dialogView,
  fullAccessHash,
  minAccessHash,
  userView,
  type AnyChatView,
  type DialogView,
  type UserView,
} from './views.ts';

/** What getPeerDialogs would do with this peer for this account. */
export type PeerDialogOutcome = 'dialog' | 'omitted' | 'CHANNEL_PRIVATE' | 'PEER_ID_INVALID';

export class World {
  /** @internal The handlers' view of the data; tests should prefer the accessors. */
  readonly state: WorldState;

  private readonly accountList: readonly WorldAccount[];

  private constructor(state: WorldState) {
    this.state = state;
    this.accountList = Object.freeze(state.accounts.map((a) => a.account));
  }

  /** Deterministic world: same options ⇒ same world. */
  static generate(options: WorldOptions): World {
    return new World(generateWorldState(options));
  }

  // ---------------------------------------------------------------- accounts

  get accounts(): readonly WorldAccount[] {
    return this.accountList;
  }

  get userAccounts(): readonly WorldAccount[] {
    return this.accounts.filter((a) => !a.isBot);
  }

  get botAccounts(): readonly WorldAccount[] {
    return this.accounts.filter((a) => a.isBot);
  }

  /** Accepts '+99966…', '99966…', with spaces or dashes. */
  accountByPhone(phone: string): WorldAccount | undefined {
    const digits = phone.replace(/[^0-9]/g, '');
    return this.accounts.find((a) => a.phone === digits);
  }

  accountByUserId(userId: bigint): WorldAccount | undefined {
    return this.accounts.find((a) => a.userId === userId);
  }

  accountByBotToken(token: string): WorldAccount | undefined {
    return this.accounts.find((a) => a.botToken === token);
  }

  /** pts/qts/seq and the unread total the account's updates.State carries (date is volatile). */
  accountUpdateState(accountUserId: bigint): { pts: number; qts: number; seq: number; unreadCount: number } {
    const acc = this.acc(accountUserId);
    return { pts: acc.pts, qts: acc.qts, seq: acc.seq, unreadCount: unreadTotal(this.state, acc) };
  }

  // ---------------------------------------------------------------- peers

  /** By marked id (user = id, basic group = -id, channel = -(10^12 + id)). */
  peer(marked: bigint): Readonly<PeerRecord> | undefined {
    const index = this.state.byMarkedId.get(marked);
    return index === undefined ? undefined : this.state.peers[index];
  }

  markedIdOf(peer: Readonly<PeerRecord>): bigint {
    return markedId(peer.kind, peer.id);
  }

  /** All peers, accounts included, in generation order. */
  get allPeers(): ReadonlyArray<Readonly<PeerRecord>> {
    return this.state.peers;
  }

  /** Users that are not bots (accounts included unless `excludeAccounts`). */
  users(excludeAccounts = false): Array<Readonly<PeerRecord>> {
    return this.state.peers.filter((p) => p.kind === 'user' && !p.bot && !(excludeAccounts && p.accountIndex !== null));
  }

  bots(): Array<Readonly<PeerRecord>> {
    return this.state.peers.filter((p) => p.kind === 'user' && p.bot);
  }

  basicGroups(): Array<Readonly<PeerRecord>> {
    return this.state.peers.filter((p) => p.kind === 'chat');
  }

  /** Broadcast channels. */
  broadcastChannels(): Array<Readonly<PeerRecord>> {
    return this.state.peers.filter((p) => p.kind === 'channel' && p.broadcast);
  }

  /** Supergroups (megagroups), forums included. */
  supergroups(): Array<Readonly<PeerRecord>> {
    return this.state.peers.filter((p) => p.kind === 'channel' && !p.broadcast);
  }

  forums(): Array<Readonly<PeerRecord>> {
    return this.state.peers.filter((p) => p.kind === 'channel' && p.forum);
  }

  /** Basic groups migrated to a supergroup, with the supergroup's marked id. */
  migratedGroups(): Array<{ chat: bigint; channel: bigint }> {
    const out: Array<{ chat: bigint; channel: bigint }> = [];
    for (const p of this.state.peers) {
      if (p.kind !== 'chat' || p.migratedToIndex === null) continue;
      const target = this.state.peers[p.migratedToIndex] as PeerRecord;
      out.push({ chat: markedId('chat', p.id), channel: markedId(target.kind, target.id) });
    }
    return out;
  }

  /** Pairs of peers of different kinds sharing the same raw id (generated on purpose). */
  rawIdCollisions(): Array<[bigint, bigint]> {
    const byRaw = new Map<bigint, PeerRecord[]>();
    for (const p of this.state.peers) byRaw.set(p.id, [...(byRaw.get(p.id) ?? []), p]);
    const out: Array<[bigint, bigint]> = [];
    for (const list of byRaw.values())
      if (list.length > 1) out.push([this.markedIdOf(list[0] as PeerRecord), this.markedIdOf(list[1] as PeerRecord)]);
    return out;
  }

  usernamesOf(marked: bigint): UsernameEntry[] {
    const p = this.requirePeer(marked);
    return p.kind === 'chat' ? [] : p.usernames.map((u) => ({ ...u }));
  }

  /** Forms a user might write in config for this peer: @name, t.me links, tg://resolve, marked id. */
  specStrings(marked: bigint): string[] {
    return peerSpecStrings(this.requirePeer(marked));
  }

  get inviteLinks(): readonly InviteLink[] {
    return this.state.invites;
  }

  inviteSpecStrings(link: InviteLink): string[] {
    return inviteSpecStrings(link);
  }

  // ---------------------------------------------------------------- per-account views

  /** The access hash this account must use (0n for basic groups, which have none). */
  accessHash(accountUserId: bigint, marked: bigint): bigint {
    const { kind, id } = unmark(marked);
    this.requirePeer(marked);
    return fullAccessHash(this.state, accountUserId, kind, id);
  }

  /** The hash `min` constructors carry for this peer; no method accepts it. */
  minAccessHash(marked: bigint): bigint {
    const { kind, id } = unmark(marked);
    return minAccessHash(this.state, kind, id);
  }

  /** InputPeer with the account's own access hash, ready for a request. */
  inputPeer(accountUserId: bigint, marked: bigint): Api.TypeInputPeer {
    const { kind, id } = unmark(marked);
    this.requirePeer(marked);
    const hash = toBigInteger(fullAccessHash(this.state, accountUserId, kind, id));
    if (kind === 'user') return new Api.InputPeerUser({ userId: toBigInteger(id), accessHash: hash });
    if (kind === 'chat') return new Api.InputPeerChat({ chatId: toBigInteger(id) });
    return new Api.InputPeerChannel({ channelId: toBigInteger(id), accessHash: hash });
  }

  /**
   * The user as the account sees it (contact names; phone only for contacts). In the context of a
   * message inside a channel/supergroup, or as a forward source, users the account does not know
   * (no private dialog, not a contact) are `min`.
   */
  userAsSeenBy(
    accountUserId: bigint,
    userId: bigint,
    context: 'full' | 'message-in-channel' | 'forward-source' = 'full',
  ): UserView {
    const p = this.requirePeer(userId);
    if (p.kind !== 'user') throw new Error('world.userAsSeenBy: not a user');
    return userView(this.state, this.acc(accountUserId), p, context !== 'full');
  }

  /** The basic group or channel as the account sees it (Chat/ChatForbidden/Channel/ChannelForbidden). */
  chatAsSeenBy(accountUserId: bigint, marked: bigint, context: 'full' | 'forward-source' = 'full'): AnyChatView {
    const p = this.requirePeer(marked);
    if (p.kind === 'user') throw new Error('world.chatAsSeenBy: not a chat or channel');
    return anyChatView(this.state, this.acc(accountUserId), p, context === 'forward-source');
  }

  /** The account's dialogs in Telegram's order: main list, then archive. */
  dialogsOf(accountUserId: bigint): DialogView[] {
    const acc = this.acc(accountUserId);
    const lists = dialogLists(this.state, acc);
    const out: DialogView[] = [];
    for (const folder of [0, 1]) {
      for (const index of lists.get(folder)?.peers ?? []) out.push(dialogView(this.state, acc.dialogs.get(index)!));
    }
    return out;
  }

  /**
   * What the DialogFolder entry of a folder (1 = archive) shows: its top dialog's peer and the
   * unread counters (muted = mute_until after the world clock's now), or null when it is empty.
   */
  folderSummary(
    accountUserId: bigint,
    folderId = 1,
  ): (Omit<FolderSummary, 'topPeerIndex'> & { topPeer: bigint; topMessage: number }) | null {
    const acc = this.acc(accountUserId);
    const s = folderSummary(this.state, acc, folderId);
    if (!s) return null;
    const { topPeerIndex, ...counts } = s;
    const peer = this.state.peers[topPeerIndex] as PeerRecord;
    return { ...counts, topPeer: markedId(peer.kind, peer.id), topMessage: acc.dialogs.get(topPeerIndex)!.topMessage };
  }

  /** The account's dialog with the peer, or null (no dialog, or a deleted channel). */
  dialog(accountUserId: bigint, marked: bigint): DialogView | null {
    const acc = this.acc(accountUserId);
    const peer = this.peer(marked);
    const d = peer ? acc.dialogs.get(peer.index) : undefined;
    if (!d || !peer || (peer.kind === 'channel' && peer.deleted)) return null;
    return dialogView(this.state, d);
  }

  /** What getPeerDialogs does with this peer (given the account's correct hash). */
  peerDialogOutcome(accountUserId: bigint, marked: bigint): PeerDialogOutcome {
    const acc = this.acc(accountUserId);
    const peer = this.requirePeer(marked);
    if (peer.kind === 'channel' && !canSeeChannel(acc, peer) && !isBannedWithDialog(acc, peer))
      return 'CHANNEL_PRIVATE';
    if (peer.kind === 'chat' && !acc.dialogs.has(peer.index)) return 'PEER_ID_INVALID';
    return this.dialog(accountUserId, marked) ? 'dialog' : 'omitted';
  }

  /** Marked ids of the account's dialogs that getPeerDialogs returns without error. */
  peerDialogPeers(accountUserId: bigint): bigint[] {
    return this.dialogsOf(accountUserId)
      .map((d) => d.peer)
      .filter((p) => this.peerDialogOutcome(accountUserId, p) === 'dialog');
  }

  /** Peers (user or public channel) the account has no dialog with: getPeerDialogs omits them. */
  omittedPeers(accountUserId: bigint): bigint[] {
    return this.state.peers
      .map((p) => markedId(p.kind, p.id))
      .filter((m) => m !== accountUserId && this.peerDialogOutcome(accountUserId, m) === 'omitted');
  }

  /** A message as the account sees it (channel ids per channel; others per account), or null. */
  message(accountUserId: bigint, marked: bigint, messageId: number): WorldMessage | null {
    const acc = this.acc(accountUserId);
    const peer = this.requirePeer(marked);
    return messageFor(this.state, acc.account.index, peer.index, messageId);
  }

  topMessage(accountUserId: bigint, marked: bigint): WorldMessage | null {
    const d = this.dialog(accountUserId, marked);
    return d ? this.message(accountUserId, marked, d.topMessage) : null;
  }

  /** Handled calls so far (drives the volatile fields). */
  get callCount(): number {
    return this.state.tick;
  }

  // ---------------------------------------------------------------- mutations (see mutations.ts)

  postMessage(marked: bigint, options?: mutations.NewMessageOptions): mutations.PostedMessage {
    return mutations.postMessage(this.state, marked, options);
  }

  /** Posts a message whose text contains NUL (U+0000), which PostgreSQL TEXT rejects. */
  postNulMessage(
    marked: bigint,
    options: Omit<mutations.NewMessageOptions, 'text' | 'action'> = {},
  ): mutations.PostedMessage {
    return mutations.postMessage(this.state, marked, { ...options, text: mutations.NUL_TEXT });
  }

  editMessage(marked: bigint, messageId: number, text: string, accountUserId?: bigint): void {
    mutations.editMessage(this.state, marked, messageId, text, accountUserId);
  }

  renamePeer(marked: bigint, name: { firstName?: string; lastName?: string; title?: string }): void {
    mutations.renamePeer(this.state, marked, name);
  }

  setUsernames(marked: bigint, entries: readonly UsernameEntry[]): void {
    mutations.setUsernames(this.state, marked, entries);
  }

  addUsername(marked: bigint, username: string, flags?: { active?: boolean; editable?: boolean }): void {
    mutations.addUsername(this.state, marked, username, flags);
  }

  removeUsername(marked: bigint, username: string): void {
    mutations.removeUsername(this.state, marked, username);
  }

  changeUsername(marked: bigint, username: string): void {
    mutations.changeUsername(this.state, marked, username);
  }

  deleteUserAccount(userId: bigint): void {
    mutations.deleteUserAccount(this.state, userId);
  }

  makeChannelPrivate(marked: bigint): void {
    mutations.makeChannelPrivate(this.state, marked);
  }

  kickAccount(accountUserId: bigint, marked: bigint): void {
    mutations.kickAccount(this.state, accountUserId, marked);
  }

  banAccount(accountUserId: bigint, marked: bigint, options?: { untilDate?: number }): void {
    mutations.banAccount(this.state, accountUserId, marked, options);
  }

  deleteDialog(accountUserId: bigint, marked: bigint): void {
    mutations.deleteDialog(this.state, accountUserId, marked);
  }

  /** Upgrades a basic group to a new supergroup (members follow it); returns the supergroup's marked id. */
  upgradeGroup(marked: bigint, options?: { channelId?: bigint }): bigint {
    return mutations.upgradeGroup(this.state, marked, options);
  }

  deleteChannel(marked: bigint): void {
    mutations.deleteChannel(this.state, marked);
  }

  restoreAccess(marked: bigint, accountUserId?: bigint): void {
    mutations.restoreAccess(this.state, marked, accountUserId);
  }

  patchDialog(accountUserId: bigint, marked: bigint, patch: mutations.DialogPatch): void {
    mutations.patchDialog(this.state, accountUserId, marked, patch);
  }

  setInviteExpired(hash: string, expired: boolean): void {
    const link = this.state.inviteByHash.get(hash);
    if (!link) throw new Error(`world: no invite ${hash}`);
    link.expired = expired;
  }

  // ---------------------------------------------------------------- folders (dialog filters)

  /** Creates or replaces one of the account's folders (messages.getDialogFilters lists them). */
  setDialogFilter(accountUserId: bigint, filter: DialogFilterRecord): void {
    setDialogFilter(this.acc(accountUserId), filter);
  }

  removeDialogFilter(accountUserId: bigint, id: number): void {
    removeDialogFilter(this.acc(accountUserId), id);
  }

  dialogFilters(accountUserId: bigint): readonly Readonly<DialogFilterRecord>[] {
    return this.acc(accountUserId).dialogFilters;
  }

  /** Marked ids of the account's dialogs that the folder shows, by Telegram's rule (see dialog-filters.ts). */
  dialogFilterPeers(accountUserId: bigint, filterId: number): bigint[] {
    const acc = this.acc(accountUserId);
    const filter = acc.dialogFilters.find((candidate) => candidate.id === filterId);
    if (!filter) throw new Error(`world: no folder ${filterId}`);
    return dialogFilterPeers(this.state, acc, filter);
  }

  // ---------------------------------------------------------------- hand-made worlds (see builder.ts)

  addUser(options: builder.NewUserOptions): bigint {
    return builder.addUser(this.state, options);
  }

  addBasicGroup(options: { id?: bigint; title: string; participantsCount?: number }): bigint {
    return builder.addBasicGroup(this.state, options);
  }

  addChannel(options: builder.NewChannelOptions): bigint {
    return builder.addChannel(this.state, options);
  }

  addDialog(accountUserId: bigint, marked: bigint, patch?: mutations.DialogPatch): void {
    builder.addDialog(this.state, accountUserId, marked, patch);
  }

  saveContact(
    accountUserId: bigint,
    userId: bigint,
    contact: { firstName: string; lastName?: string; mutual?: boolean },
  ): void {
    builder.saveContact(this.state, accountUserId, userId, contact);
  }

  // ---------------------------------------------------------------- internals

  /** @internal */
  acc(accountUserId: bigint): AccountState {
    return mutations.requireAccount(this.state, accountUserId);
  }

  private requirePeer(marked: bigint): PeerRecord {
    return mutations.requirePeer(this.state, marked);
  }
}
