import { displayedInput, specFromNormalized, type PeerSpec } from '../peers/peer-spec.ts';
import type { BatchRows, PeerKey } from '../model/rows.ts';
import { findStoredPeers, type StoredPeer } from '../store/peers/find-stored-peer.ts';
import { findConfiguredPeer } from '../store/peers/find-configured-peer.ts';
import { findStoredUsernames } from '../store/peers/find-stored-usernames.ts';
import type { DuePeer } from '../store/peers/list-due-peers.ts';
import { listUnresolvedPeers, type UnresolvedPeer } from '../store/peers/list-unresolved-peers.ts';
import { recordPeerFailures, type PeerFailure } from '../store/peers/record-peer-failures.ts';
import {
  recordPendingReasons,
  recordResolutions,
  type PendingReason,
  type Resolution,
} from '../store/peers/record-resolutions.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import { writeBatch } from '../store/write-batch.ts';
import { CHANNEL_FORBIDDING_ERRORS, JOB_REASON, unresolvableText } from '../telegram/error-policy.ts';
import { METHODS } from '../telegram/gateway.ts';
import type { BasicGroup } from '../telegram/mapping/map-lookups.ts';
import { mergeEntities } from '../telegram/mapping/map-peer-dialogs.ts';
import { callTelegram } from './call-policy.ts';
import { ResolveUsernameBudget } from './resolve-budget.ts';
import { RunDeferredError } from './run-errors.ts';
import type { RunContext } from './run-context.ts';
import { scanOwnDialogs } from './scan-own-dialogs.ts';

export interface ResolutionSummary {
  readonly resolved: number;
  readonly failed: number;
  /** Left pending for a later run: the resolve budget is spent, a method is deferred, the dialog scan was incomplete. */
  readonly postponed: number;
  /** contacts.resolveUsername calls made. */
  readonly resolveUsernameCalls: number;
  /** Whether the account's dialog list was scanned. */
  readonly scannedDialogs: boolean;
}

type Settled =
  { readonly kind: 'resolved'; readonly peer: PeerKey } | { readonly kind: 'failed'; readonly errorCode: string };
type ResolveOutcome = Settled | { readonly kind: 'postponed'; readonly code: PendingCode };
type PendingCode = 'RESOLVE_BUDGET_SPENT' | 'RESOLVE_DEFERRED' | 'DIALOG_SCAN_INCOMPLETE';

interface Named {
  readonly configured: UnresolvedPeer;
  readonly username: string;
}
interface ById {
  readonly configured: UnresolvedPeer;
  readonly peer: PeerKey;
}

/**
 * Turns configured peers into (type, id) with a usable access hash, asking Telegram as little as
 * possible (contacts.resolveUsername is the most tightly limited method the job uses):
 *  1. what the account already stored (usernames and ids);
 *  2. one scan of the account's dialog lists, when a username or a user/channel id is still missing
 *     (skipped when only basic groups, invites, or names a complete scan already missed are left);
 *  3. basic groups by id in bulk (messages.getChats), following upgraded ones to their supergroup
 *     (channels.getChannels with the hash Chat.migrated_to carries);
 *  4. invites (messages.checkChatInvite) and contacts.resolveUsername for the remaining names, at most
 *     SYNC_RESOLVE_USERNAME_BUDGET per run; the others stay pending with their reason.
 * Entities seen on the way are stored. Failures mark the peer with a reason and never stop the run;
 * a deferred method only postpones its peers.
 */
