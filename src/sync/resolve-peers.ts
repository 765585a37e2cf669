import type { Api } from 'telegram';
import { displayedInput, specFromNormalized, type PeerSpec } from '../peers/peer-spec.ts';
import { mapEntities } from '../store/mapping/map-peer-dialogs.ts';
import { peerKeyOf } from '../store/mapping/peer-ref.ts';
import type { PeerKey } from '../store/rows.ts';
import { findStoredPeers, type StoredPeer } from '../store/peers/find-stored-peer.ts';
import { listUnresolvedPeers, type UnresolvedPeer } from '../store/peers/list-unresolved-peers.ts';
import { recordPeerFailures, type PeerFailure } from '../store/peers/record-peer-failures.ts';
import { recordResolutions, type Resolution } from '../store/peers/record-resolutions.ts';
import { writeBatch } from '../store/write-batch.ts';
import { METHODS } from '../telegram/gateway.ts';
import { callTelegram } from './call-policy.ts';
import { RunDeferredError } from './run-errors.ts';
import type { RunContext } from './run-context.ts';
import { scanOwnDialogs } from './scan-own-dialogs.ts';

/** Why a peer could not be resolved, in words an operator can act on. */
const UNRESOLVABLE_REASONS: Record<string, string> = {
  USERNAME_NOT_OCCUPIED: 'no Telegram user or chat has this username; check the spelling',
  USERNAME_INVALID: 'Telegram says this username is invalid; check the spelling',
  INVITE_HASH_EXPIRED: 'the invite link has expired; ask for a new one',
  INVITE_HASH_INVALID: 'the invite link is not valid; check it',
  INVITE_NOT_JOINED: "the account is not a member of this invite link's chat; join it in Telegram first",
  PEER_NOT_FOUND: "the account has no access to this id (it is not among the account's dialogs); use a @username or an invite link instead",
  INVALID_INPUT: 'the stored peer cannot be read; remove it and add it again',
};

export interface ResolutionSummary {
  readonly resolved: number;
  readonly failed: number;
  /** Left for a later run (their method is deferred). */
  readonly postponed: number;
}

type ResolveOutcome =
  | { readonly kind: 'resolved'; readonly peer: PeerKey }
  | { readonly kind: 'failed'; readonly errorCode: string }
  | { readonly kind: 'postponed' };

/**
 * Turns configured peers into (type, id) with a usable access hash, once: usernames through
 * contacts.resolveUsername (heavily rate-limited, so a resolved peer is never resolved again),
 * invites through messages.checkChatInvite, numeric ids from what the account already stored, else
 * from one scan of the account's own dialog list. Entities seen on the way are stored. Failures
 * mark the peer with a reason and never stop the run; a deferred method only postpones its peers.
 */
export async function resolvePendingPeers(context: RunContext): Promise<ResolutionSummary> {
  const pending = await context.transact((db) => listUnresolvedPeers(db, context.accountId));
  const buffer = new ResolutionBuffer(context);
  let postponed = 0;
  // Names and invites first: their answers carry entities that numeric ids may then be found among.
  const byId: { configured: UnresolvedPeer; peer: PeerKey }[] = [];
  for (const configured of pending) {
    const spec = specOf(configured);
    if (spec?.kind === 'id') {
      byId.push({ configured, peer: { peerType: spec.peerType, peerId: spec.peerId } });
      continue;
    }
    const outcome = spec === null ? FAILED_INVALID_INPUT : await resolveNamed(context, spec, buffer);
    if (outcome.kind === 'postponed') postponed += 1;
    else buffer.add(configured, outcome);
    if (buffer.size >= FLUSH_EVERY) await buffer.flush();
  }
  await buffer.flush();
  for (const { configured, outcome } of await resolveIds(context, byId)) buffer.add(configured, outcome);
  await buffer.flush();
  const { resolved, failed } = buffer;
  if (resolved + failed + postponed > 0) context.logger.info({ resolved, failed, postponed }, 'resolved configured peers');
  return { resolved, failed, postponed };
}

const FAILED_INVALID_INPUT: ResolveOutcome = { kind: 'failed', errorCode: 'INVALID_INPUT' };

function specOf(configured: UnresolvedPeer): PeerSpec | null {
  if (configured.peerType !== null && configured.peerId !== null) {
    return { kind: 'id', peerType: configured.peerType, peerId: configured.peerId, normalized: configured.normalizedInput };
  }
  return specFromNormalized(configured.normalizedInput);
}

/** Resolutions are written in groups: one transaction per group rather than per peer. */
const FLUSH_EVERY = 100;

/** Entities, resolutions and failures waiting to be written together. */
class ResolutionBuffer {
  resolved = 0;
  failed = 0;
  private users: Api.TypeUser[] = [];
  private chats: Api.TypeChat[] = [];
  private resolutions: Resolution[] = [];
  private failures: PeerFailure[] = [];

