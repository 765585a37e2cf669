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

export interface ProgressView {
  /** The current counters of the runs in progress. */
  update(runs: readonly RunningRunProgress[]): void;
  stop(): void;
}

/** Bars for a terminal: one per account, created when its run first reports a total. */
export function terminalProgressView(stream: NodeJS.WritableStream): ProgressView {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: '{account} [{bar}] {value}/{total} peers | {failed} failed | {duration_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      // Render even when the stream does not say it is a TTY (the caller decided it is one).
      noTTYOutput: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(runs) {
      for (const run of runs) {
        if (run.peersTotal === 0) continue;
        let bar = bars.get(run.accountLabel);
        if (bar === undefined) {
          bar = multibar.create(run.peersTotal, run.peersDone, { account: run.accountLabel, failed: run.peersFailed });
          bars.set(run.accountLabel, bar);
        }
        bar.setTotal(run.peersTotal);
        bar.update(Math.min(run.peersDone, run.peersTotal), { account: run.accountLabel, failed: run.peersFailed });
      }
    },
    stop: () => multibar.stop(),
  };
}

/** Log lines for pipes and files: one per account when its counters changed, at most every `intervalMs`. */
export function logProgressView(
  logger: Pick<AppLogger, 'info'>,
  intervalMs: number,
  now: () => number = Date.now,
): ProgressView {
  const last = new Map<string, { at: number; done: number }>();
  return {
    update(runs) {
      for (const run of runs) {
        if (run.peersTotal === 0) continue;
        const previous = last.get(run.accountLabel);
        if (previous !== undefined && (previous.done === run.peersDone || now() - previous.at < intervalMs)) continue;
        last.set(run.accountLabel, { at: now(), done: run.peersDone });
        logger.info(
          {
            account: run.accountLabel,
            peersDone: run.peersDone,
            peersTotal: run.peersTotal,
            peersFailed: run.peersFailed,
          },
          `sync progress: ${run.accountLabel} ${run.peersDone}/${run.peersTotal} peers (${Math.floor((100 * run.peersDone) / run.peersTotal)}%), ${run.peersFailed} failed`,
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
): { stop(final?: readonly RunningRunProgress[]): Promise<void> } {
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

/** The finished runs' counters in the shape of a progress snapshot. */
export function finalProgress(results: readonly AccountSyncResult[]): RunningRunProgress[] {
  return results.flatMap(({ account, result }) =>
    result.status === 'skipped'
      ? []
      : [
          {
            accountLabel: account,
            peersTotal: result.counters.peersTotal,
            peersDone: result.counters.peersSynced + result.counters.peersFailed + result.counters.peersNoDialog,
            peersFailed: result.counters.peersFailed,
          },
        ],
  );
}

/** A bar per account at a terminal (stderr), plain log lines every 10 s otherwise. */
export function syncProgressView(logger: Pick<AppLogger, 'info'>): ProgressView {
  return process.stderr.isTTY === true ? terminalProgressView(process.stderr) : logProgressView(logger, 10_000);
}