export async function resolvePendingPeers(context: RunContext, budget = budgetOf(context)): Promise<ResolutionSummary> {
  const pending = await context.transact((db) => listUnresolvedPeers(db, context.accountId));
  // Saved at once, so that a progress display shows the resolution phase from its start.
  if (pending.length > 0)
    await context.transact.counted(async (_db, counts) => {
      counts.peersToResolve += pending.length;
    });
  const buffer = new ResolutionBuffer(context, { countsProgress: true });
  let names: Named[] = [];
  let ids: ById[] = [];
  const invites: { configured: UnresolvedPeer; hash: string }[] = [];
  for (const configured of pending) {
    const spec = specOf(configured);
    if (spec === null) buffer.add(configured, FAILED_INVALID_INPUT);
    else if (spec.kind === 'id') ids.push({ configured, peer: { peerType: spec.peerType, peerId: spec.peerId } });
    else if (spec.kind === 'username') names.push({ configured, username: spec.username });
    else invites.push({ configured, hash: spec.hash });
  }

  // 1. What the account already has.
  names = await resolveNamesFromStore(context, names, buffer);
  ids = await resolveIdsFromStore(context, ids, buffer);

  // 2. The dialog list, when it can pay off.
  let scanComplete = false;
  let scannedDialogs = false;
  if (dialogScanCanPayOff(names, ids) && !context.deferredMethods.has(METHODS.getDialogs)) {
    const scan = await scanOwnDialogs(context);
    scannedDialogs = true;
    scanComplete = scan.complete;
    names = await resolveNamesFromStore(context, names, buffer);
    ids = await resolveIdsFromStore(context, ids, buffer);
  }
  await buffer.flush();

  // 3. Basic groups by id, in bulk.
  const groups = ids.filter(({ peer }) => peer.peerType === 'chat');
  ids = ids.filter(({ peer }) => peer.peerType !== 'chat');
  for (const { configured, outcome } of await lookUpGroups(context, groups)) buffer.add(configured, outcome);
  await buffer.flush();

  // 4. Invites, then contacts.resolveUsername for the names left, within the budget.
  for (const { configured, hash } of invites) {
    buffer.add(configured, await resolveInvite(context, hash, buffer));
    if (buffer.size >= FLUSH_EVERY) await buffer.flush();
  }
  for (const { configured, username } of names) {
    buffer.add(configured, await resolveUsername(context, username, buffer, budget));
    if (buffer.size >= FLUSH_EVERY) await buffer.flush();
  }
  await buffer.flush();

  // Ids the names' answers may have brought; the rest are not reachable, or not known yet.
  ids = await resolveIdsFromStore(context, ids, buffer);
  for (const { configured } of ids) {
    buffer.add(
      configured,
      scanComplete
        ? { kind: 'failed', errorCode: JOB_REASON.peerNotFound }
        : { kind: 'postponed', code: scannedDialogs ? 'DIALOG_SCAN_INCOMPLETE' : 'RESOLVE_DEFERRED' },
    );
  }
  await buffer.flush();

  const { resolved, failed, postponed } = buffer;
  const summary = {
    resolved,
    failed,
    postponed,
    resolveUsernameCalls: budget.limit - budget.remaining,
    scannedDialogs,
  };
  if (resolved + failed + postponed > 0) context.logger.info(summary, 'resolved configured peers');
  if (buffer.postponedFor('RESOLVE_BUDGET_SPENT') > 0) {
    context.logger.warn(
      { waiting: buffer.postponedFor('RESOLVE_BUDGET_SPENT'), budget: budget.limit },
      'usernames left pending: this run spent its contacts.resolveUsername budget (SYNC_RESOLVE_USERNAME_BUDGET); the next runs resolve them',
    );
  }
  return summary;
}

/**
 * Configured basic groups that a reply of this run showed upgraded (Chat.migrated_to), switched to
 * their supergroup: from the store when the reply brought the supergroup too, else one bulk
 * messages.getChats and channels.getChannels. The group's rows stay (marked by migrated_to); the
 * configured peer now names the supergroup. Returns the switched peers, to be synced in the same run.
 */
export async function followUpgradedGroups(context: RunContext): Promise<DuePeer[]> {
  const pending = await context.transact((db) => listUnresolvedPeers(db, context.accountId));
  const groups = pending.flatMap((configured) =>
    configured.peerType === 'chat' && configured.peerId !== null
      ? [{ configured, peer: { peerType: 'chat', peerId: configured.peerId } as const }]
      : [],
  );
  if (groups.length === 0) return [];
  const buffer = new ResolutionBuffer(context);
  const left = await resolveIdsFromStore(context, groups, buffer);
  await buffer.flush();
  for (const { configured, outcome } of await lookUpGroups(context, left)) buffer.add(configured, outcome);
  await buffer.flush();
  const switched: DuePeer[] = [];
  for (const { configured } of groups) {
    const now = await context.transact((db) => findConfiguredPeer(db, configured.id));
    if (now !== null && now.peerType === 'channel' && now.accessHash !== null) switched.push(now);
  }
  if (switched.length > 0)
    context.logger.info({ groups: switched.length }, 'followed upgraded groups to their supergroups');
  return switched;
}