  constructor(private readonly context: RunContext) {}

  get size(): number {
    return this.resolutions.length + this.failures.length;
  }

  addEntities(users: readonly Api.TypeUser[], chats: readonly Api.TypeChat[]): void {
    this.users.push(...users);
    this.chats.push(...chats);
  }

  add(configured: UnresolvedPeer, outcome: Exclude<ResolveOutcome, { kind: 'postponed' }>): void {
    if (outcome.kind === 'resolved') {
      this.resolved += 1;
      this.resolutions.push({ configuredPeerId: configured.id, peerType: outcome.peer.peerType, peerId: outcome.peer.peerId });
    } else {
      this.failed += 1;
      this.failures.push({ configuredPeerId: configured.id, errorCode: outcome.errorCode, errorText: describeUnresolvable(outcome.errorCode, displayedInput(configured.input, configured.normalizedInput)) });
    }
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.users.length === 0 && this.chats.length === 0) return;
    const rows = mapEntities(this.context.accountId, this.users, this.chats);
    const { resolutions, failures } = this;
    this.users = [];
    this.chats = [];
    this.resolutions = [];
    this.failures = [];
    const context = this.context;
    await context.transact(async (db) => {
      await writeBatch(db, rows, { runId: context.runId });
      await recordResolutions(db, context.accountId, resolutions);
      await recordPeerFailures(db, { accountId: context.accountId, runId: context.runId, unresolvable: true, backoff: context.settings.peerBackoff, failures });
    });
  }
}

/** Resolves one configured peer again, e.g. after its stored access hash was rejected. */
export async function reresolvePeer(context: RunContext, configured: UnresolvedPeer): Promise<PeerKey | null> {
  const buffer = new ResolutionBuffer(context);
  const spec = specOf(configured);
  let outcome: ResolveOutcome;
  if (spec === null) outcome = FAILED_INVALID_INPUT;
  else if (spec.kind === 'id') outcome = (await resolveIds(context, [{ configured, peer: { peerType: spec.peerType, peerId: spec.peerId } }]))[0]?.outcome ?? FAILED_INVALID_INPUT;
  else outcome = await resolveNamed(context, spec, buffer);
  if (outcome.kind !== 'postponed') buffer.add(configured, outcome);
  await buffer.flush();
  return outcome.kind === 'resolved' ? outcome.peer : null;
}

function resolveNamed(context: RunContext, spec: Exclude<PeerSpec, { kind: 'id' }>, buffer: ResolutionBuffer): Promise<ResolveOutcome> {
  return spec.kind === 'username' ? resolveUsername(context, spec.username, buffer) : resolveInvite(context, spec.hash, buffer);
}

async function resolveUsername(context: RunContext, username: string, buffer: ResolutionBuffer): Promise<ResolveOutcome> {
  if (context.deferredMethods.has(METHODS.resolveUsername)) return { kind: 'postponed' };
  try {
    const outcome = await callTelegram(context.policy, METHODS.resolveUsername, () => context.gateway.resolveUsername(username));
    if (!outcome.ok) return { kind: 'failed', errorCode: outcome.failure.errorMessage };
    buffer.addEntities(outcome.value.users, outcome.value.chats);
    return { kind: 'resolved', peer: peerKeyOf(outcome.value.peer) };
  } catch (error) {
    // A long wait on resolveUsername stops resolving new peers, not syncing resolved ones.
    if (error instanceof RunDeferredError) {
      context.deferredMethods.add(METHODS.resolveUsername);
      return { kind: 'postponed' };
    }
    throw error;
  }
}

async function resolveInvite(context: RunContext, hash: string, buffer: ResolutionBuffer): Promise<ResolveOutcome> {
  if (context.deferredMethods.has(METHODS.checkChatInvite)) return { kind: 'postponed' };
  try {
    const outcome = await callTelegram(context.policy, METHODS.checkChatInvite, () => context.gateway.checkChatInvite(hash));
    if (!outcome.ok) return { kind: 'failed', errorCode: outcome.failure.errorMessage };
    const invite = outcome.value;
    if (invite.className !== 'ChatInviteAlready') return { kind: 'failed', errorCode: 'INVITE_NOT_JOINED' };
    buffer.addEntities([], [invite.chat]);
    return chatPeer(invite.chat);
  } catch (error) {
    if (error instanceof RunDeferredError) {
      context.deferredMethods.add(METHODS.checkChatInvite);
      return { kind: 'postponed' };
    }
    throw error;
  }
}

/**
 * Numeric ids carry no access hash: they are looked up, all at once, among what the account already
 * stored, else after one scan of its dialog lists. A basic group needs no hash (getPeerDialogs tells
 * whether the account is in it), but one upgraded to a supergroup is followed to it when the account
 * can reach the supergroup.
 */
