/**
 * Benchmarks 2 and 3: full syncs through the real GramJS client and the local data center into
 * PostgreSQL, the job running in a child process (bench/e2e-job.ts) so its peak RSS is its own.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalTelegramServer, type LocalTelegramServer } from 'telegram-test-server';
import { unmark } from 'telegram-test-server/world';
import type { CreatedDatabase } from '../src/db/databases.ts';
import { connectPg, projectRoot, World, type BenchServer } from './common.ts';
import type { E2eOutput, E2ePlan } from './e2e-job.ts';

export interface Landscape {
  readonly world: World;
  readonly server: LocalTelegramServer;
  readonly accounts: { userId: bigint; peers: bigint[] }[];
  stop(): Promise<void>;
}

/** A world where each of `accounts` accounts has about `perAccount` dialogs, behind a local data center. */
export async function startLandscape(seed: string, accounts: number, perAccount: number): Promise<Landscape> {
  // Accounts overlap as in real life: each sees ~perAccount of a larger population.
  const peers = Math.max(perAccount * 2, Math.min(accounts * perAccount, 100_000));
  const world = World.generate({
    seed,
    peers,
    accounts,
    botAccounts: 0,
    dialogRatio: (perAccount * 1.08) / peers,
    resolveFlood: { freeCalls: 1_000_000 },
  });
  const server = await startLocalTelegramServer({ world, apiHash: randomBytes(16).toString('hex') });
  const chosen = world.userAccounts.map((account) => {
    const list = world.peerDialogPeers(account.userId).slice(0, perAccount);
    if (list.length < perAccount * 0.95)
      throw new Error(`account ${account.userId} has only ${list.length} dialog peers`);
    return { userId: account.userId, peers: list };
  });
  return { world, server, accounts: chosen, stop: () => server.stop() };
}

export interface ChildResult extends E2eOutput {
  /** Peak RSS of the child minus its RSS right after its imports. */
  jobRssMb: number;
}

/** Accounts rows for the landscape in `database`; returns their ids in order. */
export async function createAccounts(database: CreatedDatabase, landscape: Landscape): Promise<number[]> {
  const client = await connectPg(database.url);
  try {
    const ids: number[] = [];
    for (const [index, account] of landscape.accounts.entries()) {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO accounts (label, telegram_user_id, status, last_login_at) VALUES ($1, $2, 'active', now()) RETURNING id`,
        [`bench-${index + 1}`, account.userId.toString()],
      );
      ids.push(rows[0]!.id);
    }
    return ids;
  } finally {
    await client.end();
  }
}

export async function runChild(
  mode: 'job' | 'bare',
  landscape: Landscape,
  database: CreatedDatabase | null,
  accountIds: number[],
  runs: number,
  /** Extra V8/Node flags for the child (the leak check's second run turns the optimising compilers off). */
  nodeFlags: readonly string[] = [],
): Promise<ChildResult> {
  const plan: E2ePlan = {
    mode,
    databaseUrl: database?.url ?? '',
    dataCenter: landscape.server.testDataCenterOptions(),
    apiId: landscape.server.apiId,
    apiHash: landscape.server.apiHash,
    runs,
    accounts: landscape.accounts.map((account, index) => ({
      accountId: accountIds[index] ?? 0,
      label: `bench-${index + 1}`,
      userId: account.userId.toString(),
      session: landscape.server.sessionFor(account.userId),
      peers: mode === 'job' ? account.peers.map(String) : [],
      inputPeers:
        mode === 'bare'
          ? account.peers.map((marked) => {
              const { kind, id } = peerOf(marked);
              return [
                kind,
                id.toString(),
                kind === 'chat' ? '0' : landscape.world.accessHash(account.userId, marked).toString(),
              ];
            })
          : [],
    })),
  };
  const folder = mkdtempSync(path.join(os.tmpdir(), 'tg-bench-'));
  const planFile = path.join(folder, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      // BENCH_CPU_PROF=<folder>: a V8 CPU profile of every job child, to see where its time goes.
      const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
      const child = spawn(
        process.execPath,
        [
          '--expose-gc',
          ...nodeFlags,
          ...profile,
          '--import',
          'tsx',
          path.join(projectRoot, 'bench', 'e2e-job.ts'),
          planFile,
        ],
        {
          cwd: projectRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, NODE_ENV: 'development' },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`e2e child exited ${code}: ${stderr.slice(-2000)}`)),
      );
    });
    const last = output.trim().split('\n').at(-1) ?? '{}';
    const parsed = JSON.parse(last) as E2eOutput;
    return { ...parsed, jobRssMb: parsed.maxRssMb - parsed.baselineRssMb };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function peerOf(marked: bigint): { kind: 'user' | 'chat' | 'channel'; id: bigint } {
  const { kind, id } = unmark(marked) as { kind: string; id: bigint };
  return { kind: kind === 'user' ? 'user' : kind === 'chat' ? 'chat' : 'channel', id };
}

export interface RunTotals {
  contentRowsWritten: number;
  runs: number;
  statuses: string[];
}

/** What the latest run of each account wrote, from sync_runs. */
export async function latestRunTotals(database: CreatedDatabase): Promise<RunTotals> {
  const client = await connectPg(database.url);
  try {
    const { rows } = await client.query<{ written: number; runs: number; statuses: string }>(
      `SELECT coalesce(sum(dialogs_inserted + dialogs_updated + messages_inserted + messages_updated + users_inserted + users_updated
                  + chats_inserted + chats_updated + channels_inserted + channels_updated), 0)::int AS written,
              count(*)::int AS runs, string_agg(DISTINCT status::text, ',') AS statuses
       FROM (SELECT DISTINCT ON (account_id) * FROM sync_runs ORDER BY account_id, started_at DESC, id DESC) latest`,
    );
    return {
      contentRowsWritten: rows[0]?.written ?? 0,
      runs: rows[0]?.runs ?? 0,
      statuses: (rows[0]?.statuses ?? '').split(','),
    };
  } finally {
    await client.end();
  }
}

export type { BenchServer };
