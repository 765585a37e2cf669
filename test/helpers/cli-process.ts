/**
 * The one way tests run a program as a child process: the real `tg-dialog-sync` executable by
 * default, or any node entry point (a TypeScript script through tsx, the image's CMD). Output is
 * collected as it arrives so a test can wait for a line or a log entry, for the exit, or stop the
 * process with a signal — always with a bound, never with a sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const CLI_BIN = join(import.meta.dirname, '../../src/cli/bin.mjs');

/** Node flags that run a TypeScript entry point: `startNode([...TSX, script, ...args], env)`. */
export const TSX = ['--import', 'tsx'] as const;

/** How a process ended and everything it printed. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Just how it ended, for comparing with `{ code: 0, signal: null }`. */
export function exitStatus(run: CliRun): { code: number | null; signal: NodeJS.Signals | null } {
  return { code: run.code, signal: run.signal };
}

export type LogLine = Record<string, unknown>;

export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stdout followed by stderr, as printed so far. */
  output(): string;
  /** The JSON log lines printed so far, on stdout (the worker) or stderr (every other command). */
  logLines(): LogLine[];
  /** The first match of `pattern` in stdout + stderr; rejects if the process exits (or `timeoutMs` passes) first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The first log line matching; rejects if the process exits or `timeoutMs` (30 s) passes first. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Settles once the process has exited and all of its output has been read. */
  readonly exited: Promise<CliRun>;
  /** `exited`, but kills the process (SIGKILL) and rejects if it takes longer than `timeoutMs`. */
  exitWithin(timeoutMs: number): Promise<CliRun>;
  /** Sends `signal` (SIGTERM) and waits for the exit as `exitWithin` does (60 s: past the worker's 20 s grace). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<CliRun>;
}

export interface StartOptions {
  /** Written to stdin, which is then closed; `keepStdinOpen` leaves it open (write to child.stdin). Without either, stdin is /dev/null. */
  readonly stdin?: string;
  readonly keepStdinOpen?: boolean;
  readonly cwd?: string;
}

/** Starts the real CLI: `tg-dialog-sync …args`. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv, options: StartOptions = {}): CliProcess {
  return startNode([CLI_BIN, ...args], env, options);
}

/** Runs the real CLI to its end, `stdin` (if given) written to its standard input. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<CliRun> {
  return startCli(args, env, stdin === undefined ? {} : { stdin }).exited;
}

/** Starts `node …nodeArgs` (flags, then the entry point and its arguments). */
export function startNode(nodeArgs: readonly string[], env: NodeJS.ProcessEnv, options: StartOptions = {}): CliProcess {
  const pipeStdin = options.stdin !== undefined || options.keepStdinOpen === true;
  const child = spawn(process.execPath, nodeArgs, {
    env,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdio: [pipeStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ended: string | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    notify();
  });
  if (pipeStdin) {
    child.stdin!.on('error', () => undefined); // the process may exit before reading everything
    if (options.stdin !== undefined) child.stdin!.write(options.stdin);
    if (options.keepStdinOpen !== true) child.stdin!.end();
  }
  // 'close' (not 'exit'): all of the child's output has been read by then.
  const exited = new Promise<CliRun>((resolve, reject) => {
    child.once('error', (error) => {
      ended = `failed to run: ${error.message}`;
      notify();
      reject(error);
    });
    child.once('close', (code, signal) => {
      ended = signal === null ? `exit code ${code}` : `signal ${signal}`;
      notify();
      resolve({ code, signal, stdout, stderr });
    });
  });
  exited.catch(() => undefined); // awaited by whoever needs it; never an unhandled rejection here

  const output = () => stdout + stderr;
  // Only whole lines: a chunk may end in the middle of one.
  const completeLines = (text: string) => (ended === undefined ? text.split('\n').slice(0, -1) : text.split('\n'));
  const logLines = () => {
    const lines: LogLine[] = [];
    for (const line of [...completeLines(stdout), ...completeLines(stderr)]) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line (the command printed JSON of its own that is not an object per line)
      }
    }
    return lines;
  };

  function waitFor<Found>(find: () => Found | undefined, what: string, timeoutMs: number | undefined) {
    return new Promise<Found>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (action: () => void) => {
        listeners.delete(check);
        clearTimeout(timer);
        action();
      };
      const check = () => {
        const found = find();
        if (found !== undefined) settle(() => resolve(found));
        else if (ended !== undefined)
          settle(() => reject(new Error(`the process ended (${ended}) before ${what}; output:\n${output()}`)));
      };
      if (timeoutMs !== undefined)
        timer = setTimeout(
          () => settle(() => reject(new Error(`no ${what} within ${timeoutMs} ms; output:\n${output()}`))),
          timeoutMs,
        );
      listeners.add(check);
      check();
    });
  }

  async function exitWithin(timeoutMs: number): Promise<CliRun> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the process did not exit within ${timeoutMs} ms; output:\n${output()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    output,
    logLines,
    exited,
    exitWithin,
    waitForOutput: (pattern, timeoutMs) =>
      waitFor(() => output().match(pattern) ?? undefined, `printing ${pattern}`, timeoutMs),
    waitForLog: (predicate, timeoutMs = 30_000) =>
      waitFor(() => logLines().find(predicate), 'a matching log line', timeoutMs),
    stop(signal = 'SIGTERM', timeoutMs = 60_000) {
      child.kill(signal);
      return exitWithin(timeoutMs);
    },
  };
}
