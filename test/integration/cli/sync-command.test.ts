/**
 * The real `tg-dialog-sync sync` executable as a child process, against the local data center and a
 * fresh database: exit codes, one-line errors, and no secret in anything it prints.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileSessionStore } from '../../../src/sessions/file-session-store.ts';
import { findSecretCanaries } from '../../helpers/secret-canaries.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';

const BIN = join(import.meta.dirname, '../../../src/cli/bin.mjs');

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('tg-dialog-sync sync', () => {
  let harness: SyncHarness;
  let env: NodeJS.ProcessEnv;
  let session: string;
  let peers: bigint[];

  before(async () => {
    harness = await startSyncHarness({ label: 'cli_sync', world: { seed: 'cli-sync', peers: 600, accounts: 1 } });
    const me = harness.world.userAccounts[0]!.userId;
    const account = await harness.account(me, 'main');
    const directory = await mkdtemp(join(tmpdir(), 'tg-sync-cli-'));
    session = harness.server.sessionFor(me);
    await fileSessionStore(join(directory, 'sessions')).save('main', account.id, session);
    await writeFile(join(directory, 'server.pem'), harness.server.publicKeyPem);
    peers = harness.world.peerDialogPeers(me).slice(0, 150);
    await writeFile(join(directory, 'peers.txt'), ['# the peers to sync', ...peers.map(String), 'not a peer!'].join('\n'));
    env = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: harness.database.url,
      TELEGRAM_API_ID: String(harness.server.apiId),
      TELEGRAM_API_HASH: harness.server.apiHash,
      TELEGRAM_SESSION_DIR: join(directory, 'sessions'),
      TELEGRAM_TEST_DC_HOST: harness.server.host,
      TELEGRAM_TEST_DC_PORT: String(harness.server.port()),
      TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: join(directory, 'server.pem'),
      SYNC_PEERS_FILE: join(directory, 'peers.txt'),
      SYNC_CALL_TIMEOUT_MS: '5000',
      LOG_FORMAT: 'json',
    };
  });
  after(() => harness?.close());

  it('syncs every account from the peers file and exits 0, reporting the bad line', async () => {
    const run = await runCli(['sync'], env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /main: succeeded — 150 synced, 0 failed/);
    assert.match(run.stdout, /peers\.txt:\d+: .*the line is skipped/);
    const { rows } = await harness.sql.query('SELECT count(*)::int AS n FROM dialogs');
    assert.equal(rows[0].n, 150);
    assert.equal(run.stdout.includes(session), false, 'the session string is never printed');
    assert.equal(run.stdout.includes(harness.server.apiHash), false, 'the api hash is never printed');
    assert.deepEqual(findSecretCanaries(run.stdout + run.stderr), []);
  });

  it('names an unknown account in one line and exits 1', async () => {
    const run = await runCli(['sync', '--account', 'nobody'], env);
    assert.equal(run.code, 1);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? '', /no account "nobody" \(known: main\)/);
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
