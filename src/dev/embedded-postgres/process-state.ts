// Questions about other processes, answered from signals and /proc (Linux). Used to tell a live
// embedded server from a stale pid file and an orphaned server from one that is still in use.
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';

/**
 * True when the process exists and is not a zombie. An orphaned server's parent can be a PID 1 that
 * never reaps children (common in containers), so a dead server may linger as a zombie; that counts
 * as dead.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = readProcStat(pid)?.state;
  return state !== 'Z' && state !== 'X';
}

/** Kernel start time (clock ticks since boot) — with the pid, identifies a process across pid reuse. */
export function processStartTime(pid: number): string | null {
  return readProcStat(pid)?.startTime ?? null;
}

/**
 * Whether `pid` is positively the PostgreSQL postmaster of data folder `dir`. Only a positive answer
 * allows signalling a process, so anything undeterminable counts as "no":
 * - the postmaster chdirs into its data folder, so /proc/<pid>/cwd names it (Linux; may be unreadable
 *   for other users' processes in some containers);
 * - otherwise its command line (`postgres -D <dir> …`, as we start it) from /proc or `ps`.
 */
export function isPostmasterOf(pid: number, dir: string): boolean {
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || pid === process.ppid) return false;
  let realDir: string;
  try {
    realDir = realpathSync(dir);
  } catch {
    return false;
  }
  try {
    if (readlinkSync(`/proc/${pid}/cwd`) === realDir) return true;
  } catch {
    // fall through to the command line
  }
  const commandLine = readCommandLine(pid);
  if (commandLine === null) return false;
  return (
    /postgres/.test(commandLine[0] ?? '') &&
    commandLine.some((arg, i) => commandLine[i - 1] === '-D' && (arg === dir || arg === realDir))
  );
}

function readCommandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    try {
      // No /proc (macOS): ps prints the command line space-separated; good enough for our own paths.
      return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' })
        .trim()
        .split(/\s+/);
    } catch {
      return null;
    }
  }
}

function readProcStat(pid: number): { state: string; startTime: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ")".
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19]; // field 22 overall
  return state && startTime ? { state, startTime } : null;
}