/** A fresh budget for one run. */
export function budgetOf(context: RunContext): ResolveUsernameBudget {
  return new ResolveUsernameBudget(
    context.settings.resolveUsername.budgetPerRun,
    context.settings.resolveUsername.intervalMs,
    context.policy,
  );
}

/**
 * The scan costs one getDialogs call per 100 dialogs; it pays off for usernames and user/channel ids
 * the store lacks (each otherwise a resolveUsername call, or not found at all). Basic groups need no
 * scan (one messages.getChats asks for up to 100), and a name that a complete scan of an earlier run
 * already missed (it waits for the resolve budget) is not looked for again.
 */
function dialogScanCanPayOff(names: readonly Named[], ids: readonly ById[]): boolean {
  return (
    names.some(({ configured }) => configured.lastErrorCode !== 'RESOLVE_BUDGET_SPENT') ||
    ids.some(({ peer }) => peer.peerType !== 'chat')
  );
}

const FAILED_INVALID_INPUT: Settled = { kind: 'failed', errorCode: JOB_REASON.invalidInput };

function specOf(configured: UnresolvedPeer): PeerSpec | null {
  if (configured.peerType !== null && configured.peerId !== null) {
    return {
      kind: 'id',
      peerType: configured.peerType,
      peerId: configured.peerId,
      normalized: configured.normalizedInput,
    };
  }
  return specFromNormalized(configured.normalizedInput);
}

/** Resolutions are written in groups: one transaction per group rather than per peer. */
const FLUSH_EVERY = 100;

/** Entities, resolutions, failures and pending reasons waiting to be written together. */
class ResolutionBuffer {
  resolved = 0;
  failed = 0;
  postponed = 0;
  private readonly postponedByCode = new Map<PendingCode, number>();
  private entities: BatchRows[] = [];
  private resolutions: Resolution[] = [];
  private failures: PeerFailure[] = [];
  private pending: PendingReason[] = [];

  /**
   * `countsProgress`: each flush adds what it settled to the run's resolution progress
   * (peersResolveDone, peersResolved). Only the run's resolution of pending peers does; re-resolving
   * a peer while syncing is not part of that phase.
   */
  constructor(
    private readonly context: RunContext,
    private readonly options: { readonly countsProgress?: boolean } = {},
  ) {}

  get size(): number {
    return this.resolutions.length + this.failures.length + this.pending.length;
  }

  postponedFor(code: PendingCode): number {
    return this.postponedByCode.get(code) ?? 0;
  }

  addEntities(entities: BatchRows): void {
    this.entities.push(entities);
  }

  add(configured: UnresolvedPeer, outcome: ResolveOutcome): void {
    if (outcome.kind === 'resolved') {
      this.resolved += 1;
      this.resolutions.push({
        configuredPeerId: configured.id,
        peerType: outcome.peer.peerType,
        peerId: outcome.peer.peerId,
      });
    } else if (outcome.kind === 'failed') {
      this.failed += 1;
      this.failures.push({
        configuredPeerId: configured.id,
        errorCode: outcome.errorCode,
        errorText: describeUnresolvable(
          outcome.errorCode,
          displayedInput(configured.input, configured.normalizedInput),
        ),
      });
    } else {
      this.postponed += 1;
      this.postponedByCode.set(outcome.code, this.postponedFor(outcome.code) + 1);
      this.pending.push({
        configuredPeerId: configured.id,
        code: outcome.code,
        text: describePending(outcome.code, displayedInput(configured.input, configured.normalizedInput), this.context),
      });
    }
  }

