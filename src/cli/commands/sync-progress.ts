/**
 * Progress of `tg-dialog-sync sync`: a bar per account at a terminal (cli-progress), a plain log line
 * now and then otherwise. It reads the counters each run saves after every batch (sync_runs), so the
 * sync itself needs no hooks; reading them twice a second costs one small query.
 */
import type { AppLogger } from '../../observability/app-logger.ts';
import cliProgress from 'cli-progress';
import type { Runtime } from '../../app/runtime.ts';
import type { AccountSyncResult } from '../../app/sync-now.ts';
import { listRunningRunProgress, type RunningRunProgress } from '../../store/accounts/running-run-progress.ts';

/** A run's counters as a view shows them; `ended` for the finished runs' own counters at the end. */
export interface ProgressSnapshot extends RunningRunProgress {
  readonly ended?: boolean;
}

export interface ProgressView {
  /** The current counters of the runs in progress. */
  update(runs: readonly ProgressSnapshot[]): void;
  stop(): void;
}

/**
 * What a run is doing, from its counters: its peers are known once resolution is over (peersTotal);
 * before that it resolves the new ones (peersToResolve), and before that it connects and reads its
 * peer list ("starting").
 */
type Phase =
  | { readonly name: 'starting' }
  | { readonly name: 'ended' }
  | { readonly name: 'resolving'; readonly done: number; readonly total: number }
  | { readonly name: 'syncing'; readonly done: number; readonly total: number; readonly failed: number };

function phaseOf(run: ProgressSnapshot): Phase {
  if (run.peersTotal > 0)
    return {
      name: 'syncing',
      done: Math.min(run.peersDone, run.peersTotal),
      total: run.peersTotal,
      failed: run.peersFailed,
    };
  if (run.peersToResolve > 0)
    return { name: 'resolving', done: Math.min(run.peersResolveDone, run.peersToResolve), total: run.peersToResolve };
  // A run that ended before it knew its peers (deferred, failed connecting…): its result line says why.
  return run.ended === true ? { name: 'ended' } : { name: 'starting' };
}

/** "45s", "2m06s", "1h02m05s": the time since the run started. */
export function formatElapsed(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const pad = (value: number) => String(value).padStart(2, '0');
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (hours > 0) return `${hours}h${pad(minutes)}m${pad(whole % 60)}s`;
  if (minutes > 0) return `${minutes}m${pad(whole % 60)}s`;
  return `${whole}s`;
}

/** Seconds from the run's start to `nowMs`; from `firstSeenMs` when the start is not known. */
function elapsedSeconds(startedAt: Date | null, firstSeenMs: number, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - (startedAt?.getTime() ?? firstSeenMs)) / 1000));
}

/** One run's bar line, `elapsed` seconds after its start; `bar` draws the bar for a fraction from 0 to 1. */
export function barLine(run: ProgressSnapshot, elapsed: number, bar: (fraction: number) => string): string {
  const label = run.accountLabel;
  const phase = phaseOf(run);
  const clock = formatElapsed(elapsed);
  switch (phase.name) {
    case 'starting':
      return `${label} [${bar(0)}] starting | ${clock}`;
    case 'ended':
      return `${label} [${bar(0)}] ended before syncing | ${clock}`;
    case 'resolving':
      return `${label} [${bar(phase.done / phase.total)}] resolving ${phase.done}/${phase.total} peers | ${clock}`;
    case 'syncing':
      return `${label} [${bar(phase.done / phase.total)}] ${phase.done}/${phase.total} peers | ${phase.failed} failed | ${clock}`;
  }
}

interface BarState {
  run: ProgressSnapshot;
  startedAt: Date | null;
  readonly firstSeenMs: number;
}

/**
 * Bars for a terminal: one per account from the run's first poll (starting, resolving, syncing), its
 * clock counting from the run's start (sync_runs.started_at), not from when the bar appeared.
 */
