import type { Api } from 'telegram';
import { specFromNormalized, type PeerSpec } from '../peers/peer-spec.ts';
import { mapEntities } from '../store/mapping/map-peer-dialogs.ts';
import { peerKeyOf } from '../store/mapping/peer-ref.ts';
import type { PeerKey } from '../store/rows.ts';
import { findStoredPeer } from '../store/peers/find-stored-peer.ts';
import { listUnresolvedPeers, type UnresolvedPeer } from '../store/peers/list-unresolved-peers.ts';
import { recordPeerFailures } from '../store/peers/record-peer-failures.ts';
import { recordResolutions } from '../store/peers/record-resolutions.ts';
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
  const scan = { done: false };
  let resolved = 0;
  let failed = 0;
  let postponed = 0;
  for (const configured of pending) {
    const outcome = await resolveOne(context, configured, scan);
    if (outcome.kind === 'postponed') {
      postponed += 1;
    } else if (outcome.kind === 'resolved') {
      resolved += 1;
      await context.transact((db) =>
        recordResolutions(db, context.accountId, [{ configuredPeerId: configured.id, peerType: outcome.peer.peerType, peerId: outcome.peer.peerId }]),
      );
    } else {
      failed += 1;
      await context.transact((db) =>
        recordPeerFailures(db, {
          accountId: context.accountId,
          runId: context.runId,
          unresolvable: true,
          backoff: context.settings.peerBackoff,
          failures: [{ configuredPeerId: configured.id, errorCode: outcome.errorCode, errorText: describeUnresolvable(outcome.errorCode, configured.input) }],
        }),
      );
    }
  }
  if (resolved + failed + postponed > 0) context.logger.info({ resolved, failed, postponed }, 'resolved configured peers');
  return { resolved, failed, postponed };
}

/** Resolves one configured peer again, e.g. after its stored access hash was rejected. */
export async function reresolvePeer(context: RunContext, configured: UnresolvedPeer): Promise<PeerKey | null> {
  const outcome = await resolveOne(context, configured, { done: false });
  return outcome.kind === 'resolved' ? outcome.peer : null;
}

async function resolveOne(context: RunContext, configured: UnresolvedPeer, scan: { done: boolean }): Promise<ResolveOutcome> {
  const spec = configured.peerType !== null && configured.peerId !== null
    ? ({ kind: 'id', peerType: configured.peerType, peerId: configured.peerId, normalized: configured.normalizedInput } satisfies PeerSpec)
    : specFromNormalized(configured.normalizedInput);
  if (spec === null) return { kind: 'failed', errorCode: 'INVALID_INPUT' };
  switch (spec.kind) {
    case 'username':
      return resolveUsername(context, spec.username);
    case 'invite':
      return resolveInvite(context, spec.hash);
    case 'id':
      return resolveId(context, { peerType: spec.peerType, peerId: spec.peerId }, scan);
  }
}

async function resolveUsername(context: RunContext, username: string): Promise<ResolveOutcome> {
  if (context.deferredMethods.has(METHODS.resolveUsername)) return { kind: 'postponed' };
  try {
    const outcome = await callTelegram(context.policy, METHODS.resolveUsername, () => context.gateway.resolveUsername(username));
    if (!outcome.ok) return { kind: 'failed', errorCode: outcome.failure.errorMessage };
    await storeEntities(context, outcome.value.users, outcome.value.chats);
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

async function resolveInvite(context: RunContext, hash: string): Promise<ResolveOutcome> {
  if (context.deferredMethods.has(METHODS.checkChatInvite)) return { kind: 'postponed' };
  try {
    const outcome = await callTelegram(context.policy, METHODS.checkChatInvite, () => context.gateway.checkChatInvite(hash));
    if (!outcome.ok) return { kind: 'failed', errorCode: outcome.failure.errorMessage };
    const invite = outcome.value;
    if (invite.className !== 'ChatInviteAlready') return { kind: 'failed', errorCode: 'INVITE_NOT_JOINED' };
    await storeEntities(context, [], [invite.chat]);
    return chatPeer(invite.chat);
  } catch (error) {
    if (error instanceof RunDeferredError) {
      context.deferredMethods.add(METHODS.checkChatInvite);
      return { kind: 'postponed' };
    }
    throw error;
  }
}

/** Numeric ids carry no access hash: use the account's stored one, else scan its dialogs once. */
async function resolveId(context: RunContext, peer: PeerKey, scan: { done: boolean }): Promise<ResolveOutcome> {
  const lookUp = () => context.transact((db) => findStoredPeer(db, context.accountId, peer.peerType, peer.peerId));
  let stored = await lookUp();
  if (peer.peerType === 'chat' && stored === null) {
    // Basic groups need no access hash: getPeerDialogs will say whether the account is in it.
    return { kind: 'resolved', peer };
  }
  if (stored === null && !scan.done && !context.deferredMethods.has(METHODS.getDialogs)) {
    scan.done = true;
    await scanOwnDialogs(context);
    stored = await lookUp();
  }
  if (stored === null) return { kind: 'failed', errorCode: 'PEER_NOT_FOUND' };
  if (stored.migratedToChannelId !== null) {
    // A basic group upgraded to a supergroup: follow it.
    return resolveId(context, { peerType: 'channel', peerId: stored.migratedToChannelId }, scan);
  }
  return { kind: 'resolved', peer };
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

async function storeEntities(context: RunContext, users: readonly Api.TypeUser[], chats: readonly Api.TypeChat[]): Promise<void> {
  const rows = mapEntities(context.accountId, users, chats);
  await context.transact((db) => writeBatch(db, rows, { runId: context.runId }));
}

function describeUnresolvable(errorCode: string, input: string): string {
  return `${input}: ${UNRESOLVABLE_REASONS[errorCode] ?? `Telegram answered ${errorCode}`}`;
}