  async flush(): Promise<void> {
    if (this.size === 0 && this.entities.length === 0) return;
    const rows = mergeEntities(this.entities);
    const { resolutions, failures, pending } = this;
    this.entities = [];
    this.resolutions = [];
    this.failures = [];
    this.pending = [];
    const context = this.context;
    const write = async (db: SqlExecutor) => {
      await writeBatch(db, rows, { runId: context.runId });
      await recordResolutions(db, context.accountId, resolutions);
      await recordPeerFailures(db, {
        accountId: context.accountId,
        runId: context.runId,
        unresolvable: true,
        backoff: context.settings.peerBackoff,
        channelForbiddingCodes: CHANNEL_FORBIDDING_ERRORS,
        failures,
      });
      await recordPendingReasons(db, context.accountId, pending);
    };
    if (this.options.countsProgress !== true) {
      await context.transact(write);
      return;
    }
    // The progress commits with the resolutions it counts.
    await context.transact.counted(async (db, counts) => {
      await write(db);
      counts.peersResolved += resolutions.length;
      counts.peersResolveDone += resolutions.length + failures.length + pending.length;
    });
  }
}

/** Resolves one configured peer again, e.g. after its stored access hash was rejected. */
export async function reresolvePeer(
  context: RunContext,
  configured: UnresolvedPeer,
  budget = budgetOf(context),
): Promise<PeerKey | null> {
  const buffer = new ResolutionBuffer(context);
  const spec = specOf(configured);
  let outcome: ResolveOutcome;
  if (spec === null) outcome = FAILED_INVALID_INPUT;
  // An id carries no fresher hash than the stored one.
  else if (spec.kind === 'id') return null;
  else if (spec.kind === 'username') outcome = await resolveUsername(context, spec.username, buffer, budget);
  else outcome = await resolveInvite(context, spec.hash, buffer);
  buffer.add(configured, outcome);
  await buffer.flush();
  return outcomePeer(outcome);
}

function outcomePeer(outcome: ResolveOutcome): PeerKey | null {
  return outcome.kind === 'resolved' ? outcome.peer : null;
}

/** Names the account already holds a full access hash for are resolved; the others are returned. */
async function resolveNamesFromStore(
  context: RunContext,
  names: readonly Named[],
  buffer: ResolutionBuffer,
): Promise<Named[]> {
  if (names.length === 0) return [];
  const stored = await context.transact((db) =>
    findStoredUsernames(
      db,
      context.accountId,
      names.map(({ username }) => username),
    ),
  );
  const left: Named[] = [];
  for (const name of names) {
    const peer = stored.get(name.username.toLowerCase());
    if (peer === undefined) left.push(name);
    else buffer.add(name.configured, { kind: 'resolved', peer });
  }
  return left;
}

/**
 * Ids resolved from what the account stored: users and channels with a full access hash, basic
 * groups it has seen — or their supergroup when the group was upgraded and the supergroup is stored.
 * Returns the ids still missing (an upgraded group whose supergroup is unknown among them).
 */
async function resolveIdsFromStore(
  context: RunContext,
  ids: readonly ById[],
  buffer: ResolutionBuffer,
): Promise<ById[]> {
  if (ids.length === 0) return [];
  const lookUp = (peers: readonly PeerKey[]) => context.transact((db) => findStoredPeers(db, context.accountId, peers));
  const stored = await lookUp(ids.map(({ peer }) => peer));
  const supergroupOf = (found: StoredPeer | undefined): PeerKey | null =>
    found?.migratedToChannelId == null ? null : { peerType: 'channel', peerId: found.migratedToChannelId };
  const supergroups = [...stored.values()].flatMap((found) => supergroupOf(found) ?? []);
  const storedSupergroups = await lookUp(supergroups);
  const left: ById[] = [];
  for (const id of ids) {
    const found = stored.get(keyOf(id.peer));
    const supergroup = supergroupOf(found);
    if (found === undefined) left.push(id);
    else if (supergroup === null) buffer.add(id.configured, { kind: 'resolved', peer: id.peer });
    else if (storedSupergroups.has(keyOf(supergroup)))
      buffer.add(id.configured, { kind: 'resolved', peer: supergroup });
    else left.push(id);
  }
  return left;
}

const keyOf = (peer: PeerKey) => `${peer.peerType}:${peer.peerId}`;

/** Telegram's limit of ids per messages.getChats / channels.getChannels call. */
const BULK_SIZE = 100;

