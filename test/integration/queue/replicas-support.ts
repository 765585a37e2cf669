/**
 * Worker processes (`tg-dialog-sync start`) of several accounts on one database and one local data
 * center: a peers file per account, the processes and what sync_runs says they did.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { startCli, type CliProcess } from '../../helpers/cli-process.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { syncablePeers, type SyncHarness } from '../../helpers/sync-harness.ts';

export interface Accounts {
  readonly accounts: AccountRecord[];
  readonly env: NodeJS.ProcessEnv;
  readonly directory: string;
}

/** `count` logged-in accounts with `peers` dialogs each (upgraded groups left out), and the workers' environment. */
export async function prepareAccounts(
  harness: SyncHarness,
  count: number,
  peers: number,
  extra: NodeJS.ProcessEnv,
): Promise<Accounts> {
  const accounts: AccountRecord[] = [];
  const file: Record<string, string[]> = {};
  for (const worldAccount of harness.world.userAccounts.slice(0, count)) {
    const label = `acc${String(accounts.length + 1).padStart(2, '0')}`;
    const account = await harness.account(worldAccount.userId, label);
    accounts.push(account);
    file[label] = syncablePeers(harness.world, worldAccount.userId).slice(0, peers).map(String);
  }
  const env = await jobEnvironment(harness, {
    accounts: accounts.map((account) => ({ account, session: harness.server.sessionFor(account.telegramUserId!) })),
    peers: [],
    extra: { HTTP_PORT: '0', LOG_LEVEL: 'info', SYNC_CALL_TIMEOUT_MS: '120000', ...extra },
  });
  const directory = dirname(env.SYNC_PEERS_FILE as string);
  const peersFile = join(directory, 'peers.json');
  await writeFile(peersFile, JSON.stringify(file));
  return { accounts, env: { ...env, SYNC_PEERS_FILE: peersFile }, directory };
}

export class Workers {
  readonly all: CliProcess[] = [];
  start(env: NodeJS.ProcessEnv): CliProcess {
    const job = startCli(['start'], env);
    this.all.push(job);
    return job;
  }
  /** Resolves once the process logged that it started (its queue is working). */
  static started(job: CliProcess): Promise<unknown> {
    return job.waitForLog((line) => line.msg === 'worker started', 60_000);
  }
  kill(): void {
    for (const job of this.all)
      if (job.child.exitCode === null && job.child.signalCode === null) job.child.kill('SIGKILL');
  }
}

export interface RunRow {
  readonly id: number;
  readonly accountId: number;
  readonly status: string;
  readonly trigger: string;
  readonly runner: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly resumeAt: Date | null;
}

export async function runsOf(harness: SyncHarness): Promise<RunRow[]> {
  const { rows } = await harness.sql.query(
    `SELECT id::int, account_id AS "accountId", status, trigger, runner, started_at AS "startedAt", finished_at AS "finishedAt", resume_at AS "resumeAt"
     FROM sync_runs ORDER BY id`,
  );
  return rows as RunRow[];
}

/** The pid in a runner name (`host:pid`). */
export function pidOfRunner(runner: string): number {
  return Number(runner.slice(runner.lastIndexOf(':') + 1));
}