async function resolveIds(
  context: RunContext,
  pending: readonly { configured: UnresolvedPeer; peer: PeerKey }[],
): Promise<{ configured: UnresolvedPeer; outcome: Exclude<ResolveOutcome, { kind: 'postponed' }> }[]> {
  if (pending.length === 0) return [];
  const lookUp = (peers: readonly PeerKey[]) => context.transact((db) => findStoredPeers(db, context.accountId, peers));
  const keyOf = (peer: PeerKey) => `${peer.peerType}:${peer.peerId}`;
  const wanted = (stored: Map<string, StoredPeer>) =>
    pending.flatMap(({ peer }) => {
      const found = stored.get(keyOf(peer));
      const supergroup = found?.migratedToChannelId == null ? null : { peerType: 'channel' as const, peerId: found.migratedToChannelId };
      return found === undefined ? [peer] : supergroup !== null && !stored.has(keyOf(supergroup)) ? [supergroup] : [];
    });
  // Look up the peers, then the supergroups of upgraded groups found among them.
  const lookUpWithSupergroups = async () => {
    const stored = await lookUp(pending.map(({ peer }) => peer));
    const supergroups = wanted(stored).filter((peer) => peer.peerType === 'channel' && stored.size > 0);
    return supergroups.length === 0 ? stored : new Map([...stored, ...(await lookUp(supergroups))]);
  };
  let stored = await lookUpWithSupergroups();
  if (wanted(stored).length > 0 && !context.deferredMethods.has(METHODS.getDialogs)) {
    await scanOwnDialogs(context);
    stored = await lookUpWithSupergroups();
  }
  const results: { configured: UnresolvedPeer; outcome: Exclude<ResolveOutcome, { kind: 'postponed' }> }[] = [];
  for (const { configured, peer } of pending) {
    const found = stored.get(keyOf(peer));
    const supergroup = found?.migratedToChannelId == null ? undefined : stored.get(`channel:${found.migratedToChannelId}`);
    if (supergroup !== undefined) results.push({ configured, outcome: { kind: 'resolved', peer: supergroup } });
    else if (peer.peerType === 'chat') results.push({ configured, outcome: found === undefined ? await lookUpUnlistedGroup(context, peer) : { kind: 'resolved', peer } });
    else results.push({ configured, outcome: found === undefined ? { kind: 'failed', errorCode: 'PEER_NOT_FOUND' } : { kind: 'resolved', peer } });
  }
  return results;
}

/**
 * A basic group missing from the account's dialog lists, which is where Telegram hides groups
 * upgraded to supergroups: ask for it, and follow Chat.migrated_to, whose InputChannel carries this
 * account's access hash for the supergroup.
 */
async function lookUpUnlistedGroup(context: RunContext, peer: PeerKey): Promise<Exclude<ResolveOutcome, { kind: 'postponed' }>> {
  if (context.deferredMethods.has(METHODS.getChats)) return { kind: 'resolved', peer };
  const chats = await callTelegram(context.policy, METHODS.getChats, () => context.gateway.getChats([peer.peerId]));
  if (!chats.ok) return { kind: 'failed', errorCode: chats.failure.errorMessage };
  const chat = chats.value.chats.find((candidate) => candidate.className === 'Chat' && BigInt(candidate.id.toString()) === peer.peerId);
  await context.transact((db) => writeBatch(db, mapEntities(context.accountId, [], chats.value.chats), { runId: context.runId }));
  const migratedTo = chat?.className === 'Chat' ? chat.migratedTo : undefined;
  if (migratedTo == null || migratedTo.className !== 'InputChannel') return { kind: 'resolved', peer };
  const supergroup = { peerType: 'channel', peerId: BigInt(migratedTo.channelId.toString()), accessHash: BigInt(migratedTo.accessHash.toString()) } as const;
  const channels = await callTelegram(context.policy, METHODS.getChannels, () => context.gateway.getChannels([supergroup]));
  if (!channels.ok) return { kind: 'resolved', peer };
  await context.transact((db) => writeBatch(db, mapEntities(context.accountId, [], channels.value.chats), { runId: context.runId }));
  return { kind: 'resolved', peer: { peerType: 'channel', peerId: supergroup.peerId } };
}

function chatPeer(chat: Api.TypeChat): ResolveOutcome {
  switch (chat.className) {
    case 'Chat':
    case 'ChatForbidden':
    case 'ChatEmpty':
      return { kind: 'resolved', peer: { peerType: 'chat', peerId: BigInt(chat.id.toString()) } };
    case 'Channel':
    case 'ChannelForbidden':
      return { kind: 'resolved', peer: { peerType: 'channel', peerId: BigInt(chat.id.toString()) } };
  }
}

/** `input` is the displayed form (an invite's hash never enters the text: dashboards read it). */
function describeUnresolvable(errorCode: string, input: string): string {
  return `${input}: ${UNRESOLVABLE_REASONS[errorCode] ?? `Telegram answered ${errorCode}`}`;
}
