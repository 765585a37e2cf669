// Running the postmaster: spawn it detached (as the server account when we are root), wait until
// postmaster.pid says "ready", stop it with escalating signals, and stop it when this process ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgresError } from './error.ts';
import { delay, readLog, readPostmasterPid, SERVER_LOG_FILE, tail, writeOwner } from './files.ts';
import type { PostgresBinaries, ServerAccount } from './host.ts';
import type { AppLogger } from '../../observability/app-logger.ts';
import { isProcessAlive, processStartTime } from './process-state.ts';

export async function spawnServer(input: {
  binaries: PostgresBinaries;
  account: ServerAccount;
  dataDir: string;
  port: number;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
  timeoutMs: number;
  fast: boolean;
}): Promise<{ pid: number; child: ChildProcess }> {
  const { binaries, account, dataDir, port, logger } = input;
  const started = Date.now();
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    // TCP on loopback only; no Unix socket, so nothing is left in /tmp and no socket path limits.
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
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
      throw new EmbeddedPostgresError(
        'start-failed',
        `Embedded PostgreSQL did not become ready within ${input.timeoutMs} ms. ${tail(await readLog(logPath))}`,
      );
    }
  }

  const pid = child.pid as number;
  await writeOwner(dataDir, {
    ownerPid: process.pid,
    ownerStartTime: processStartTime(process.pid),
    postmasterPid: pid,
  });
  registerForShutdown(pid);
  logger.info(
    { dataDir, port, pid, ms: Date.now() - started },
    `embedded PostgreSQL started on 127.0.0.1:${port} in ${Date.now() - started} ms`,
  );
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
  return new EmbeddedPostgresError(
    'start-failed',
    `Embedded PostgreSQL exited during start-up: ${tail(log)} (full log: ${logPath})`,
  );
}

/** Fast shutdown (SIGINT: disconnect clients, checkpoint, exit); escalate if it hangs. */
export async function stopProcess(pid: number, timeoutMs: number): Promise<void> {
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
    throw new EmbeddedPostgresError(
      'stop-failed',
      `Embedded PostgreSQL (pid ${pid}) did not stop, even after SIGKILL.`,
    );
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

export function registerForShutdown(pid: number): void {
  if (runningServers.size === 0) {
    process.on('exit', onExit);
    for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  }
  runningServers.add(pid);
}

export function unregisterFromShutdown(pid: number): void {
  runningServers.delete(pid);
  if (runningServers.size === 0) removeShutdownHooks();
}

function removeShutdownHooks(): void {
  process.removeListener('exit', onExit);
  for (const signal of SHUTDOWN_SIGNALS) process.removeListener(signal, onSignal);
}

/** Whether this process started (and has not stopped) the server with this pid. */
export function isStartedByThisProcess(pid: number): boolean {
  return runningServers.has(pid);
}
