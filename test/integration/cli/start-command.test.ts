/**
 * The worker (`tg-dialog-sync start`) as a real process: scheduled syncs on a per-second cron, the
 * health, readiness and metrics endpoints with the right values after a run, and a clean stop on SIGTERM
 * (several workers on one database: test/integration/queue/).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { exitStatus, startCli, type CliProcess } from '../../helpers/cli-process.ts';
import { freePort } from '../../helpers/free-port.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

describe('tg-dialog-sync start', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let env: NodeJS.ProcessEnv;
  const running: CliProcess[] = [];

  before(async () => {
    harness = await startSyncHarness({ label: 'cli_start', world: { seed: 'cli-start', peers: 400, accounts: 1 } });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const peers = harness.world.peerDialogPeers(me).slice(0, 50).map(String);
    env = await jobEnvironment(harness, {
      accounts: [{ account, session: harness.server.sessionFor(me) }],
      peers,
      extra: { SYNC_CRON: '* * * * * *', LOG_LEVEL: 'debug' },
    });
  });
  after(async () => {
    for (const job of running) job.child.kill('SIGKILL');
    await harness?.close();
  });

  const start = (extra: NodeJS.ProcessEnv) => {
    const job = startCli(['start'], { ...env, ...extra });
    running.push(job);
    return job;
  };

  const succeededRuns = async () =>
    (
      await harness.sql.query(
        `SELECT count(*)::int AS n FROM sync_runs WHERE status = 'succeeded' AND trigger = 'cron'`,
      )
    ).rows[0].n as number;

  it('runs scheduled syncs, serves health, readiness and metrics, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const job = start({ HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' });
    // A loaded machine needs a while for the process's start and two runs (a condition with a deadline, not a timing check).
    await job.waitForLog(() => job.logLines().filter((line) => line.msg === 'sync run finished').length >= 2, 60_000);
    assert.ok((await succeededRuns()) >= 2);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { ready: true, problems: [] });
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const value = (pattern: RegExp) => Number(pattern.exec(metrics)?.[1]);
    assert.ok(value(/^tgsync_runs_total\{account="main",outcome="succeeded"\} (\d+)$/m) >= 2, metrics);
    // Initialised from the accounts table at the scrape: a series at 0, not missing.
    assert.ok(
      Number.isFinite(value(/^tgsync_runs_total\{account="main",outcome="failed"\} (\d+)$/m)),
      'failed series exists',
    );
    assert.match(metrics, /^tgsync_run_in_progress\{account="main"\} [01]$/m);
    assert.match(
      metrics,
      new RegExp(
        `^tgsync_build_info\\{version="\\d+\\.\\d+\\.\\d+[^"]*",node="${process.version.replaceAll('.', '\\.')}"\\} 1$`,
        'm',
      ),
    );
    assert.ok(value(/^tgsync_last_success_timestamp_seconds\{account="main"\} ([\d.e+]+)$/m) > Date.now() / 1000 - 120);
    assert.ok(value(/^tgsync_rows_written_total\{table="dialogs",operation="insert"\} (\d+)$/m) === 50);
    assert.equal(value(/^tgsync_peers_in_backoff\{account="main"\} (\d+)$/m), 0);
    // Read from the database at every scrape; no peer fails with an unlisted error here.
    assert.match(metrics, /^# TYPE tgsync_peers_unlisted_error gauge$/m);
    assert.equal(/^tgsync_peers_unlisted_error\{/m.test(metrics), false);
    assert.ok(value(/^tgsync_api_calls_total\{account="main"\} (\d+)$/m) >= 2);
    assert.equal(/peer_id|access_hash/.test(metrics), false, 'no per-peer labels');

    const exit = await job.stop('SIGTERM');
    assert.deepEqual(exitStatus(exit), { code: 0, signal: null });
    const open = await harness.sql.query(`SELECT count(*)::int AS n FROM sync_runs WHERE status = 'running'`);
    assert.equal(open.rows[0].n, 0);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`));
  });
});
