import type { BatchRows } from '../model/rows.ts';
import type { DuePeer } from '../store/peers/list-due-peers.ts';
import { recordPeerFailures, type PeerFailure } from '../store/peers/record-peer-failures.ts';
import { recordPeersSynced } from '../store/peers/record-peers-synced.ts';
import type { RunCounters } from '../store/runs/run-counters.ts';
import type { BatchWriteResult } from '../store/write-batch.ts';
import { writeBatch } from '../store/write-batch.ts';
import { CHANNEL_FORBIDDING_ERRORS, JOB_REASON, isReresolvable, peerErrorText } from '../telegram/error-policy.ts';
import { METHODS } from '../telegram/gateway.ts';
import { abortableSleep } from './abortable-sleep.ts';
import { callTelegram } from './call-policy.ts';
import { commitCounted } from './commit-counted.ts';
import { PeerCallPlanner, type AttemptOutcome, type BadPeer, type PlannedCall } from './isolate-bad-peers.ts';
import { OrderedWriter } from './ordered-writer.ts';
import type { RunContext } from './run-context.ts';
import { AccountWidePeerError } from './run-errors.ts';

export interface BatchSyncOptions {
  /** One more try at a peer whose access hash Telegram rejected: resolve it again, then retry it alone. */
  readonly reresolve: (peer: DuePeer) => Promise<DuePeer | null>;
}

/**
 * Syncs the due peers, `concurrency` calls in flight, with the optional pause between calls: full
 * batches of at most `batchSize` (never empty), bad peers isolated on the way (see PeerCallPlanner in
 * isolate-bad-peers.ts: halves cleared of suspicion rejoin full batches, peers that failed before are
 * asked for alone, and an account-wide failure is told from bad peers by evidence, not by count).
 * Each reply is matched to its requested peers by peer id and written in one short transaction
 * after it arrived, in order, while the next call is already under way.
 */
export async function syncDuePeers(
  context: RunContext,
  due: readonly DuePeer[],
  options: BatchSyncOptions,
): Promise<void> {
  const writer = new OrderedWriter(context.settings.concurrency);
  // GramJS cannot even serialise a user or channel without an access hash: no call needed to know.
  const withoutHash = due.filter((peer) => peer.peerType !== 'chat' && peer.accessHash === null);
  const planner = new PeerCallPlanner(
    due.filter((peer) => !withoutHash.includes(peer)),
    {
      batchSize: context.settings.batchSize,
      failedBefore: (peer) => peer.failedBefore,
      knownToWork: (peer) => peer.lastSyncedAt !== null && !peer.failedBefore,
    },
  );
  let lastCallStartedAt = 0;
  let stopped = false;
  const changed = new Notifier();
  // Telegram's numeric code of each unlisted error text seen, for the operator's text.
  const unlistedCodes = new Map<string, number>();

  const call = async (peers: readonly DuePeer[], write: boolean): Promise<AttemptOutcome> => {
    await writer.waitForRoom();
    await pauseBetweenCalls(context, lastCallStartedAt);
    lastCallStartedAt = Date.now();
    if (peers.length === 0) {
      // A probe that carries no peer: does the account work at all?
      const state = await callTelegram(context.policy, METHODS.getState, () => context.gateway.getState());
      return state.ok
        ? { kind: 'synced' }
        : { kind: 'peer-error', errorMessage: state.failure.errorMessage, reresolvable: false };
    }
    const outcome = await callTelegram(context.policy, METHODS.getPeerDialogs, () =>
      context.gateway.getPeerDialogs(peers, context),
    );
    if (!outcome.ok) {
      if (outcome.failure.unlistedCode !== undefined)
        unlistedCodes.set(outcome.failure.errorMessage, outcome.failure.unlistedCode);
      return {
        kind: 'peer-error',
        errorMessage: outcome.failure.errorMessage,
        reresolvable: outcome.failure.reresolvable,
      };
    }
    const rows = outcome.value;
    if (write) writer.enqueue(() => writeReply(context, peers, rows));
    return { kind: 'synced' };
  };

  const handleBad = async (bad: readonly BadPeer<DuePeer>[]) => {
    const stillBad: BadPeer<DuePeer>[] = [];
    for (const entry of bad) {
      const recovered = entry.reresolvable && (await retryWithFreshHash(context, entry, options, call));
      if (!recovered) stillBad.push(entry);
    }
    if (stillBad.length > 0) writer.enqueue(() => writeFailures(context, stillBad, unlistedCodes));
  };

  const worker = async () => {
    while (!stopped) {
      const planned = planner.next();
      if (planned === 'done') return;
      if (planned === 'wait') {
        await changed.next();
        continue;
      }
      const outcome = await call(planned.peers, planned.kind !== 'probe' || planned.write);
      const settled = planner.settle(planned, outcome);
      changed.notify();
      if (settled.accountWide !== null) throw new AccountWidePeerError(settled.accountWide, describeProbe(planned));
      if (settled.bad.length > 0) await handleBad(settled.bad);
    }
  };

  const workers: Promise<void>[] = [];
  try {
    const missingHash = JOB_REASON.missingAccessHash;
    await handleBad(
      withoutHash.map((peer) => ({ peer, errorMessage: missingHash, reresolvable: isReresolvable(missingHash) })),
    );
    for (let index = 0; index < context.settings.concurrency; index += 1) {
      workers.push(
        worker().catch((error: unknown) => {
          // One call ended the run: the others send nothing more.
          stopped = true;
          changed.notify();
          throw error;
        }),
      );
    }
    const ended = await Promise.allSettled(workers);
    const failure = ended.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
  } finally {
    // Whatever stopped the calls, replies already received are still written (or rolled back whole).
    await writer.drain();
  }
}

