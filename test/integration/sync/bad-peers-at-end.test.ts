/**
 * Issue 11 point 2: peers failing alike prove nothing about the account. Two channels the account was
 * kicked from at the end of a 102-peer list make the last batch fail whole, and then each of its
 * halves: that is two bad peers, backed off, while the other 100 sync — run after run. Only evidence
 * (a call carrying a peer known to work, or no peer at all, failing too) makes it an account error,
 * and then no peer is backed off. And no failed run may shrink what the next run tries.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  peerKeyOfMarked,
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';

function finished(result: SyncAccountResult) {
  if (result.status === 'skipped') assert.fail(result.reason);
  return result;
}

describe('bad peers at the end of the list', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let peers: bigint[];
  let kicked: bigint[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'bad_peers_at_end',
      world: { seed: 'bad-peers-at-end', peers: 1500, accounts: 1 },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const candidates = syncablePeers(harness.world, me);
    // Configured peers are numbered in the order of their normalised input (id:channel:…): the two
    // kicked channels are the last two of 102 channels in that order.
    const normalized = (marked: bigint) => `id:channel:${peerKeyOfMarked(marked).peerId}`;
    const channels = candidates
      .filter((marked) => peerKeyOfMarked(marked).peerType === 'channel')
      .sort((a, b) => (normalized(a) < normalized(b) ? -1 : 1));
    peers = channels.slice(0, 102);
    kicked = peers.slice(-2);
    assert.equal(peers.length, 102);
  });
  after(() => harness?.close());

  const run = () =>
    syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peers),
    });
  const callsOf = (method: string) => harness.server.callLog.calls(method).length;

  it('backs off the two kicked channels at the end and syncs the other 100, run after run', async () => {
    for (const marked of kicked) harness.world.kickAccount(me, marked);
    const first = finished(await run());
    assert.equal(first.status, 'succeeded', `${first.errorKind}: ${first.errorText}`);
    assert.deepEqual(
      [first.counters.peersTotal, first.counters.peersSynced, first.counters.peersFailed],
      [102, 100, 2],
    );
    const failing = await harness.sql.query(
      `SELECT peer_id::text, last_error_code, next_attempt_at > now() + interval '50 minutes' AS backed_off FROM configured_peers
       WHERE account_id = $1 AND status = 'failing' ORDER BY peer_id`,
      [account.id],
    );
    assert.deepEqual(
      failing.rows.map((row) => [row.peer_id, row.last_error_code, row.backed_off]),
      kicked.map((marked) => [peerKeyOfMarked(marked).peerId.toString(), 'CHANNEL_PRIVATE', true]).sort(),
    );
    for (let again = 0; again < 3; again += 1) {
      const next = finished(await run());
      assert.equal(next.status, 'succeeded', `${next.errorKind}: ${next.errorText}`);
      assert.deepEqual(
        [next.counters.peersTotal, next.counters.peersSynced, next.counters.peersSkipped, next.counters.peersFailed],
        [102, 100, 2, 0],
      );
    }
  });

  it('calls it an account error only when a call with a peer known to work fails alike, and backs off nobody', async () => {
    await harness.sql.query(
      `UPDATE configured_peers SET next_attempt_at = NULL, consecutive_failures = 0, status = 'synced' WHERE account_id = $1`,
      [account.id],
    );
    for (const marked of kicked) harness.world.restoreAccess(marked, me);
    // Every getPeerDialogs call from now on fails alike, whatever it carries: not a peer problem.
    const fault = harness.server.faults.rpcError(400, 'CHANNEL_PRIVATE', {
      method: 'messages.GetPeerDialogs',
      account: me,
      where: () => true,
    });
    const before = callsOf('messages.GetPeerDialogs');
    try {
      const failed = finished(await run());
      assert.equal(failed.status, 'failed', JSON.stringify(failed.counters));
      assert.equal(failed.errorKind, 'account_wide_peer_error', String(failed.errorText));
      assert.match(
        String(failed.errorText),
        /CHANNEL_PRIVATE, and so did a call with only channel \d+, a peer that synced in an earlier run: this is not a peer problem/,
      );
      // The first batch, its bisection down to one peer (7 calls), one probe: not a bisection of every batch.
      assert.ok(
        callsOf('messages.GetPeerDialogs') - before <= 10,
        `${callsOf('messages.GetPeerDialogs') - before} getPeerDialogs calls`,
      );
      const backedOff = await harness.sql.query(
        `SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND next_attempt_at IS NOT NULL`,
        [account.id],
      );
      assert.equal(backedOff.rows[0].n, 0, 'no peer backed off for an account error');
    } finally {
      fault.remove();
    }
    // The failed run shrinks nothing: the next one tries every due peer.
    const next = finished(await run());
    assert.equal(next.status, 'succeeded', `${next.errorKind}: ${next.errorText}`);
    assert.deepEqual([next.counters.peersTotal, next.counters.peersSynced], [102, 102]);
  });

  it('a run that fails part-way (transient errors outlasting their retries) leaves every due peer to the next run', async () => {
    // The second getPeerDialogs call and its retries fail: the run ends failed after its first batch.
    const retries = TEST_SYNC_SETTINGS.transientRetry.retries;
    const fault = harness.server.faults.rpcError(500, 'INTERNAL', {
      method: 'messages.GetPeerDialogs',
      account: me,
      where: (call) => (call.peers?.length ?? 0) === 2,
      times: retries + 1,
    });
    try {
      const failed = finished(await run());
      assert.equal(failed.status, 'failed', `${failed.errorKind}: ${failed.errorText}`);
      assert.equal(failed.errorKind, 'transient_exhausted');
    } finally {
      fault.remove();
    }
    const next = finished(await run());
    assert.equal(next.status, 'succeeded', `${next.errorKind}: ${next.errorText}`);
    assert.deepEqual([next.counters.peersTotal, next.counters.peersSynced], [102, 102]);
  });
});
