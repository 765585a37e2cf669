/**
 * Flood waits are the job's, not GramJS's: one below the ceiling costs one recorded wait and one retry
 * of the same call; one above it defers the run, an early re-run makes no Telegram call at all, and a
 * later one finishes the pass without requesting any peer twice. A long wait on
 * contacts.resolveUsername only postpones new usernames.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import type { WantedPeer } from '../../../src/store/peers/reconcile-configured-peers.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  syncablePeers,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  peerKey,
  wantedPeersOfMarked,
} from '../../helpers/sync-harness.ts';

const PEERS = 1000;

describe('flood waits', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let peers: bigint[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_flood',
      world: { seed: 'resilience-flood', peers: 3000, accounts: 1, resolveFlood: { freeCalls: 100_000 } },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    peers = syncablePeers(harness.world, me).slice(0, PEERS);
    assert.equal(peers.length, PEERS);
  });
  after(() => harness?.close());

  // No jitter: the wait is exactly what Telegram asked for.
  const deps = () => harness.dependencies({ random: () => 0 });
  // A test may configure a short list after the full one on purpose: the removal guard is accepted.
  const run = (configuredPeers: WantedPeer[] = wantedPeersOfMarked(peers)) =>
    syncAccount(deps(), {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers,
      allowPeerRemoval: true,
    });
  const peerDialogs = () => harness.server.callLog.calls('messages.GetPeerDialogs');
  const runRow = async (runId: bigint) =>
    (
      await harness.sql.query(
        'SELECT status, flood_waits, flood_wait_seconds, flood_wait_slept_seconds, retries, waits, resume_at, error_kind FROM sync_runs WHERE id = $1',
        [runId.toString()],
      )
    ).rows[0];

  it('waits out a flood wait below the ceiling once, retries the same call once, and records the wait', async () => {
    const before = peerDialogs().length;
    const fault = harness.server.faults.floodWait(2, { method: 'messages.getPeerDialogs', nthCall: 3 });
    const result = assertRan(await run(), 'succeeded');
    fault.remove();
    assert.equal(fault.fired, 1);
    const calls = peerDialogs().slice(before);
    assert.equal(calls.length, PEERS / 100 + 1, 'ten batches and one retry');
    const flooded = calls.filter((call) => call.outcome.kind === 'error');
    assert.equal(flooded.length, 1);
    assert.deepEqual(flooded[0]!.outcome, { kind: 'error', code: 420, message: 'FLOOD_WAIT_2' });
    // The retry is the same call (same peers), sent after the wait.
    const retry = calls[calls.indexOf(flooded[0]!) + 1]!;
    assert.deepEqual(retry.peers, flooded[0]!.peers);
    assert.equal(retry.outcome.kind, 'ok');
    assert.ok(retry.startedAt - flooded[0]!.endedAt! >= 2000, 'the job slept the 2 s before retrying');
    assert.equal(result.counters.peersSynced, PEERS);

    const row = await runRow(result.runId);
    assert.deepEqual([row.status, row.flood_waits, row.flood_wait_seconds, row.retries], ['succeeded', 1, 2, 1]);
    assert.ok(row.flood_wait_slept_seconds >= 2);
    assert.equal(row.waits.length, 1);
    assert.deepEqual([row.waits[0].method, row.waits[0].requestedSeconds], ['messages.getPeerDialogs', 2]);
    assert.ok(row.waits[0].sleptSeconds >= 2);
  });

  it('defers above the ceiling, calls nothing before resume_at, and finishes the pass afterwards without a peer twice', async () => {
    const before = peerDialogs().length;
    const fault = harness.server.faults.floodWait(3600, { method: 'messages.getPeerDialogs', nthCall: 4 });
    const deferred = assertRan(await run(), 'deferred');
    fault.remove();
    assert.equal(deferred.errorKind, 'deferred');
    assert.ok(deferred.resumeAt !== null);
    assert.equal(deferred.counters.peersSynced, 300, 'the three batches before the wait are kept');
    const row = await runRow(deferred.runId);
    assert.deepEqual([row.status, row.flood_waits, row.flood_wait_seconds], ['deferred', 1, 3600]);
    assert.deepEqual(
      [row.waits[0].method, row.waits[0].requestedSeconds, row.waits[0].sleptSeconds],
      ['messages.getPeerDialogs', 3600, 0],
    );
    const wait = await harness.sql.query(
      `SELECT method, requested_seconds, resume_at > now() + interval '59 minutes' AS later FROM account_method_waits WHERE account_id = $1`,
      [account.id],
    );
    assert.deepEqual(wait.rows, [{ method: 'messages.getPeerDialogs', requested_seconds: 3600, later: true }]);
    assert.equal(new Date(row.resume_at).getTime(), deferred.resumeAt.getTime());

    // Too early: no Telegram call of any kind (not even a connection).
    const callsBefore = harness.server.callLog.entries().length;
    const early = assertRan(await run(), 'deferred');
    assert.equal(harness.server.callLog.entries().length, callsBefore, 'no call while the method is deferred');
    assert.match(early.errorText ?? '', /deferred by a flood wait until/);

    // The wait is over (the database's clock decides): the pass continues where it stopped.
    await harness.sql.query(
      `UPDATE account_method_waits SET resume_at = now() - interval '1 second' WHERE account_id = $1`,
      [account.id],
    );
    const finished = assertRan(await run(), 'succeeded');
    assert.equal(finished.counters.peersSynced, PEERS - 300);

    const answered = peerDialogs()
      .slice(before)
      .filter((call) => call.outcome.kind === 'ok');
    const requested = answered.flatMap((call) => call.peers ?? []).map((peer) => `${peer.type}:${peer.id}`);
    assert.equal(requested.length, PEERS, 'every peer requested once in the deferred pass');
    assert.deepEqual(new Set(requested), new Set(peers.map(peerKey)));
    const cycles = await harness.sql.query(
      `SELECT count(DISTINCT cycle_started_at)::int AS n FROM sync_runs WHERE id >= $1`,
      [deferred.runId.toString()],
    );
    assert.equal(cycles.rows[0].n, 1, 'the three runs belong to one pass');
  });

  it('keeps syncing resolved peers while contacts.resolveUsername is under a long wait', async () => {
    const world = harness.world;
    // Names outside the account's dialogs (channels, which no dialog page brings): only
    // contacts.resolveUsername can resolve them.
    const dialogs = new Set(world.peerDialogPeers(me));
    const named = world.allPeers
      .map((peer) => world.markedIdOf(peer))
      .filter(
        (marked) =>
          world.peer(marked)?.kind === 'channel' &&
          !dialogs.has(marked) &&
          world.peerDialogOutcome(me, marked) === 'omitted' &&
          world.usernamesOf(marked).some((entry) => entry.active),
      );
    const fresh = named
      .slice(0, 5)
      .map((marked) => `@${world.usernamesOf(marked).find((entry) => entry.active)!.username}`);
    assert.equal(fresh.length, 5);
    const wanted = [
      ...wantedPeersOfMarked(peers.slice(0, 200)),
      ...fresh.map((input) => ({ input, normalizedInput: `username:${input.slice(1).toLowerCase()}` })),
    ];
    const beforeDialogs = peerDialogs().length;
    const fault = harness.server.faults.floodWait(50_000, { method: 'contacts.resolveUsername' });
    const result = assertRan(await run(wanted), 'succeeded');
    fault.remove();
    assert.equal(fault.fired, 1, 'one resolveUsername call, then the method is left alone');
    assert.equal(harness.server.callLog.calls('contacts.ResolveUsername').length, 1);
    assert.equal(result.counters.peersSynced, 200);
    assert.equal(
      peerDialogs()
        .slice(beforeDialogs)
        .flatMap((call) => call.peers ?? []).length,
      200,
    );
    const pending = await harness.sql.query(
      `SELECT input, status, peer_id FROM configured_peers WHERE account_id = $1 AND input LIKE '@%' ORDER BY input`,
      [account.id],
    );
    assert.deepEqual(
      pending.rows,
      [...fresh].sort().map((input) => ({ input, status: 'pending', peer_id: null })),
    );
    const waits = await harness.sql.query(
      `SELECT method FROM account_method_waits WHERE account_id = $1 AND resume_at > now()`,
      [account.id],
    );
    assert.deepEqual(waits.rows, [{ method: 'contacts.resolveUsername' }]);
    // getPeerDialogs is not deferred by it: the next run syncs again.
    const next = assertRan(await run(wanted), 'succeeded');
    assert.equal(next.counters.peersTotal, 200);
  });
});
