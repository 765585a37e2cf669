/**
 * Accounts in parallel in one worker process: one account waiting out a long flood wait (below the
 * ceiling) no longer holds up the others, and a run deferred by a flood wait above the ceiling runs
 * again at its resume_at instead of at the next tick.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { exitStatus, runCli } from '../../helpers/cli-process.ts';
import { freePort } from '../../helpers/free-port.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';
import { eventually } from '../resilience/support.ts';
import { prepareAccounts, runsOf, Workers, type Accounts } from './replicas-support.ts';

/** A cron that does not fire during the test: the runs come from SYNC_RUN_ON_START and the queue. */
const NEVER_SOON = '0 0 1 1 *';

describe('accounts in parallel', () => {
  let harness: SyncHarness;
  let prepared: Accounts;
  const workers = new Workers();

  before(async () => {
    harness = await startSyncHarness({
      label: 'queue_parallel',
      world: { seed: 'queue-parallel', peers: 900, accounts: 12 },
    });
    prepared = await prepareAccounts(harness, 12, 20, { SYNC_CRON: NEVER_SOON, SYNC_RUN_ON_START: 'true' });
  });
  after(async () => {
    workers.kill();
    await harness?.close();
    if (prepared !== undefined) await rm(prepared.directory, { recursive: true, force: true });
  });

  it('12 accounts, the first under a 150 s flood wait: the other 11 finish while it waits', async () => {
    const [slow, ...others] = prepared.accounts;
    // Below the 300 s ceiling, so the run waits it out; long enough that a loaded machine finishes the 11 first.
    const flood = harness.server.faults.floodWait(150, {
      method: 'messages.getPeerDialogs',
      account: slow!.telegramUserId!,
      times: 1,
    });
    const port = await freePort();
    const worker = workers.start({ ...prepared.env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' });
    const succeeded = await eventually(
      'the 11 other accounts to finish',
      async () => {
        const done = new Set(
          (await runsOf(harness)).filter((run) => run.status === 'succeeded').map((run) => run.accountId),
        );
        return others.every((account) => done.has(account.id)) ? done : undefined;
      },
      120_000,
      200,
    );
    assert.equal(flood.fired, 1, 'the slow account got its flood wait');
    assert.equal(succeeded.has(slow!.id), false);
    const slowRuns = (await runsOf(harness)).filter((run) => run.accountId === slow!.id);
    assert.deepEqual(
      slowRuns.map((run) => run.status),
      ['running'],
      'the slow account is still waiting out its flood wait while the others are done',
    );
    // Where it stands, for an operator: status and /metrics name the process running it.
    const runner = slowRuns[0]!.runner;
    const status = await runCli(['status'], prepared.env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`acc01 +running on ${runner.replace(/[.]/g, '\\.')} since `));
    assert.match(status.stdout, /acc02 +idle/);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^tgsync_account_queue_state\{account="acc01",state="running"\} 1$/m);
    assert.match(metrics, /^tgsync_account_queue_state\{account="acc02",state="running"\} 0$/m);
    assert.ok(metrics.includes(`tgsync_account_running_on{account="acc01",runner="${runner}"} 1`), metrics);
    const view = await harness.sql.query(
      `SELECT account_label, state, running_on FROM dashboard_account_queue WHERE account_label IN ('acc01', 'acc02') ORDER BY 1`,
    );
    assert.deepEqual(view.rows, [
      { account_label: 'acc01', state: 'running', running_on: runner },
      { account_label: 'acc02', state: 'idle', running_on: null },
    ]);
    assert.deepEqual(exitStatus(await worker.stop('SIGTERM')), { code: 0, signal: null });
    const slowAfter = (await runsOf(harness)).filter((run) => run.accountId === slow!.id);
    assert.deepEqual(
      slowAfter.map((run) => run.status),
      ['interrupted'],
    );
  });

  it('a run deferred by a flood wait above the ceiling runs again right after its resume_at', async () => {
    const account = prepared.accounts[1]!;
    await harness.sql.query('DELETE FROM sync_runs');
    harness.server.faults.clear();
    // 8 s is above the 1 s ceiling: the run stops and records when it may resume.
    harness.server.faults.floodWait(8, {
      method: 'messages.getPeerDialogs',
      account: account.telegramUserId!,
      times: 1,
    });
    const port = await freePort();
    const worker = workers.start({
      ...prepared.env,
      SYNC_FLOOD_WAIT_CEILING_SECONDS: '1',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
    });
    const deferred = await eventually(
      'the deferred run',
      async () => (await runsOf(harness)).find((run) => run.accountId === account.id && run.status === 'deferred'),
      50_000,
      100,
    );
    assert.ok(deferred.resumeAt !== null);
    // Until then the account's job waits in the queue for that time, as /metrics shows.
    // (The job is enqueued right after the run's end is recorded.)
    const until = await eventually(
      'the waiting job in /metrics',
      async () =>
        /^tgsync_account_waiting_until_timestamp_seconds\{account="acc02"\} ([\d.e+]+)$/m.exec(
          await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
        ) ?? undefined,
      5_000,
      100,
    );
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.equal(Math.round(Number(until[1])), Math.round(deferred.resumeAt.getTime() / 1000));
    assert.match(metrics, /^tgsync_account_queue_state\{account="acc02",state="waiting"\} 1$/m);
    const view = await harness.sql.query(
      `SELECT state, waiting_until FROM dashboard_account_queue WHERE account_label = 'acc02'`,
    );
    assert.deepEqual(view.rows, [{ state: 'waiting', waiting_until: deferred.resumeAt }]);
    // Nothing but the queue can start it again: the cron does not fire and the worker started once.
    const resumed = await eventually(
      'the resumed run',
      async () =>
        (await runsOf(harness)).find(
          (run) => run.accountId === account.id && run.id > deferred.id && run.status === 'succeeded',
        ),
      deferred.resumeAt.getTime() - Date.now() + 30_000,
      100,
    );
    assert.equal(resumed.trigger, 'resume');
    assert.ok(resumed.startedAt.getTime() >= deferred.resumeAt.getTime(), 'not before resume_at');
    const lagSeconds = (resumed.startedAt.getTime() - deferred.resumeAt.getTime()) / 1000;
    process.stdout.write(`# resumed ${lagSeconds.toFixed(2)} s after resume_at\n`);
    assert.deepEqual(exitStatus(await worker.stop('SIGTERM')), { code: 0, signal: null });
  });
});
