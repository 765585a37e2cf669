/**
 * `npm run demo`: the whole job on one machine, nothing to configure. It starts an embedded
 * PostgreSQL (in .data/demo) and the local Telegram data center with a generated world, then drives
 * the real command line: migrates the database, logs a demo account in through the real login flow
 * (phone and code answered on stdin), and syncs 300 peers with two faults injected — a flood wait and
 * a channel that turned private. It prints what was synced, what was backed off and why, and the SQL
 * to look at it, then stops everything it started.
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startLocalTelegramServer } from 'telegram-test-server';
import { World } from 'telegram-test-server/world';
import { startEmbeddedPostgres } from '../src/dev/embedded-postgres/server.ts';
import { asError } from '../src/errors/app-error.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DEMO_DIR = join(ROOT, '.data/demo');
const DEMO_PORT = 54349;
const PEERS = 300;
const quietLogger = { info() {}, warn() {}, error() {}, debug() {} };

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Runs the real `tg-dialog-sync` executable; its output is shown indented. */
function cli(args: readonly string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'src/cli/bin.mjs'), ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const show = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.trim() === '') continue;
        // JSON log lines: only warnings and errors are worth showing in a demo, as their message.
        const message = line.startsWith('{') ? warningOf(line) : line;
        if (message !== null) process.stdout.write(`    ${message}\n`);
      }
    };
    child.stdout.on('data', show);
    child.stderr.on('data', show);
    child.on('error', reject);
    child.on('close', (code) => resolvePromise(code ?? 1));
    child.stdin.end(stdin);
  });
}

function warningOf(jsonLine: string): string | null {
  try {
    const entry = JSON.parse(jsonLine) as { level?: string; msg?: string };
    return entry.level === 'warn' || entry.level === 'error' ? `${entry.level}: ${entry.msg ?? ''}` : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  await rm(DEMO_DIR, { recursive: true, force: true });
  await mkdir(DEMO_DIR, { recursive: true });

  say('1. Starting an embedded PostgreSQL 15 (.data/demo/postgres) and a local Telegram data center…');
  const database = await startEmbeddedPostgres({
    dataDir: join(DEMO_DIR, 'postgres'),
    port: DEMO_PORT,
    logger: quietLogger,
    database: 'tg_dialog_sync_demo',
  });
  const world = World.generate({ seed: 'demo', peers: 3000, accounts: 1 });
  const server = await startLocalTelegramServer({ world, apiHash: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
  try {
    const account = world.userAccounts[0]!;
    const peers = world.peerDialogPeers(account.userId).slice(0, PEERS);
    const privateChannel = peers.find((marked) => marked < -1_000_000_000_000n)!;
    // Peers the way people write them: usernames, links and numeric ids, one of them malformed.
    const lines = peers.map((marked, index) => world.specStrings(marked)[index % 3] ?? String(marked));
    await writeFile(
      join(DEMO_DIR, 'peers.txt'),
      ['# demo peers', ...lines, 'https://t.me/+12345 # a phone number link, not a peer'].join('\n'),
    );
    await writeFile(join(DEMO_DIR, 'server.pem'), server.publicKeyPem);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      TELEGRAM_API_ID: String(server.apiId),
      TELEGRAM_API_HASH: server.apiHash,
      TELEGRAM_SESSION_DIR: join(DEMO_DIR, 'sessions'),
      TELEGRAM_TEST_DC_HOST: server.host,
      TELEGRAM_TEST_DC_PORT: String(server.port()),
      TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: join(DEMO_DIR, 'server.pem'),
      SYNC_PEERS_FILE: join(DEMO_DIR, 'peers.txt'),
      SYNC_FLOOD_WAIT_CEILING_SECONDS: '30',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    };

    say('2. Creating the schema: tg-dialog-sync db migrate');
    if ((await cli(['db', 'migrate'], env)) !== 0) throw new Error('db migrate failed');

    say(
      '3. Logging in the demo account through the real login flow (tg-dialog-sync login; its test phone and code answered on stdin)',
    );
    const answers = [account.phone, account.loginCode, account.password ?? ''].join('\n') + '\n';
    if ((await cli(['login', '--account', 'demo'], env, answers)) !== 0) throw new Error('login failed');

    say(
      `4. Syncing ${PEERS} peers (tg-dialog-sync sync) with a 2 s FLOOD_WAIT on the 2nd call and one channel turned private`,
    );
    server.faults.floodWait(2, { method: 'messages.getPeerDialogs', nthCall: 2 });
    world.kickAccount(account.userId, privateChannel);
    const syncCode = await cli(['sync'], env);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const run = (
        await client.query(`SELECT status, peers_total, peers_synced, peers_failed, api_calls, flood_waits, flood_wait_seconds,
          round(extract(epoch FROM finished_at - started_at)::numeric, 1) AS seconds FROM sync_runs ORDER BY id DESC LIMIT 1`)
      ).rows[0];
      say('');
      say(
        `Result: run ${run.status} in ${run.seconds} s — ${run.peers_synced} of ${run.peers_total} peers synced, ${run.peers_failed} failed, ` +
          `${run.api_calls} API calls, ${run.flood_waits} flood wait(s) of ${run.flood_wait_seconds} s waited out by the job (exit code ${syncCode})`,
      );
      const kinds = await client.query(
        `SELECT peer_kind, count(*)::int AS n, sum(unread_count)::int AS unread FROM dashboard_dialogs GROUP BY 1 ORDER BY 2 DESC`,
      );
      say('Synced dialogs by kind:');
      for (const row of kinds.rows)
        say(
          `    ${String(row.peer_kind).padEnd(12)} ${String(row.n).padStart(4)} dialogs, ${row.unread} unread messages`,
        );
      const problems =
        await client.query(`SELECT input, status, last_error_code, last_error_text, next_attempt_at FROM configured_peers
          WHERE status IN ('failing', 'unresolvable') ORDER BY id`);
      say('Backed off, and why:');
      for (const row of problems.rows)
        say(
          `    ${row.input}: ${row.last_error_code} — ${row.last_error_text} (next attempt ${new Date(row.next_attempt_at).toISOString()})`,
        );
      say('Not loaded from the peers file: the malformed line, reported above with its line number.');
    } finally {
      await client.end();
    }

    say('');
    // The URL holds the database password: it goes to a file only its owner can read, never to the screen.
    await writeFile(join(DEMO_DIR, 'database-url'), `${database.url}\n`, { mode: 0o600 });
    say('Look at it yourself — the data stays in .data/demo/postgres. Start that database again with');
    say('    npm run demo:db          # runs until Ctrl-C');
    say('and in another terminal, with any PostgreSQL client:');
    say('    psql "$(cat .data/demo/database-url)"');
    say(
      '    SELECT account_label, title, peer_kind, unread_count, last_message_at FROM dashboard_dialogs ORDER BY unread_count DESC LIMIT 10;',
    );
    say(
      '    SELECT input, last_error_code, consecutive_failures, next_attempt_at FROM dashboard_peers WHERE is_in_backoff;',
    );
    say('    SELECT status, started_at, duration_seconds, peers_synced, flood_wait_seconds FROM dashboard_sync_runs;');
    say(`Demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await server.stop();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${asError(error).message}\n`);
  process.exitCode = 1;
});
