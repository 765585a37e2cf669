/**
 * The real `tg-dialog-sync sync` executable as a child process, against the local data center and a
 * fresh database: exit codes, one-line errors, and no secret in anything it prints.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findSecretCanaries } from '../../helpers/secret-canaries.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('tg-dialog-sync sync', () => {
  let harness: SyncHarness;
  let env: NodeJS.ProcessEnv;
  let session: string;
  let peers: bigint[];

  before(async () => {
    harness = await startSyncHarness({ label: 'cli_sync', world: { seed: 'cli-sync', peers: 600, accounts: 1 } });
    const me = harness.world.userAccounts[0]!.userId;
    const account = await harness.account(me, 'main');
    session = harness.server.sessionFor(me);
    peers = harness.world.peerDialogPeers(me).slice(0, 150);
    env = await jobEnvironment(harness, {
      accounts: [{ account, session }],
      peers: ['# the peers to sync', ...peers.map(String), 'not a peer!'],
    });
  });
  after(() => harness?.close());

  it('syncs every account from the peers file and exits 0, reporting the bad line', async () => {
    const run = await runCli(['sync'], env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /main: succeeded — 150 synced, 0 failed/);
    assert.match(run.stderr, /peers\.txt:\d+: .*the line is skipped/);
    // Logs go to stderr; stdout holds only the result lines (17.7: the logs were on stdout).
    assert.deepEqual(run.stdout.trim().split('\n'), ['main: succeeded — 150 synced, 0 failed, 0 in backoff']);
    assert.ok(
      run.stderr.split('\n').some((line) => line.startsWith('{') && line.includes('"msg":"sync run finished"')),
      'the log lines are on stderr',
    );
    const { rows } = await harness.sql.query('SELECT count(*)::int AS n FROM dialogs');
    assert.equal(rows[0].n, 150);
    assert.equal(run.stdout.includes(session), false, 'the session string is never printed');
    assert.equal(run.stdout.includes(harness.server.apiHash), false, 'the api hash is never printed');
    assert.deepEqual(findSecretCanaries(run.stdout + run.stderr), []);
  });

  it('names an unknown account in one line and exits 1', async () => {
    const run = await runCli(['sync', '--account', 'nobody'], env);
    assert.equal(run.code, 1);
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((line) => !line.startsWith('{'));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', /no account "nobody" \(known: main\)/);
  });

  it('stops an account without a stored session (TELEGRAM_SESSION_DIR elsewhere): needs_login, 0 API calls', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'tg-sync-no-sessions-'));
    try {
      const callsBefore = harness.server.callLog.entries().length;
      const run = await runCli(['sync'], { ...env, TELEGRAM_SESSION_DIR: elsewhere });
      assert.equal(run.code, 1, run.stderr + run.stdout);
      assert.match(
        run.stdout,
        new RegExp(
          `main: failed — .*no session stored for account "main" \\(looked in ${escapeRegExp(join(elsewhere, 'main.session'))}\\).*log in`,
        ),
      );
      const { rows } = await harness.sql.query(
        `SELECT a.status, a.status_reason, r.error_kind, r.api_calls FROM accounts a JOIN sync_runs r ON r.account_id = a.id WHERE a.label = 'main' ORDER BY r.id DESC LIMIT 1`,
      );
      assert.equal(rows[0].status, 'needs_login');
      assert.match(rows[0].status_reason, /no session stored for account "main" \(looked in .*\)/);
      assert.deepEqual([rows[0].error_kind, rows[0].api_calls], ['account_needs_login', 0]);
      assert.equal(harness.server.callLog.entries().length, callsBefore, 'nothing reached Telegram');
    } finally {
      await harness.sql.query(`UPDATE accounts SET status = 'active', status_reason = NULL WHERE label = 'main'`);
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('exits 1 when a run fails: a revoked session stops the account with the login hint', async () => {
    harness.server.revokeAccountKeys(harness.world.userAccounts[0]!.userId);
    const run = await runCli(['sync'], env);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /main: failed — .*log in again/);
    const { rows } = await harness.sql.query(`SELECT status FROM accounts WHERE label = 'main'`);
    assert.equal(rows[0].status, 'needs_login');
  });

  it('rejects a bad flag with usage help and exit code 2', async () => {
    const run = await runCli(['sync', '--bogus'], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown option '--bogus'/);
  });
});
