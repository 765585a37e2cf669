/**
 * Issue 14 point 3: bisection that fills batches. Counted in the local data center's call log (the
 * counts are deterministic): a first sync of N peers with k bad ones makes at most
 * ⌈N/100⌉ + k·(⌈log₂ 100⌉ + 1) getPeerDialogs calls, the halves cleared of suspicion travel in full
 * batches, and once the bad peers' backoff is over a run makes at most ⌈N/100⌉ + k calls — a peer
 * that failed before is asked for on its own, not hidden in a full batch to be bisected again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  assertRan,
  peerKeyOfMarked,
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';

const PEERS = 618;

const succeeded = (result: SyncAccountResult) => assertRan(result, 'succeeded').counters;

describe('bisection that fills batches', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let peers: bigint[];
  let bad: bigint;

  before(async () => {
    harness = await startSyncHarness({
      label: 'bisection_calls',
      world: { seed: 'bisection-calls', peers: 2000, accounts: 1 },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    peers = syncablePeers(harness.world, me).slice(0, PEERS);
    assert.equal(peers.length, PEERS);
    // The first channel in id order: early in the first batch, so its bisection goes into first halves
    // and leaves a cleared second half at every level (the case).
    const channels = peers
      .filter((marked) => peerKeyOfMarked(marked).peerType === 'channel')
      .sort((a, b) => (String(peerKeyOfMarked(a).peerId) < String(peerKeyOfMarked(b).peerId) ? -1 : 1));
    bad = channels[0]!;
    harness.world.kickAccount(me, bad);
  });
  after(() => harness?.close());

  const run = (concurrency = 1) =>
    syncAccount(harness.deps, {
      account,
      settings: { ...TEST_SYNC_SETTINGS, concurrency },
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peers),
    });
  const peerDialogCalls = () => harness.server.callLog.calls('messages.GetPeerDialogs');

  it('first sync: at most ⌈N/100⌉ + 8 calls for one bad peer, and no cleared half sent on its own', async () => {
    const before = peerDialogCalls().length;
    const counters = succeeded(await run());
    assert.deepEqual([counters.peersSynced, counters.peersFailed], [PEERS - 1, 1]);
    const calls = peerDialogCalls().slice(before);
    const sizes = calls.map((call) => `${call.peers?.length}${call.outcome.kind === 'ok' ? '' : '!'}`).join(' ');
    assert.ok(calls.length <= Math.ceil(PEERS / 100) + 8, `${calls.length} calls: ${sizes}`);
    // Peers synced without a full batch: only those of the bisection's own successful halves and the last batch.
    const partial = calls.filter((call) => call.outcome.kind === 'ok' && (call.peers?.length ?? 0) < 100);
    assert.ok(partial.length <= 8, sizes);
  });

  it('after its backoff, a still-bad peer costs one call of its own: ⌈N/100⌉ + 1', async () => {
    await harness.sql.query(
      `UPDATE configured_peers SET next_attempt_at = now() - interval '1 second' WHERE status = 'failing'`,
    );
    const before = peerDialogCalls().length;
    const counters = succeeded(await run());
    assert.deepEqual([counters.peersSynced, counters.peersFailed], [PEERS - 1, 1]);
    const calls = peerDialogCalls().slice(before);
    assert.ok(calls.length <= Math.ceil(PEERS / 100) + 1, `${calls.length} calls`);
    assert.equal(calls[0]?.peers?.length, 1, 'the peer that failed before goes first, alone');
    const failing = await harness.sql.query(
      `SELECT consecutive_failures FROM configured_peers WHERE account_id = $1 AND status = 'failing'`,
      [account.id],
    );
    assert.deepEqual(failing.rows, [{ consecutive_failures: 2 }]);
  });

  it('with two calls in flight, isolates the same peer and syncs all the others', async () => {
    await harness.sql.query(
      `UPDATE configured_peers SET next_attempt_at = NULL, consecutive_failures = 0, status = 'synced' WHERE account_id = $1`,
      [account.id],
    );
    const counters = succeeded(await run(2));
    assert.deepEqual([counters.peersSynced, counters.peersFailed], [PEERS - 1, 1]);
    const failing = await harness.sql.query(
      `SELECT peer_id::text FROM configured_peers WHERE account_id = $1 AND status = 'failing'`,
      [account.id],
    );
    assert.deepEqual(failing.rows, [{ peer_id: peerKeyOfMarked(bad).peerId.toString() }]);
  });
});
