import type { Api } from 'telegram';
import { mapPeerDialogs } from '../store/mapping/map-peer-dialogs.ts';
import type { BatchRows } from '../store/rows.ts';
import type { DuePeer } from '../store/peers/list-due-peers.ts';
import { recordPeerFailures, type PeerFailure } from '../store/peers/record-peer-failures.ts';
import { recordPeersSynced } from '../store/peers/record-peers-synced.ts';
import type { RunCounters } from '../store/runs/run-counters.ts';
import type { BatchWriteResult } from '../store/write-batch.ts';
import { writeBatch } from '../store/write-batch.ts';
import { isReresolvablePeerError, peerErrorText } from '../telegram/classify-error.ts';
import { METHODS } from '../telegram/gateway.ts';
import { MissingAccessHashError } from '../telegram/input-peers.ts';
import { abortableSleep } from './abortable-sleep.ts';
import { callTelegram } from './call-policy.ts';
import { commitCounted } from './commit-counted.ts';
import { isolateBadPeers, type AttemptOutcome, type BadPeer } from './isolate-bad-peers.ts';
import { OrderedWriter } from './ordered-writer.ts';
import type { RunContext } from './run-context.ts';
import { AccountWidePeerError } from './run-errors.ts';

export interface BatchSyncOptions {
  /** One more try at a peer whose access hash Telegram rejected: resolve it again, then retry it alone. */
  readonly reresolve: (peer: DuePeer) => Promise<DuePeer | null>;
}

/**
 * Syncs the due peers in batches of at most `batchSize` (never empty), `concurrency` calls in flight,
 * with the optional pause between calls. Each reply is matched to its requested peers by peer id and
 * written in one short transaction after it arrived, in order, while the next call is already under
 * way. A batch failing for a peer error is bisected so the others sync in the same run.
 */
export async function syncDuePeers(context: RunContext, due: readonly DuePeer[], options: BatchSyncOptions): Promise<void> {
  const writer = new OrderedWriter(context.settings.concurrency);
  const batches = chunk(due, context.settings.batchSize);
  let next = 0;
  let lastCallStartedAt = 0;
  // Telegram's numeric code of each unlisted error text seen, for the operator's text.
  const unlistedCodes = new Map<string, number>();

  const attempt = async (peers: readonly DuePeer[]): Promise<AttemptOutcome> => {
    await writer.waitForRoom();
    await pauseBetweenCalls(context, lastCallStartedAt);
    lastCallStartedAt = Date.now();
    let outcome;
    try {
      outcome = await callTelegram(context.policy, METHODS.getPeerDialogs, () => context.gateway.getPeerDialogs(peers));
    } catch (error) {
      // A peer GramJS cannot serialise fails like a bad peer, so bisection isolates it.
      if (error instanceof MissingAccessHashError) return { kind: 'peer-error', errorMessage: 'MISSING_ACCESS_HASH' };
      throw error;
    }
    if (!outcome.ok) {
      if (outcome.failure.unlistedCode !== undefined) unlistedCodes.set(outcome.failure.errorMessage, outcome.failure.unlistedCode);
      return { kind: 'peer-error', errorMessage: outcome.failure.errorMessage };
    }
    const reply = outcome.value;
    writer.enqueue(() => writeReply(context, peers, reply));
    return { kind: 'synced' };
  };

  const syncBatch = async (batch: readonly DuePeer[]) => {
    const first = await attempt(batch);
    if (first.kind === 'synced') return;
    const isolation = await isolateBadPeers(batch, first.errorMessage, attempt);
    if (isolation.everyPeerFailed) {
      throw new AccountWidePeerError(first.errorMessage, batch.length);
    }
    const stillBad: BadPeer<DuePeer>[] = [];
    for (const bad of isolation.bad) {
      const recovered = await retryWithFreshHash(context, bad, options, attempt);
      if (!recovered) stillBad.push(bad);
    }
    if (stillBad.length > 0) writer.enqueue(() => writeFailures(context, stillBad, unlistedCodes));
  };

  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next] as DuePeer[];
      next += 1;
      await syncBatch(batch);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(context.settings.concurrency, batches.length) }, worker));
  } finally {
    // Whatever stopped the calls, replies already received are still written (or rolled back whole).
    await writer.drain();
  }
}

