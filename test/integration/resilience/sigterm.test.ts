/**
 * SIGTERM in the middle of a run, while a getPeerDialogs reply is outstanding (and the call's deadline
 * is longer than the grace period, as with the defaults: 30 s vs 20 s): the process stops within
 * SHUTDOWN_GRACE_MS on its own — the worker exits 0, an interrupted one-shot `sync` exits non-zero —
 * the run row says interrupted, and the lock is released (the next run is not skipped).
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { startSyncHarness, syncablePeers, type SyncHarness } from '../../helpers/sync-harness.ts';
import { startCli } from '../../helpers/cli-process.ts';
import { prepareCli, type CliWorld } from './support.ts';

const PEERS = 1000;
const GRACE_MS = 8_000;

describe('SIGTERM during a run', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let cli: CliWorld;

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_sigterm',
      world: { seed: 'resilience-sigterm', peers: 3000, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const peers = syncablePeers(harness.world, me).slice(0, PEERS);
    cli = await prepareCli(harness, account, peers, {
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      SYNC_CALL_TIMEOUT_MS: '30000',
      // The worker: one run at start-up, no scheduled tick during the test, no HTTP server.
      SYNC_RUN_ON_START: 'true',
      SYNC_CRON: '0 0 1 1 *',
      HTTP_PORT: '0',
    });
  });
  after(async () => {
    await harness?.close();
    if (cli !== undefined) await rm(cli.directory, { recursive: true, force: true });
  });

  const lastRun = async () =>
    (
      await harness.sql.query(
        `SELECT status, error_kind, error_text FROM sync_runs WHERE account_id = $1 ORDER BY id DESC LIMIT 1`,
        [account.id],
      )
    ).rows[0];

  for (const { command, expectedCode } of [
    { command: 'sync', expectedCode: 'non-zero' },
    { command: 'start', expectedCode: 0 },
  ] as const) {
    it(`${command}: stops within the grace period with ${expectedCode === 0 ? 'exit 0' : 'a non-zero exit'}, the run interrupted and the lock released`, async (t) => {
      await harness.sql.query(`UPDATE configured_peers SET last_attempt_at = NULL`);
      const barrier = harness.server.faults.barrier({ method: 'messages.getPeerDialogs', nthCall: 3 });
      const job = startCli([command], cli.env);
      await Promise.race([
        barrier.waitUntilHeld(1),
        job.exited.then((exit) => assert.fail(`exited early: ${JSON.stringify(exit)}`)),
      ]);
      const held = harness.server.callLog.calls('messages.GetPeerDialogs').at(-1)!;

      const signalledAt = performance.now();
      // Bounded: well past the grace period, so a hang fails here rather than the whole file.
      const exit = await job.stop('SIGTERM', GRACE_MS + 15_000);
      const stoppedAfterMs = performance.now() - signalledAt;
      t.diagnostic(
        `${command}: exited ${stoppedAfterMs.toFixed(0)} ms after SIGTERM (grace ${GRACE_MS} ms, call deadline 30000 ms)`,
      );
      barrier.release();
      const output = exit.stdout + exit.stderr;
      assert.equal(exit.signal, null, 'it exited by itself');
      if (expectedCode === 0) assert.equal(exit.code, 0, output);
      else assert.notEqual(exit.code, 0, output);
      assert.doesNotMatch(
        output,
        /grace period over/,
        `stopped by itself, not by the grace timer (${stoppedAfterMs.toFixed(0)} ms)`,
      );
      if (command === 'sync') assert.match(exit.stdout, /main: interrupted — 200 synced/);
      assert.deepEqual(await lastRun(), {
        status: 'interrupted',
        error_kind: 'interrupted',
        error_text: 'run interrupted: received SIGTERM',
      });
      await harness.server.callLog.waitFor((call) => call.id === held.id && call.outcome.kind !== 'pending');
      assert.deepEqual(
        held.outcome,
        { kind: 'dropped', when: 'client-disconnected' },
        'the outstanding reply was not waited for',
      );

      // The lock went with it: the next run is not skipped, and finishes the pass.
      const next = await startCli(['sync'], cli.env).exitWithin(60_000);
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.match(next.stdout, /main: succeeded — 800 synced, 0 failed/);
    });
  }
});
