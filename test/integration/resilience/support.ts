/**
 * What the resilience tests share on top of the sync harness: configured peers by id, result checks,
 * and bounded polls (never sleeps as synchronisation).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import type { WantedPeer } from '../../../src/store/peers/reconcile-configured-peers.ts';
import type { SyncAccountResult } from '../../../src/sync/sync-account.ts';
import { jobEnvironment } from '../../helpers/job-process.ts';
import { peerKeyOfMarked, type SyncHarness } from '../../helpers/sync-harness.ts';

/** Configured peers written as marked ids (resolved from the account's stored rows or dialog list). */
export function wantedById(peers: readonly bigint[]): WantedPeer[] {
  return peers.map((marked) => {
    const key = peerKeyOfMarked(marked);
    return { input: String(marked), normalizedInput: `id:${key.peerType}:${key.peerId}` };
  });
}

/** `type:id` of a marked id, as the call log and the tables name peers. */
export function peerKey(marked: bigint): string {
  const key = peerKeyOfMarked(marked);
  return `${key.peerType}:${key.peerId}`;
}

export type RanResult = Exclude<SyncAccountResult, { status: 'skipped' }>;

export function assertRan(result: SyncAccountResult, status: RanResult['status']): RanResult {
  if (result.status === 'skipped') assert.fail(`skipped: ${result.reason}`);
  assert.equal(result.status, status, `${result.status}: ${result.errorKind} ${result.errorText}`);
  return result;
}

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<Value>(
  what: string,
  check: () => Promise<Value | undefined>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await delay(everyMs);
  }
}

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export const CLI_BIN = join(import.meta.dirname, '../../../src/cli/bin.mjs');

/** Starts `node <script> …args` (the real CLI by default) as a child process. */
export function spawnNode(args: readonly string[], env: NodeJS.ProcessEnv, script = CLI_BIN): CliProcess {
  const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    },
  );
  return { child, output: () => stdout + stderr, exited };
}

/** Waits for the process to exit, failing (and killing it) if it takes longer than `timeoutMs`. */
export async function exitWithin(
  process: CliProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      process.child.kill('SIGKILL');
      reject(new Error(`the process did not exit within ${timeoutMs} ms; output:\n${process.output()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([process.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface CliWorld {
  readonly directory: string;
  readonly env: NodeJS.ProcessEnv;
  /** The one session string every process of the account uses (one auth key). */
  readonly session: string;
}

/**
 * A session file, the data center's public key and a peers file in a temporary folder, and the
 * environment that points the CLI at them, the harness's database and its data center.
 */
export async function prepareCli(
  harness: SyncHarness,
  account: AccountRecord,
  peers: readonly bigint[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CliWorld> {
  const session = harness.server.sessionFor(account.telegramUserId!);
  const env = await jobEnvironment(harness, {
    accounts: [{ account, session }],
    peers: peers.map(String),
    extra: {
      SYNC_TRANSIENT_RETRIES: '3',
      SYNC_TRANSIENT_BACKOFF_BASE_MS: '50',
      SYNC_TRANSIENT_BACKOFF_MAX_MS: '200',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
  });
  return { directory: dirname(env.SYNC_PEERS_FILE as string), env, session };
}

/** Resolves when the process has printed something matching `pattern`; fails if it exits first. */
export function waitForOutput(process: CliProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(process.output())) return false;
      cleanup();
      resolve();
      return true;
    };
    const onExit = () => {
      if (!check()) reject(new Error(`the process exited without printing ${pattern}; output:\n${process.output()}`));
    };
    const cleanup = () => {
      process.child.stdout!.off('data', onData);
      process.child.stderr!.off('data', onData);
      process.child.off('close', onExit);
    };
    // Listeners run after spawnNode's own, which append the chunk to the output first.
    const onData = () => void check();
    process.child.stdout!.on('data', onData);
    process.child.stderr!.on('data', onData);
    process.child.on('close', onExit);
    check();
  });
}
