// The embedded server's files next to and inside its data folder, and small helpers shared by the
// embedded-postgres modules. PostgreSQL ignores unknown files in its data folder, so ours live there.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from './error.ts';
import { isProcessAlive } from './process-state.ts';

/** Written once by initdb's caller; its presence marks a data folder as ours. */
export const CREDENTIALS_FILE = 'tg-dialog-sync-credentials.json';
/** Which process started the running server (to tell a shared server from an orphan). */
export const OWNER_FILE = 'tg-dialog-sync-owner.json';
/** The server's stdout/stderr, truncated at each start. */
export const SERVER_LOG_FILE = 'tg-dialog-sync-server.log';

export interface Credentials {
  user: string;
  password: string;
}

export interface OwnerRecord {
  ownerPid: number;
  /** With the pid, identifies the owner process across pid reuse. */
  ownerStartTime: string | null;
  postmasterPid: number;
}

export interface PostmasterPidFile {
  pid: number;
  port: number;
  /** "starting", "ready", "stopping" (PostgreSQL 10+). */
  status: string;
}

export async function readCredentials(dataDir: string): Promise<Credentials> {
  return JSON.parse(await readFile(path.join(dataDir, CREDENTIALS_FILE), 'utf8')) as Credentials;
}

export async function readPostmasterPid(dataDir: string): Promise<PostmasterPidFile | null> {
  const text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null);
  if (text === null) return null;
  // Lines: pid, data dir, start time, port, socket dir, listen address, shmem key, status.
  const lines = text.split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]), status: (lines[7] ?? '').trim() };
}

export async function readOwner(dataDir: string): Promise<OwnerRecord | null> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, OWNER_FILE), 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

export async function writeOwner(dataDir: string, owner: OwnerRecord): Promise<void> {
  await writeFile(path.join(dataDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o644 });
}

export async function removeOwner(dataDir: string): Promise<void> {
  await rm(path.join(dataDir, OWNER_FILE), { force: true });
}

/**
 * A lock file next to the data folder (`<dataDir>.lock`, holding the holder's pid). A lock whose
 * holder died is taken over. (Two processes taking over the same dead lock at the same instant could
 * both proceed; the window is a few microseconds after a crash, which is acceptable for a dev server.)
 */
export async function withStartLock<T>(dataDir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
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

/** mkdir -p, with every folder it creates readable/traversable by the server account (umask-proof). */
export async function mkdirTraversable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (!first) return;
  for (let current = dir; ; current = path.dirname(current)) {
    await chmod(current, 0o755);
    if (current === first || current === path.dirname(current)) break;
  }
}

export async function readLog(logPath: string): Promise<string> {
  return readFile(logPath, 'utf8').catch(() => '');
}

export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