async function retryWithFreshHash(
  context: RunContext,
  bad: BadPeer<DuePeer>,
  options: BatchSyncOptions,
  attempt: (peers: readonly DuePeer[]) => Promise<AttemptOutcome>,
): Promise<boolean> {
  if (!isReresolvablePeerError(bad.errorMessage)) return false;
  const fresh = await options.reresolve(bad.peer);
  if (fresh === null) return false;
  context.logger.info({ peer: `${fresh.peerType}:${fresh.peerId}`, error: bad.errorMessage }, 're-resolved a peer whose access hash was rejected');
  return (await attempt([fresh])).kind === 'synced';
}

async function writeReply(context: RunContext, peers: readonly DuePeer[], reply: Api.messages.PeerDialogs): Promise<void> {
  const rows = mapPeerDialogs({ accountId: context.accountId, selfUserId: context.selfUserId }, reply);
  const withDialog = new Set(rows.dialogs.map((dialog) => `${dialog.peerType}:${dialog.peerId}`));
  const synced = peers.map((peer) => ({ configuredPeerId: peer.configuredPeerId, hasDialog: withDialog.has(`${peer.peerType}:${peer.peerId}`) }));
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

async function writeFailures(context: RunContext, bad: readonly BadPeer<DuePeer>[], unlistedCodes: ReadonlyMap<string, number>): Promise<void> {
  const failures: PeerFailure[] = bad.map((entry) => ({
    configuredPeerId: entry.peer.configuredPeerId,
    errorCode: entry.errorMessage,
    errorText: peerErrorText(entry.errorMessage, unlistedCodes.get(entry.errorMessage)),
  }));
  for (const entry of bad) {
    context.logger.warn({ peer: `${entry.peer.peerType}:${entry.peer.peerId}`, error: entry.errorMessage }, 'peer failed; backing off');
  }
  await commitCounted(context, async (db, counts) => {
    await recordPeerFailures(db, { accountId: context.accountId, runId: context.runId, failures, backoff: context.settings.peerBackoff, unresolvable: false });
    counts.peersFailed += failures.length;
  });
}

/** Adds what one written reply did to `counters` (the transaction's own counts, see commitCounted). */
function countWrites(context: RunContext, counters: RunCounters, rows: BatchRows, written: BatchWriteResult, synced: readonly { hasDialog: boolean }[]): void {
  const withDialog = synced.filter((peer) => peer.hasDialog).length;
  counters.peersSynced += withDialog;
  counters.peersNoDialog += synced.length - withDialog;
  counters.dialogsInserted += written.dialogs.inserted;
  counters.dialogsUpdated += written.dialogs.updated;
  counters.messagesInserted += written.messages.inserted;
  counters.messagesUpdated += written.messages.updated;
  counters.usersInserted += written.users.inserted;
  counters.usersUpdated += written.users.updated;
  counters.chatsInserted += written.chats.inserted;
  counters.chatsUpdated += written.chats.updated;
  counters.channelsInserted += written.channels.inserted;
  counters.channelsUpdated += written.channels.updated;
  context.logger.debug({ dialogs: rows.dialogs.length, written }, 'batch written');
}

async function pauseBetweenCalls(context: RunContext, lastCallStartedAt: number): Promise<void> {
  const pauseMs = context.settings.pauseMs;
  if (pauseMs <= 0 || lastCallStartedAt === 0) return;
  const remaining = lastCallStartedAt + pauseMs - Date.now();
  if (remaining > 0) await abortableSleep(remaining, context.policy.signal);
}

function chunk<Item>(items: readonly Item[], size: number): Item[][] {
  const chunks: Item[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