export function terminalProgressView(stream: NodeJS.WritableStream, now: () => number = Date.now): ProgressView {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      // Drawn by barLine at every redraw, so the clock moves between polls too.
      format: (options, _params, payload: { state: BarState }) => {
        const { state } = payload;
        return barLine(state.run, elapsedSeconds(state.startedAt, state.firstSeenMs, now()), (fraction) =>
          cliProgress.Format.BarFormat(fraction, options),
        );
      },
      hideCursor: true,
      clearOnComplete: false,
      // Render even when the stream does not say it is a TTY (the caller decided it is one).
      noTTYOutput: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, { bar: cliProgress.SingleBar; state: BarState }>();
  return {
    update(runs) {
      for (const run of runs) {
        const known = bars.get(run.accountLabel);
        if (known === undefined) {
          const state: BarState = { run, startedAt: run.startedAt, firstSeenMs: now() };
          bars.set(run.accountLabel, { bar: multibar.create(1, 0, { state }), state });
          continue;
        }
        // The final counters carry no start: the run keeps the one it had.
        known.state.run = run;
        known.state.startedAt = run.startedAt ?? known.state.startedAt;
        known.bar.update(0, { state: known.state });
      }
    },
    stop: () => multibar.stop(),
  };
}

/**
 * Log lines for pipes and files: one per account when its phase or counts changed, at most every
 * `intervalMs`, each with the time since the run started. A run still starting logs nothing (it logs
 * its own start).
 */
export function logProgressView(
  logger: Pick<AppLogger, 'info'>,
  intervalMs: number,
  now: () => number = Date.now,
): ProgressView {
  const last = new Map<string, { at: number; key: string }>();
  const firstSeen = new Map<string, number>();
  return {
    update(runs) {
      for (const run of runs) {
        if (!firstSeen.has(run.accountLabel)) firstSeen.set(run.accountLabel, now());
        const phase = phaseOf(run);
        if (phase.name === 'starting' || phase.name === 'ended') continue;
        const key = `${phase.name}:${phase.done}`;
        const previous = last.get(run.accountLabel);
        if (previous !== undefined && (previous.key === key || now() - previous.at < intervalMs)) continue;
        last.set(run.accountLabel, { at: now(), key });
        const elapsed = elapsedSeconds(run.startedAt, firstSeen.get(run.accountLabel)!, now());
        const since = `${formatElapsed(elapsed)} since the run started`;
        const percent = Math.floor((100 * phase.done) / phase.total);
        if (phase.name === 'resolving') {
          logger.info(
            {
              account: run.accountLabel,
              phase: 'resolving',
              peersResolveDone: phase.done,
              peersToResolve: phase.total,
              elapsedSeconds: elapsed,
            },
            `sync progress: ${run.accountLabel} resolving ${phase.done}/${phase.total} peers (${percent}%), ${since}`,
          );
          continue;
        }
        logger.info(
          {
            account: run.accountLabel,
            peersDone: run.peersDone,
            peersTotal: run.peersTotal,
            peersFailed: run.peersFailed,
            elapsedSeconds: elapsed,
          },
          `sync progress: ${run.accountLabel} ${run.peersDone}/${run.peersTotal} peers (${percent}%), ${run.peersFailed} failed, ${since}`,
        );
      }
    },
    stop: () => undefined,
  };
}

/** Polls the runs in progress into `view` until stopped; a failed poll is skipped (the sync reports its own errors). */
export function followSyncProgress(
  runtime: Runtime,
  view: ProgressView,
  pollMs = 500,
): { stop(final?: readonly ProgressSnapshot[]): Promise<void> } {
  let polling: Promise<void> = Promise.resolve();
  const poll = () => {
    polling = listRunningRunProgress(runtime.db).then(
      (runs) => view.update(runs),
      () => undefined,
    );
  };
  const timer = setInterval(poll, pollMs);
  timer.unref();
  return {
    /** `final`: the finished runs' own counters, so the bars end where the runs ended. */
    async stop(final = []) {
      clearInterval(timer);
      await polling;
      view.update(final);
      view.stop();
    },
  };
}

/** The finished runs' counters in the shape of a progress snapshot (their start is not in them: null). */
export function finalProgress(results: readonly AccountSyncResult[]): ProgressSnapshot[] {
  return results.flatMap(({ account, result }) =>
    result.status === 'skipped'
      ? []
      : [
          {
            accountLabel: account,
            startedAt: null,
            peersToResolve: result.counters.peersToResolve,
            peersResolveDone: result.counters.peersResolveDone,
            peersTotal: result.counters.peersTotal,
            peersDone: result.counters.peersSynced + result.counters.peersFailed + result.counters.peersNoDialog,
            peersFailed: result.counters.peersFailed,
            ended: true,
          },
        ],
  );
}

/** A bar per account at a terminal (stderr), plain log lines every 10 s otherwise. */
export function syncProgressView(logger: Pick<AppLogger, 'info'>): ProgressView {
  return process.stderr.isTTY === true ? terminalProgressView(process.stderr) : logProgressView(logger, 10_000);
}
