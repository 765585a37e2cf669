/**
 * The worker as an operator meets it on a bad day (issue 17.4–17.6): the database going away while it
 * runs, its HTTP port taken, a database nobody migrated. Each ends in the job's own words — one line
 * naming what to do — and never in a library's stack trace.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { connectPg, createEmptyTestDatabase, testServerUrl, type TestDatabase } from '../../helpers/database.ts';
import { runCli, startCli, type CliProcess } from '../../helpers/cli-process.ts';
import { freePort } from '../../helpers/free-port.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

/** No stack frames, no raw error dumps, no node-cron banner: every line is the job's. */
function assertNoLibraryDumps(output: string): void {
  assert.doesNotMatch(output, /^\s+at /m, 'no stack frames');
  assert.doesNotMatch(output, /^\w*Error: /m, 'no raw error dumps');
  assert.doesNotMatch(output, /\[NODE-CRON\]/, 'no node-cron console output');
  assert.doesNotMatch(output, /\u001b\[/, 'no ANSI colours in JSON logs');
}

describe('tg-dialog-sync start on a bad day', () => {
  let harness: SyncHarness;
  let env: NodeJS.ProcessEnv;
  let empty: TestDatabase | undefined;
  /** On the server's maintenance database: a database cannot lock itself out. */
  let admin: pg.Client;
  const running: CliProcess[] = [];

  before(async () => {
    harness = await startSyncHarness({
      label: 'cli_start_bad_day',
      world: { seed: 'cli-start-bad-day', peers: 60, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    const account = await harness.account(me, 'main');
    const peers = harness.world.peerDialogPeers(me).slice(0, 10).map(String);
    admin = await connectPg(testServerUrl());
    env = await jobEnvironment(harness, {
      accounts: [{ account, session: harness.server.sessionFor(me) }],
      peers,
      extra: { SYNC_CRON: '* * * * * *' },
    });
  });
  after(async () => {
    for (const job of running) job.child.kill('SIGKILL');
    await admin?.query(`ALTER DATABASE "${harness.database.name}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await empty?.drop();
    await harness?.close();
  });

  it('with the database gone: the job says so in its own line (no library dumps), and /metrics still serves process metrics', async () => {
    const port = await freePort();
    const job = startCli(['start'], { ...env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' });
    running.push(job);
    await job.waitForLog((line) => line.msg === 'sync run finished');
    // The database "goes away": no new connection is accepted, the open ones are cut.
    await admin.query(`ALTER DATABASE "${harness.database.name}" ALLOW_CONNECTIONS false`);
    // Only the worker's connections (the test's own clients would fail their tests' hooks).
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tg-dialog-sync'`,
      [harness.database.name],
    );
    try {
      // The next tick cannot reach the queue: one line of the job's, with the database's reason.
      await job.waitForLog(
        (line) => line.msg === 'could not enqueue the tick' && typeof line.error === 'string',
        60_000,
      );

      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      const text = await metrics.text();
      assert.equal(metrics.status, 200, text);
      assert.match(text, /^tgsync_process_cpu_seconds_total /m);
      assert.doesNotMatch(text, /process_process_/, 'the default metrics are prefixed once');
      assert.match(text, /^tgsync_database_up 0$/m);
    } finally {
      await job.stop('SIGTERM');
      await admin.query(`ALTER DATABASE "${harness.database.name}" ALLOW_CONNECTIONS true`);
    }
    assertNoLibraryDumps(job.stdout() + job.stderr());
  });

  it('exits 1 naming HTTP_PORT when its port is taken', async () => {
    const busy = createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as { port: number }).port;
    try {
      const run = await runCli(['start'], { ...env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      const last = run.stderr.trim().split('\n').at(-1) ?? '';
      assert.match(last, new RegExp(`HTTP_PORT=${port}.*in use`));
      assertNoLibraryDumps(run.stderr);
    } finally {
      busy.close();
    }
  });

  it('refuses an unmigrated database with "run `tg-dialog-sync db migrate`" (start and status)', async () => {
    empty = await createEmptyTestDatabase('unmigrated');
    for (const command of [['start'], ['status'], ['sync']]) {
      const run = await runCli(command, { ...env, DATABASE_URL: empty.url, HTTP_PORT: '0' });
      assert.equal(run.code, 1, `${command[0]}: ${run.stdout}${run.stderr}`);
      const last = run.stderr.trim().split('\n').at(-1) ?? '';
      assert.match(last, /not migrated.*run `tg-dialog-sync db migrate`/, `${command[0]}: ${run.stderr}`);
      assert.doesNotMatch(run.stdout + run.stderr, /worker started/);
      assertNoLibraryDumps(run.stderr);
    }
  });

  it('serves the last success per account from sync_runs right after a restart, before any run', async () => {
    const { rows } = await harness.sql.query(
      `SELECT extract(epoch FROM max(r.finished_at))::float8 AS t FROM sync_runs r JOIN accounts a ON a.id = r.account_id WHERE a.label = 'main' AND r.status = 'succeeded'`,
    );
    assert.ok(rows[0].t > 0, 'an earlier test left a succeeded run');
    const port = await freePort();
    const job = startCli(['start'], {
      ...env,
      SYNC_CRON: '0 0 1 1 *',
      HTTP_PORT: String(port),
      HTTP_HOST: '127.0.0.1',
    });
    running.push(job);
    try {
      await job.waitForLog((line) => line.msg === 'worker started');
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const value = Number(/^tgsync_last_success_timestamp_seconds\{account="main"\} ([\d.e+]+)$/m.exec(text)?.[1]);
      assert.ok(Math.abs(value - rows[0].t) < 0.001, `${value} vs ${rows[0].t}\n${text}`);
    } finally {
      await job.stop('SIGTERM');
    }
  });
});
