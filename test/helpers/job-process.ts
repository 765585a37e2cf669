/**
 * Runs the real `tg-dialog-sync` executable as a child process against a sync harness (local data
 * center + test database): the environment it needs, a session file, a peers file, and helpers to
 * wait on its output and exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSessionStore } from '../../src/sessions/file-session-store.ts';
import type { AccountRecord } from '../../src/store/accounts/accounts.ts';
import type { SyncHarness } from './sync-harness.ts';

export const BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');

export interface JobEnvironmentOptions {
  readonly accounts: readonly { readonly account: AccountRecord; readonly session: string }[];
  readonly peers: readonly string[];
  readonly extra?: NodeJS.ProcessEnv;
}

/** Writes sessions, the server key and the peers file to a temp folder; returns the job's environment. */
export async function jobEnvironment(harness: SyncHarness, options: JobEnvironmentOptions): Promise<NodeJS.ProcessEnv> {
  const directory = await mkdtemp(join(tmpdir(), 'tg-sync-job-'));
  const sessions = fileSessionStore(join(directory, 'sessions'));
  for (const { account, session } of options.accounts) await sessions.save(account.label, account.id, session);
  await writeFile(join(directory, 'server.pem'), harness.server.publicKeyPem);
  await writeFile(join(directory, 'peers.txt'), options.peers.join('\n'));
  return {
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
    ...options.extra,
  };
}

export interface JobProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** JSON log lines printed so far, on stdout (the worker) or stderr (every other command). */
  logLines(): Record<string, unknown>[];
  /** Resolves with the first log line matching, or rejects when the process exits first or the deadline passes. */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startJob(args: readonly string[], env: NodeJS.ProcessEnv): JobProcess {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  // 'close' (not 'exit'): all of the child's output has been read by then.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const logLines = () =>
    `${stdout}\n${stderr}`
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logLines,
    exited: () => exit,
    waitForLog(predicate, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logLines().find(predicate);
          if (found !== undefined) {
            cleanup();
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then(() => {
          if (!listeners.has(check)) return;
          cleanup();
          reject(new Error(`the process exited before a matching log line; stderr: ${stderr}`));
        });
        check();
      });
    },
  };
}

export interface JobRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the executable to its end: exit code and everything it printed. */
export async function runJob(args: readonly string[], env: NodeJS.ProcessEnv): Promise<JobRun> {
  const job = startJob(args, env);
  const { code } = await job.exited();
  return { code, stdout: job.stdout(), stderr: job.stderr() };
}

/** A TCP port nothing listens on right now (for HTTP_PORT). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Whether nothing accepts connections on 127.0.0.1:port (a server that should have stopped did). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
