/**
 * `npm run bench -- --only memory`: the peak RSS of the real `tg-dialog-sync` executable (a child
 * process, so the figure is its own) for the two things an operator does with a large account:
 * `peers import` of a file of N peers, and `sync` of one account with N peers from SYNC_PEERS_FILE
 * (resolution by one scan of the account's dialog list included), against the local data center.
 * The figure is process.resourceUsage().maxRSS at exit, node's own start-up included.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalTelegramServer } from 'telegram-test-server';
import { fileSessionStore } from '../src/sessions/file-session-store.ts';
import { connectPg, projectRoot, World, type BenchServer } from './common.ts';

export interface MemoryFigures {
  peers: number;
  import: { maxRssMb: number; seconds: number };
  sync: { maxRssMb: number; seconds: number; resultLine: string };
  /** A child that runs nothing (`node -e ''`): the floor every figure includes. */
  bareNodeMaxRssMb: number;
}

interface ChildRun {
  code: number | null;
  stdout: string;
  maxRssMb: number;
  seconds: number;
}

function runCliMeasured(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', path.join(projectRoot, 'bench', 'report-max-rss.mjs'), ...args],
      { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const kb = /BENCH_MAX_RSS_KB=(\d+)\s*$/.exec(stderr);
      if (kb === null) return reject(new Error(`no peak RSS reported (exit ${code}): ${stderr.slice(-2000)}`));
      resolve({ code, stdout, maxRssMb: Number(kb[1]) / 1024, seconds: (performance.now() - started) / 1000 });
    });
  });
}

export async function benchMemory(
  server: BenchServer,
  options: { peers: number; log: (line: string) => void },
): Promise<MemoryFigures> {
  const { peers, log } = options;
  const world = World.generate({
    seed: 'bench-memory',
    peers: Math.ceil(peers * 1.1),
    accounts: 1,
    botAccounts: 0,
    dialogRatio: 0.995,
    resolveFlood: { freeCalls: 1_000_000 },
  });
  const telegram = await startLocalTelegramServer({ world, apiHash: randomBytes(16).toString('hex') });
  const database = await server.fresh('memory');
  const folder = mkdtempSync(path.join(os.tmpdir(), 'tg-bench-memory-'));
  try {
    const userId = world.userAccounts[0]!.userId;
    const upgraded = new Set(world.migratedGroups().flatMap(({ chat, channel }) => [chat, channel]));
    const list = world
      .peerDialogPeers(userId)
      .filter((marked) => !upgraded.has(marked))
      .slice(0, peers);
    if (list.length < peers) throw new Error(`the world has only ${list.length} dialog peers for the account`);
    const sql = await connectPg(database.url);
    let accountId: number;
    try {
      const { rows } = await sql.query<{ id: number }>(
        `INSERT INTO accounts (label, telegram_user_id, status, last_login_at) VALUES ('big', $1, 'active', now()) RETURNING id`,
        [userId.toString()],
      );
      accountId = rows[0]!.id;
      await sql.query(`INSERT INTO accounts (label) VALUES ('imported')`);
    } finally {
      await sql.end();
    }
    await fileSessionStore(path.join(folder, 'sessions')).save('big', accountId, telegram.sessionFor(userId));
    writeFileSync(path.join(folder, 'server.pem'), telegram.publicKeyPem);
    const peersFile = path.join(folder, 'peers.txt');
    writeFileSync(peersFile, `${list.map(String).join('\n')}\n`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      TELEGRAM_API_ID: String(telegram.apiId),
      TELEGRAM_API_HASH: telegram.apiHash,
      TELEGRAM_SESSION_DIR: path.join(folder, 'sessions'),
      TELEGRAM_TEST_DC_HOST: telegram.host,
      TELEGRAM_TEST_DC_PORT: String(telegram.port()),
      TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: path.join(folder, 'server.pem'),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    };
    const bare = await runCliMeasured(['-e', ''], env);
    log(`memory: peers import of ${peers} peers…`);
    const imported = await runCliMeasured(
      [path.join(projectRoot, 'src', 'cli', 'bin.mjs'), 'peers', 'import', peersFile, '--account', 'imported'],
      env,
    );
    if (imported.code !== 0) throw new Error(`peers import exited ${imported.code}: ${imported.stdout.slice(-500)}`);
    log(`  ${imported.maxRssMb.toFixed(0)} MB peak, ${imported.seconds.toFixed(1)} s`);
    log(`memory: sync of one account with ${peers} peers from SYNC_PEERS_FILE…`);
    const synced = await runCliMeasured([path.join(projectRoot, 'src', 'cli', 'bin.mjs'), 'sync', '--account', 'big'], {
      ...env,
      SYNC_PEERS_FILE: peersFile,
    });
    const resultLine = synced.stdout.split('\n').find((line) => line.startsWith('big:')) ?? '';
    if (synced.code !== 0) throw new Error(`sync exited ${synced.code}: ${resultLine || synced.stdout.slice(-500)}`);
    log(`  ${synced.maxRssMb.toFixed(0)} MB peak, ${synced.seconds.toFixed(1)} s: ${resultLine}`);
    return {
      peers,
      import: { maxRssMb: imported.maxRssMb, seconds: imported.seconds },
      sync: { maxRssMb: synced.maxRssMb, seconds: synced.seconds, resultLine },
      bareNodeMaxRssMb: bare.maxRssMb,
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await database.drop().catch(() => undefined);
    await telegram.stop();
  }
}
