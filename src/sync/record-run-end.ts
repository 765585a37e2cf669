/**
 * Recording how a run ended, even when the database has just gone away. The run's end is the one
 * write an operator needs most (`sync_runs.status`, `error_text`), and the failures that end a run are
 * often the database's own: a restart, a failover, a dropped connection. Recording it once and giving
 * up left the run `running`, closed later as "abandoned" with no reason. So the final update is
 * retried, with a doubling pause, for up to RECORD_RETRY_WINDOW_MS (the database usually comes back
 * within seconds); the caller's stop signal (SIGTERM) ends the retries, since the grace period is
 * short. When it still cannot be recorded, the caller reports the outcome itself and the run is
 * closed as abandoned by the account's next run.
 */
import { describeError } from '../observability/error-text.ts';
import type { Sleep } from './abortable-sleep.ts';

export const RECORD_RETRY_WINDOW_MS = 30_000;
const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 4_000;
/** Also bounded by count, so a sleep that returns at once (tests) cannot spin for the whole window. */
const MAX_ATTEMPTS = 10;

export interface RecordRetryOptions {
  readonly sleep: Sleep;
  /** Aborted: no further attempt (the process is stopping). */
  readonly stop: AbortSignal | undefined;
  readonly windowMs?: number;
  readonly onRetry: (attempt: number, error: unknown, pauseMs: number) => void;
}

export type RecordOutcome = { readonly recorded: true } | { readonly recorded: false; readonly reason: string };

export async function recordWithRetries(
  record: () => Promise<void>,
  options: RecordRetryOptions,
): Promise<RecordOutcome> {
  const deadline = Date.now() + (options.windowMs ?? RECORD_RETRY_WINDOW_MS);
  let pauseMs = FIRST_PAUSE_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await record();
      return { recorded: true };
    } catch (error) {
      if (options.stop?.aborted === true || attempt >= MAX_ATTEMPTS || Date.now() + pauseMs > deadline)
        return { recorded: false, reason: describeError(error) };
      options.onRetry(attempt, error, pauseMs);
      // Not the run's signal (it may be the lost lock that ended the run): only the caller's stop.
      await options.sleep(pauseMs, options.stop ?? new AbortController().signal).catch(() => undefined);
      pauseMs = Math.min(LONGEST_PAUSE_MS, pauseMs * 2);
    }
  }
}
