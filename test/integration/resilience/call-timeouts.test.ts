/**
 * GramJS has no per-request deadline: a reply that never comes must time out (the job's own deadline)
 * and be retried, and a server that never answers must end the run as failed, not hang it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  syncablePeers,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  wantedPeersOfMarked,
} from '../../helpers/sync-harness.ts';

const PEERS = 500;
/** Short, so a hung call costs little; far above a 100-peer round trip (~40 ms here). */
const CALL_TIMEOUT_MS = 1_500;

describe('replies that never come', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let peers: bigint[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_timeout',
      world: { seed: 'resilience-timeout', peers: 1500, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    peers = syncablePeers(harness.world, me).slice(0, PEERS);
  });
  after(() => harness?.close());

  const settings = { ...TEST_SYNC_SETTINGS, callTimeoutMs: CALL_TIMEOUT_MS };
  const run = () =>
    syncAccount(harness.dependencies({ callTimeoutMs: CALL_TIMEOUT_MS }), {
      account,
      settings,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peers),
    });
  const peerDialogs = () => harness.server.callLog.calls('messages.GetPeerDialogs');

  it('times out a call whose reply never comes and retries it', async () => {
    const before = peerDialogs().length;
    const fault = harness.server.faults.hang({ method: 'messages.getPeerDialogs', nthCall: 2 });
    const result = assertRan(await run(), 'succeeded');
    fault.remove();
    const calls = peerDialogs().slice(before);
    assert.equal(calls.length, PEERS / 100 + 1);
    const hung = calls.filter((call) => call.outcome.kind === 'hung');
    assert.equal(hung.length, 1);
    assert.deepEqual(calls[calls.indexOf(hung[0]!) + 1]!.peers, hung[0]!.peers, 'the same call is retried');
    assert.equal(result.counters.peersSynced, PEERS);
    const row = (
      await harness.sql.query('SELECT retries, api_calls FROM sync_runs WHERE id = $1', [result.runId.toString()])
    ).rows[0];
    assert.equal(row.retries, 1);
  });

  it('fails the run (transient_exhausted) when the server never answers, instead of hanging', async () => {
    await harness.sql.query(`UPDATE configured_peers SET last_attempt_at = NULL`);
    const before = peerDialogs().length;
    const fault = harness.server.faults.hang({ method: 'messages.getPeerDialogs' });
    const result = assertRan(await run(), 'failed');
    fault.remove();
    assert.equal(result.errorKind, 'transient_exhausted');
    assert.match(
      result.errorText ?? '',
      /messages\.getPeerDialogs kept failing after 4 attempts .*no reply within 1500 ms/,
    );
    assert.equal(peerDialogs().length - before, TEST_SYNC_SETTINGS.transientRetry.retries + 1);
    const row = (
      await harness.sql.query(
        'SELECT status, error_kind, finished_at IS NOT NULL AS closed FROM sync_runs WHERE id = $1',
        [result.runId.toString()],
      )
    ).rows[0];
    assert.deepEqual(row, { status: 'failed', error_kind: 'transient_exhausted', closed: true });
    // The lock was released: the next run is not skipped, and it finishes the pass.
    assertRan(await run(), 'succeeded');
  });
});
