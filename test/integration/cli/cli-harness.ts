/**
 * What the CLI integration tests share: a local Telegram data center over a generated world, a
 * fresh migrated database, the environment that points the executable at both, and how the CLI's
 * answers and errors look. The process itself runs through test/helpers/cli-process.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import {
  startLocalTelegramServer,
  type LocalTelegramServer,
  worldBackend,
  type BackendAccount,
  type WorldBackend,
} from 'telegram-test-server';
import { World } from 'telegram-test-server/world';
import type { CliRun } from '../../helpers/cli-process.ts';
import { dataCenterEnvironment } from '../../helpers/job-environment.ts';
import { connectPg, createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

export interface CliEnvironment {
  readonly world: World;
  readonly server: LocalTelegramServer;
  readonly database: TestDatabase;
  readonly sql: pg.Client;
  /** The temporary folder (sessions in `sessions/`). */
  readonly directory: string;
  readonly sessionDir: string;
  /** Environment for the executable: this database, this data center, sessions in `sessionDir`. */
  readonly env: NodeJS.ProcessEnv;
  /** The world accounts as the data center sees them (with `accountOverrides` applied). */
  readonly accounts: readonly BackendAccount[];
  close(): Promise<void>;
}

export interface CliEnvironmentOptions {
  readonly label: string;
  readonly world: Parameters<typeof World.generate>[0];
  /** Replaces login data of world accounts by index (e.g. canary phone, code and password). */
  readonly accountOverrides?: Readonly<
    Record<number, Partial<Pick<BackendAccount, 'phone' | 'loginCode' | 'password'>>>
  >;
  readonly dataCenters?: readonly number[];
}

export async function startCliEnvironment(options: CliEnvironmentOptions): Promise<CliEnvironment> {
  const world = World.generate(options.world);
  const base = worldBackend(world);
  const accounts: BackendAccount[] = world.accounts.map((account, index) => ({
    ...account,
    ...(options.accountOverrides?.[index] ?? {}),
  }));
  const backend: WorldBackend = { accounts, call: (ctx, request) => base.call(ctx, request) };
  const server = await startLocalTelegramServer({
    world: backend,
    apiHash: randomBytes(16).toString('hex'),
    ...(options.dataCenters ? { dataCenters: options.dataCenters } : {}),
  });
  const database = await createTestDatabase(options.label);
  const sql = await connectPg(database.url);
  const directory = await mkdtemp(join(tmpdir(), `tg-sync-${options.label}-`));
  const sessionDir = join(directory, 'sessions');
  const env = await dataCenterEnvironment(server, database.url, directory, sessionDir);
  return {
    world,
    server,
    database,
    sql,
    directory,
    sessionDir,
    env,
    accounts,
    async close() {
      await sql.end().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await database.drop().catch(() => undefined);
      await rm(directory, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

/** The lines an answer file for the line prompter consists of. */
export function answers(...lines: string[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** The one non-empty line of stderr (CLI errors are one line). */
export function singleErrorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
  if (lines.length !== 1) throw new Error(`expected one error line on stderr, got ${lines.length}:\n${run.stderr}`);
  return lines[0]!;
}

/** The last line of stderr that is not a JSON log line: where a failing command's one-line error is. */
export function lastErrorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
  return lines.at(-1) ?? '';
}