/**
 * Basic groups the store could not settle (unseen, or upgraded to a supergroup the account has no
 * hash for): asked for in bulk with messages.getChats (groups need no access hash), and upgraded ones
 * followed with channels.getChannels, whose InputChannel from Chat.migrated_to carries this account's
 * hash. One unknown group fails a whole getChats call; that chunk is then asked for one group at a time.
 */
async function lookUpGroups(
  context: RunContext,
  groups: readonly ById[],
): Promise<{ configured: UnresolvedPeer; outcome: ResolveOutcome }[]> {
  if (groups.length === 0) return [];
  if (context.deferredMethods.has(METHODS.getChats))
    return groups.map(({ configured }) => ({ configured, outcome: { kind: 'postponed', code: 'RESOLVE_DEFERRED' } }));
  const chatIds = [...new Set(groups.map(({ peer }) => peer.peerId))];
  const answers = new Map<bigint, BasicGroup | { error: string }>();
  const entities: BatchRows[] = [];
  for (let start = 0; start < chatIds.length; start += BULK_SIZE) {
    const chunk = chatIds.slice(start, start + BULK_SIZE);
    const reply = await callDeferrable(context, METHODS.getChats, () => context.gateway.getChats(chunk, context));
    if (reply === 'deferred') break;
    if (reply.ok) {
      for (const group of reply.value.groups) answers.set(group.chatId, group);
      entities.push(reply.value.entities);
      continue;
    }
    if (chunk.length === 1) {
      answers.set(chunk[0]!, { error: reply.failure.errorMessage });
      continue;
    }
    for (const chatId of chunk) {
      const single = await callDeferrable(context, METHODS.getChats, () => context.gateway.getChats([chatId], context));
      if (single === 'deferred') break;
      if (single.ok) {
        for (const group of single.value.groups) answers.set(group.chatId, group);
        entities.push(single.value.entities);
      } else answers.set(chatId, { error: single.failure.errorMessage });
    }
  }
  const groupsFound = [...answers.values()].filter((answer): answer is BasicGroup => !('error' in answer));
  await context.transact((db) => writeBatch(db, mergeEntities(entities), { runId: context.runId }));
  const supergroups = await followUpgrades(context, groupsFound);
  return groups.map(({ configured, peer }) => {
    const answer = answers.get(peer.peerId);
    if (answer === undefined) {
      const deferred = context.deferredMethods.has(METHODS.getChats);
      return {
        configured,
        outcome: deferred
          ? ({ kind: 'postponed', code: 'RESOLVE_DEFERRED' } as const)
          : ({ kind: 'failed', errorCode: JOB_REASON.peerNotFound } as const),
      };
    }
    if ('error' in answer) return { configured, outcome: { kind: 'failed', errorCode: answer.error } as const };
    const supergroup = supergroups.get(peer.peerId);
    return { configured, outcome: { kind: 'resolved', peer: supergroup ?? peer } as const };
  });
}

/**
 * The supergroups of upgraded groups among `groups`, fetched in bulk (channels.getChannels) and
 * stored with this account's hash: chat id → the supergroup. A supergroup the account is not a member
 * of is left out.
 */
export async function followUpgrades(
  context: RunContext,
  groups: readonly BasicGroup[],
): Promise<Map<bigint, PeerKey>> {
  const upgraded = groups.flatMap(({ chatId, upgradedTo }) =>
    upgradedTo === null ? [] : [{ chatId, channel: upgradedTo }],
  );
  const followed = new Map<bigint, PeerKey>();
  if (upgraded.length === 0 || context.deferredMethods.has(METHODS.getChannels)) return followed;
  for (let start = 0; start < upgraded.length; start += BULK_SIZE) {
    const chunk = upgraded.slice(start, start + BULK_SIZE);
    let reply = await callDeferrable(context, METHODS.getChannels, () =>
      context.gateway.getChannels(
        chunk.map(({ channel }) => channel),
        context,
      ),
    );
    if (reply === 'deferred') break;
    const answered = reply.ok ? [reply.value] : [];
    if (!reply.ok && chunk.length > 1) {
      // One unreachable supergroup fails the call: ask for each on its own.
      for (const { channel } of chunk) {
        reply = await callDeferrable(context, METHODS.getChannels, () =>
          context.gateway.getChannels([channel], context),
        );
        if (reply === 'deferred') break;
        if (reply.ok) answered.push(reply.value);
      }
    }
    const rows = mergeEntities(answered.map((answer) => answer.entities));
    await context.transact((db) => writeBatch(db, rows, { runId: context.runId }));
    // Followed only into a supergroup the account is in: one it left, or that answers as
    // channelForbidden, has no dialog to sync; the group then stays configured as it is.
    const reachable = new Set(
      answered.flatMap((answer) => answer.channels.flatMap((channel) => (channel.member ? [channel.channelId] : []))),
    );
    for (const { chatId, channel } of chunk)
      if (reachable.has(channel.peerId)) followed.set(chatId, { peerType: 'channel', peerId: channel.peerId });
  }
  return followed;
}

