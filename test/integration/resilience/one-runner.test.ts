/**
 * One runner per account, across processes: two real `tg-dialog-sync sync` processes share one session
 * (one auth key). While the first is held mid-run, the second skips. When the first loses its lock
 * connection it stops using Telegram at once (destroys its client) — before a new process takes over —
 * so the auth key never has requests in flight on two connections (Telegram would kill the session
 * with AUTH_KEY_DUPLICATED).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { callsOverlap } from 'telegram-test-server';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { startSyncHarness, syncablePeers, type SyncHarness } from '../../helpers/sync-harness.ts';
import { eventually, prepareCli, type CliWorld } from './support.ts';
import { startCli } from '../../helpers/cli-process.ts';

const PEERS = 300;

describe('one runner per account across processes', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let cli: CliWorld;

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_one_runner',
      world: { seed: 'resilience-one-runner', peers: 1200, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const peers = syncablePeers(harness.world, me).slice(0, PEERS);
    // A deadline far beyond the test: the held call must stay held however slow the machine is.
    cli = await prepareCli(harness, account, peers, { SYNC_CALL_TIMEOUT_MS: '120000' });
  });
  after(async () => {
    await harness?.close();
    if (cli !== undefined) await rm(cli.directory, { recursive: true, force: true });
  });

  it('skips while another process holds the account, and hands over only after the first stopped using Telegram', async () => {
    const log = harness.server.callLog;
    // The first process is held at its second getPeerDialogs call (one batch already written).
    const barrier = harness.server.faults.barrier({ method: 'messages.getPeerDialogs', nthCall: 2 });
    const first = startCli(['sync'], cli.env);
    await Promise.race([
      barrier.waitUntilHeld(1),
      first.exited.then((exit) => assert.fail(`the first process exited early: ${JSON.stringify(exit)}`)),
    ]);
    const held = log.calls('messages.GetPeerDialogs').at(-1)!;
    assert.equal(held.endedAt, null);
    const authKeyId = held.authKeyId;

    const second = await startCli(['sync'], cli.env).exitWithin(30_000);
    assert.equal(second.code, 1, second.stdout + second.stderr);
    assert.match(second.stdout, /main: skipped — account main is being synced by another process/);
    assert.equal(
      log.entries((call) => call.authKeyId === authKeyId && call.connectionId !== held.connectionId).length,
      0,
      'the skipped process never called Telegram',
    );

    // The first is still held at its call.
    assert.deepEqual([held.outcome.kind, log.calls('messages.GetPeerDialogs').at(-1)], ['pending', held]);
    // The first loses its lock connection (as on a database failover or a network cut).
    const terminated = await harness.sql.query(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name LIKE 'tg-dialog-sync lock%' AND datname = $1`,
      [harness.database.name],
    );
    assert.deepEqual(terminated.rows, [{ ok: true }]);
    // A new process starts right away and may take the lock as soon as it is free.
    const third = startCli(['sync'], cli.env);
    // The first notices at once and destroys its client. Its barred reply is let go at that moment,
    // so the call log's entry for it ends when the first stopped using it.
    await first.waitForOutput(/account lock lost; destroying the Telegram client/);
    barrier.release();
    const lockLostAt = performance.now();

    const firstExit = await first.exitWithin(30_000);
    const firstOutput = firstExit.stdout + firstExit.stderr;
    assert.notEqual(firstExit.code, 0, `the interrupted one-shot sync exits non-zero:\n${firstOutput}`);
    assert.match(firstExit.stdout, /main: interrupted — .*the account lock was lost/, firstOutput);

    const thirdExit = await third.exitWithin(60_000);
    assert.equal(thirdExit.code, 0, thirdExit.stdout + thirdExit.stderr);
    assert.match(
      thirdExit.stdout,
      /main: succeeded — 200 synced, 0 failed/,
      'it continues the pass the first one left',
    );

    // The auth key never had requests in flight on two connections at once.
    const calls = log.entries((call) => call.authKeyId === authKeyId);
    const connections = new Set(calls.map((call) => call.connectionId));
    assert.ok(connections.size >= 2, 'the first and the third process each used their own connection');
    for (const a of calls) {
      for (const b of calls) {
        if (a.connectionId < b.connectionId && callsOverlap(a, b)) {
          assert.fail(
            `calls ${a.id} (${a.method}, connection ${a.connectionId}) and ${b.id} (${b.method}, connection ${b.connectionId}) overlap`,
          );
        }
      }
    }
    const firstCalls = calls.filter((call) => call.connectionId === held.connectionId);
    const takeover = calls.filter((call) => call.connectionId !== held.connectionId);
    assert.ok(
      firstCalls.every((call) => call.startedAt < lockLostAt),
      'the first made no call after it lost the lock',
    );
    assert.ok(
      Math.max(...firstCalls.map((call) => call.endedAt!)) <= Math.min(...takeover.map((call) => call.startedAt)),
      'the first stopped before the takeover began',
    );
    assert.equal(
      log.entries((call) => call.outcome.kind === 'error' && call.outcome.message === 'AUTH_KEY_DUPLICATED').length,
      0,
    );

    const runs = await harness.sql.query(`SELECT status, error_text FROM sync_runs WHERE account_id = $1 ORDER BY id`, [
      account.id,
    ]);
    assert.deepEqual(
      runs.rows.map((row) => row.status),
      ['interrupted', 'succeeded'],
    );
    assert.match(runs.rows[0].error_text, /account lock was lost/);
    const dialogs = await eventually('all dialogs', async () => {
      const { rows } = await harness.sql.query('SELECT count(*)::int AS n FROM dialogs WHERE account_id = $1', [
        account.id,
      ]);
      return rows[0].n === PEERS ? rows[0].n : undefined;
    });
    assert.equal(dialogs, PEERS);
  });
});
