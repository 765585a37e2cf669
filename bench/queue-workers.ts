/**
 * Accounts through the job queue: real worker processes (`tg-dialog-sync start`) sync every account
 * of a landscape once, with latency added to every Telegram call, in three set-ups measured on fresh
 * databases in one run: one process with one account at a time, one process with `atOnce` accounts at
 * a time, and two processes with `atOnce` each. The bench enqueues one job per account itself once
 * every process is up (its cron does not fire), and the wall time runs from that moment to the end of
 * the last run, read from sync_runs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeWorkerUtils } from 'graphile-worker';
import pg from 'pg';
import type { CreatedDatabase } from '../src/db/databases.ts';
import { enqueueAccountRun } from '../src/queue/account-jobs.ts';
import { queueSchemaFor } from '../src/queue/queue-settings.ts';
import { fileSessionStore } from '../src/sessions/file-session-store.ts';
import { startCli, type CliProcess } from '../test/helpers/cli-process.ts';
import { connectPg, type BenchServer } from './common.ts';
import { createAccounts, type Landscape } from './end-to-end.ts';

export interface QueueSetupFigures {
  readonly processes: number;
  readonly atOnce: number;
  readonly wallSeconds: number;
  readonly peersSynced: number;
  readonly apiCalls: number;
  readonly peersPerSecond: number;
  readonly statuses: string[];
}

export async function benchQueueSetup(
  server: BenchServer,
  landscape: Landscape,
  setup: { processes: number; atOnce: number },
  log: (line: string) => void,
): Promise<QueueSetupFigures> {
  const database = await server.fresh(`queue_${setup.processes}x${setup.atOnce}`);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'tg-bench-queue-'));
  const workers: CliProcess[] = [];
  try {
    const ids = await createAccounts(database, landscape);
    const env = await environment(database, landscape, ids, folder, setup.atOnce);
    for (let index = 0; index < setup.processes; index += 1) workers.push(startCli(['start'], env));
    await Promise.all(workers.map((worker) => worker.waitForLog((line) => line.msg === 'worker started', 120_000)));
    log(`  ${setup.processes} process(es) × ${setup.atOnce} at once: ${ids.length} accounts enqueued`);
    const startedAt = new Date();
    await enqueueAll(database, ids);
    const totals = await waitForAllRuns(database, ids.length, 1_800_000);
    const wallSeconds = (totals.lastFinishedAt.getTime() - startedAt.getTime()) / 1000;
    return {
      ...setup,
      wallSeconds,
      peersSynced: totals.peersSynced,
      apiCalls: totals.apiCalls,
      peersPerSecond: totals.peersSynced / wallSeconds,
      statuses: totals.statuses,
    };
  } finally {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await rm(folder, { recursive: true, force: true });
    await database.drop().catch(() => undefined);
  }
}

/** What a worker needs: sessions, the data center's key, a peers file per account label. */
async function environment(
  database: CreatedDatabase,
  landscape: Landscape,
  ids: number[],
  folder: string,
  atOnce: number,
): Promise<NodeJS.ProcessEnv> {
  const sessions = fileSessionStore(path.join(folder, 'sessions'));
  const peers: Record<string, string[]> = {};
  for (const [index, account] of landscape.accounts.entries()) {
    const label = `bench-${index + 1}`;
    await sessions.save(label, ids[index]!, landscape.server.sessionFor(account.userId));
    peers[label] = account.peers.map(String);
  }
  await writeFile(path.join(folder, 'server.pem'), landscape.server.publicKeyPem);
  await writeFile(path.join(folder, 'peers.json'), JSON.stringify(peers));
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    DATABASE_URL: database.url,
    TELEGRAM_API_ID: String(landscape.server.apiId),
    TELEGRAM_API_HASH: landscape.server.apiHash,
    TELEGRAM_SESSION_DIR: path.join(folder, 'sessions'),
    TELEGRAM_TEST_DC_HOST: landscape.server.host,
    TELEGRAM_TEST_DC_PORT: String(landscape.server.port()),
    TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: path.join(folder, 'server.pem'),
    SYNC_PEERS_FILE: path.join(folder, 'peers.json'),
    SYNC_CRON: '0 0 1 1 *',
    SYNC_ACCOUNTS_AT_ONCE: String(atOnce),
    HTTP_PORT: '0',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  };
}

async function enqueueAll(database: CreatedDatabase, ids: number[]): Promise<void> {
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const utils = await makeWorkerUtils({ pgPool: pool, schema: queueSchemaFor(database.url) });
  try {
    for (const accountId of ids)
      await enqueueAccountRun(utils.addJob, { accountId, trigger: 'bench', tick: null }, 'at');
  } finally {
    await utils.release();
    await pool.end();
  }
}

async function waitForAllRuns(
  database: CreatedDatabase,
  accounts: number,
  timeoutMs: number,
): Promise<{ lastFinishedAt: Date; peersSynced: number; apiCalls: number; statuses: string[] }> {
  const client = await connectPg(database.url);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const { rows } = await client.query<{
        done: number;
        last: Date | null;
        synced: number;
        calls: number;
        statuses: string | null;
      }>(
        `SELECT count(*)::int AS done, max(finished_at) AS last, coalesce(sum(peers_synced), 0)::int AS synced, coalesce(sum(api_calls), 0)::int AS calls,
                string_agg(DISTINCT status::text, ',') AS statuses
         FROM sync_runs WHERE finished_at IS NOT NULL AND status <> 'interrupted'`,
      );
      const row = rows[0]!;
      if (row.done >= accounts && row.last !== null)
        return {
          lastFinishedAt: row.last,
          peersSynced: row.synced,
          apiCalls: row.calls,
          statuses: (row.statuses ?? '').split(','),
        };
      if (Date.now() > deadline) throw new Error(`only ${row.done} of ${accounts} runs ended within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}