/** What the probe that failed was, for the run's error. */
function describeProbe(probe: PlannedCall<DuePeer>): string {
  if (probe.peers.length === 0) return 'updates.getState, which carries no peer';
  const peer = probe.peers[0] as DuePeer;
  const known = probe.kind === 'probe' && !probe.write ? 'synced earlier in this run' : 'that synced in an earlier run';
  return `a call with only ${peer.peerType} ${peer.peerId}, a peer ${known}`;
}

/** Wakes the workers waiting for a call in flight to settle. */
class Notifier {
  private waiters: (() => void)[] = [];

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

async function retryWithFreshHash(
  context: RunContext,
  bad: BadPeer<DuePeer>,
  options: BatchSyncOptions,
  call: (peers: readonly DuePeer[], write: boolean) => Promise<AttemptOutcome>,
): Promise<boolean> {
  const fresh = await options.reresolve(bad.peer);
  if (fresh === null) return false;
  context.logger.info(
    { peer: `${fresh.peerType}:${fresh.peerId}`, error: bad.errorMessage },
    're-resolved a peer whose access hash was rejected',
  );
  return (await call([fresh], true)).kind === 'synced';
}

async function writeReply(context: RunContext, peers: readonly DuePeer[], rows: BatchRows): Promise<void> {
  const withDialog = new Set(rows.dialogs.map((dialog) => `${dialog.peerType}:${dialog.peerId}`));
  const synced = peers.map((peer) => ({
    configuredPeerId: peer.configuredPeerId,
    hasDialog: withDialog.has(`${peer.peerType}:${peer.peerId}`),
  }));
  await commitCounted(
    context,
    async (db, counts) => {
      const written = await writeBatch(db, rows, { runId: context.runId });
      await recordPeersSynced(db, context.accountId, synced);
      countWrites(context, counts, rows, written, synced);
    },
    { stateFetched: true },
  );
}

async function writeFailures(
  context: RunContext,
  bad: readonly BadPeer<DuePeer>[],
  unlistedCodes: ReadonlyMap<string, number>,
): Promise<void> {
  const failures: PeerFailure[] = bad.map((entry) => ({
    configuredPeerId: entry.peer.configuredPeerId,
    errorCode: entry.errorMessage,
    errorText: peerErrorText(entry.errorMessage, unlistedCodes.get(entry.errorMessage)),
  }));
  for (const entry of bad) {
    context.logger.warn(
      { peer: `${entry.peer.peerType}:${entry.peer.peerId}`, error: entry.errorMessage },
      'peer failed; backing off',
    );
  }
  await commitCounted(context, async (db, counts) => {
    await recordPeerFailures(db, {
      accountId: context.accountId,
      runId: context.runId,
      failures,
      backoff: context.settings.peerBackoff,
      unresolvable: false,
      channelForbiddingCodes: CHANNEL_FORBIDDING_ERRORS,
    });
    counts.peersFailed += failures.length;
  });
}

/** Adds the peers one written reply synced to `counters` (its rows are counted by the transaction, see commit-counted.ts). */
function countWrites(
  context: RunContext,
  counters: RunCounters,
  rows: BatchRows,
  written: BatchWriteResult,
  synced: readonly { hasDialog: boolean }[],
): void {
  const withDialog = synced.filter((peer) => peer.hasDialog).length;
  counters.peersSynced += withDialog;
  counters.peersNoDialog += synced.length - withDialog;
  context.logger.debug({ dialogs: rows.dialogs.length, written }, 'batch written');
}

async function pauseBetweenCalls(context: RunContext, lastCallStartedAt: number): Promise<void> {
  const pauseMs = context.settings.pauseMs;
  if (pauseMs <= 0 || lastCallStartedAt === 0) return;
  const remaining = lastCallStartedAt + pauseMs - Date.now();
  if (remaining > 0) await abortableSleep(remaining, context.policy.signal);
}
