/**
 * What the CLI integration tests share: the real `tg-dialog-sync` executable as a child process
 * (stdin piped in, stdout/stderr captured), a local Telegram data center over a generated world, a
 * fresh migrated database, and the environment that points the executable at both.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
import { connectPg, createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

export const BIN = join(import.meta.dirname, '../../../src/cli/bin.mjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves with the first match of `pattern` in stdout + stderr, as soon as it has been printed. */
  waitForOutput(pattern: RegExp): Promise<RegExpMatchArray>;
  readonly done: Promise<CliRun>;
}

export interface StartCliOptions {
  /** Written to stdin, which is then closed; `keepStdinOpen` leaves it open (write to child.stdin). */
  readonly stdin?: string;
  readonly keepStdinOpen?: boolean;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv, options: StartCliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const watchers: Array<{
    pattern: RegExp;
    resolve: (match: RegExpMatchArray) => void;
    reject: (error: Error) => void;
  }> = [];
  const check = () => {
    for (const watcher of [...watchers]) {
      const match = (stdout + stderr).match(watcher.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(match);
      }
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  child.stdin!.on('error', () => undefined); // the process may exit before reading everything
  if (options.stdin !== undefined) child.stdin!.write(options.stdin);
  if (options.keepStdinOpen !== true) child.stdin!.end();
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const watcher of watchers.splice(0))
        watcher.reject(
          new Error(`the process exited (${code}) before printing ${watcher.pattern}\n${stdout}\n${stderr}`),
        );
      resolve({ code, stdout, stderr });
    });
  });
  return {
    child,
    done,
    waitForOutput(pattern) {
      return new Promise((resolve, reject) => {
        watchers.push({ pattern, resolve, reject });
        check();
      });
    },
  };
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  return startCli(args, env, stdin === undefined ? {} : { stdin }).done;
}

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
  await writeFile(join(directory, 'server.pem'), server.publicKeyPem);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    DATABASE_URL: database.url,
    TELEGRAM_API_ID: String(server.apiId),
    TELEGRAM_API_HASH: server.apiHash,
    TELEGRAM_SESSION_DIR: sessionDir,
    TELEGRAM_TEST_DC_HOST: server.host,
    TELEGRAM_TEST_DC_PORT:
      server.dataCenters.length === 1
        ? String(server.port())
        : server.dataCenters.map((dc) => `${dc.dcId}:${dc.port}`).join(','),
    TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: join(directory, 'server.pem'),
    SYNC_CALL_TIMEOUT_MS: '5000',
    LOG_FORMAT: 'json',
  };
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