/** A call whose method may be deferred by a long flood wait: 'deferred' then, for this run. */
async function callDeferrable<Value>(
  context: RunContext,
  method: (typeof METHODS)[keyof typeof METHODS],
  call: () => Promise<Value>,
) {
  if (context.deferredMethods.has(method)) return 'deferred' as const;
  try {
    return await callTelegram(context.policy, method, call);
  } catch (error) {
    if (error instanceof RunDeferredError) {
      context.deferredMethods.add(method);
      return 'deferred' as const;
    }
    throw error;
  }
}

async function resolveUsername(
  context: RunContext,
  username: string,
  buffer: ResolutionBuffer,
  budget: ResolveUsernameBudget,
): Promise<ResolveOutcome> {
  if (context.deferredMethods.has(METHODS.resolveUsername)) return { kind: 'postponed', code: 'RESOLVE_DEFERRED' };
  if (!(await budget.take())) return { kind: 'postponed', code: 'RESOLVE_BUDGET_SPENT' };
  // A long wait on resolveUsername stops resolving new peers, not syncing resolved ones.
  const outcome = await callDeferrable(context, METHODS.resolveUsername, () =>
    context.gateway.resolveUsername(username, context),
  );
  if (outcome === 'deferred') return { kind: 'postponed', code: 'RESOLVE_DEFERRED' };
  if (!outcome.ok) return { kind: 'failed', errorCode: outcome.failure.errorMessage };
  buffer.addEntities(outcome.value.entities);
  return { kind: 'resolved', peer: outcome.value.peer };
}

async function resolveInvite(context: RunContext, hash: string, buffer: ResolutionBuffer): Promise<ResolveOutcome> {
  const outcome = await callDeferrable(context, METHODS.checkChatInvite, () =>
    context.gateway.checkChatInvite(hash, context),
  );
  if (outcome === 'deferred') return { kind: 'postponed', code: 'RESOLVE_DEFERRED' };
  if (!outcome.ok) return { kind: 'failed', errorCode: outcome.failure.errorMessage };
  const invite = outcome.value;
  if (!invite.joined) return { kind: 'failed', errorCode: JOB_REASON.inviteNotJoined };
  buffer.addEntities(invite.entities);
  return { kind: 'resolved', peer: invite.peer };
}

/** `input` is the displayed form (an invite's hash never enters the text: dashboards read it). */
function describeUnresolvable(errorCode: string, input: string): string {
  return `${input}: ${unresolvableText(errorCode)}`;
}

function describePending(code: PendingCode, input: string, context: RunContext): string {
  switch (code) {
    case 'RESOLVE_BUDGET_SPENT':
      return `${input}: waits for a contacts.resolveUsername call: each run makes at most ${context.settings.resolveUsername.budgetPerRun} (SYNC_RESOLVE_USERNAME_BUDGET) for names that are neither stored nor in the account's dialogs; a later run resolves it`;
    case 'RESOLVE_DEFERRED':
      return `${input}: waits until Telegram's flood wait on resolving peers is over; a later run resolves it`;
    case 'DIALOG_SCAN_INCOMPLETE':
      return `${input}: not found in the part of the account's dialog list this run could read; a later run looks again`;
  }
}
