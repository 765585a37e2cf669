import type { AppLogger } from '../observability/app-logger.ts';
import { classifyTelegramError } from '../telegram/classify-error.ts';
import { carriesPeers, type TelegramMethod } from '../telegram/gateway.ts';
import type { RecordedWait, RunCounters } from '../store/runs/run-counters.ts';
import type { Sleep } from './abortable-sleep.ts';
import {
  AccountStoppedError,
  NoSessionError,
  RunDeferredError,
  RunInterruptedError,
  TransientRetriesExhaustedError,
  UnexpectedTelegramError,
} from './run-errors.ts';

export interface CallPolicy {
  readonly floodWaitCeilingSeconds: number;
  readonly transientRetry: { readonly retries: number; readonly baseMs: number; readonly maxMs: number };
  readonly signal: AbortSignal;
  readonly sleep: Sleep;
  /** 0 ≤ value < 1, for jitter. */
  readonly random: () => number;
  readonly counters: RunCounters;
  readonly waits: RecordedWait[];
  /** Persists that `method` must not be called before `seconds` from now; returns the resume time. */
  readonly deferMethod: (method: TelegramMethod, seconds: number, errorMessage: string) => Promise<Date>;
  readonly logger: Pick<AppLogger, 'info' | 'warn'>;
}

/** A failure that concerns the requested peers, not the run: the caller decides what to do with it. */
export type PeerLevelFailure = {
  readonly kind: 'peer' | 'unresolvable';
  readonly errorMessage: string;
  readonly reresolvable: boolean;
  /** Telegram's numeric code of an error the job does not list (for the operator's text). */
  readonly unlistedCode?: number;
};

export type CallOutcome<Result> =
  { readonly ok: true; readonly value: Result } | { readonly ok: false; readonly failure: PeerLevelFailure };

/** At most this much random extra wait on top of a flood wait, so many accounts do not retry in lockstep. */
const MAX_JITTER_MS = 1_000;

/**
 * Calls Telegram under the job's policy: flood waits up to the ceiling are slept (and recorded) and the
 * same call retried; above it the method is deferred and the run ends early; transient errors get a
 * bounded exponential backoff; account errors stop the account; peer errors are returned to the caller.
 * Every wait is decided and seen here, none inside GramJS.
 */
export async function callTelegram<Result>(
  policy: CallPolicy,
  method: TelegramMethod,
  call: () => Promise<Result>,
): Promise<CallOutcome<Result>> {
  let transientFailures = 0;
  for (;;) {
    if (policy.signal.aborted) throw new RunInterruptedError(String(policy.signal.reason ?? 'stopped'));
    policy.counters.apiCalls += 1;
    try {
      return { ok: true, value: await untilStopped(call(), policy.signal) };
    } catch (error) {
      if (policy.signal.aborted) throw new RunInterruptedError(String(policy.signal.reason ?? 'stopped'));
      if (error instanceof NoSessionError) {
        // Decided on this machine before anything was sent: not a call to Telegram.
        policy.counters.apiCalls -= 1;
        throw error;
      }
      const failure = classifyTelegramError(error);
      switch (failure.kind) {
        case 'peer':
          return {
            ok: false,
            failure: { kind: 'peer', errorMessage: failure.errorMessage, reresolvable: failure.reresolvable },
          };
        case 'unresolvable':
          return {
            ok: false,
            failure: { kind: 'unresolvable', errorMessage: failure.errorMessage, reresolvable: false },
          };
        case 'unlisted':
          // A text nobody listed on a call that carries peers: the peers' problem until proven
          // otherwise (Telegram adds texts every few layers; account errors are all listed).
          if (carriesPeers(method))
            return {
              ok: false,
              failure: {
                kind: 'peer',
                errorMessage: failure.errorMessage,
                reresolvable: false,
                unlistedCode: failure.code,
              },
            };
          throw new UnexpectedTelegramError(method, `${failure.code} ${failure.errorMessage}`);
        case 'account':
          throw new AccountStoppedError(failure.errorMessage, failure.accountStatus, failure.hint);
        case 'migrate':
        case 'unexpected':
          throw new UnexpectedTelegramError(method, failure.errorMessage);
        case 'flood-wait':
          await waitForFlood(policy, method, failure.seconds, failure.errorMessage);
          policy.counters.retries += 1;
          break;
        case 'transient': {
          transientFailures += 1;
          if (transientFailures > policy.transientRetry.retries) {
            throw new TransientRetriesExhaustedError(method, transientFailures, failure.errorMessage);
          }
          const backoffMs = Math.min(
            policy.transientRetry.maxMs,
            policy.transientRetry.baseMs * 2 ** (transientFailures - 1),
          );
          policy.logger.warn(
            { method, error: failure.errorMessage, attempt: transientFailures, backoffMs },
            'transient Telegram error; retrying',
          );
          await policy.sleep(backoffMs, policy.signal);
          policy.counters.retries += 1;
          break;
        }
      }
    }
  }
}

/**
 * The call's result, unless the run is stopped first: then RunInterruptedError at once. A stop must not
 * wait for an outstanding reply — its deadline (SYNC_CALL_TIMEOUT_MS, 30 s by default) can be longer
 * than the shutdown grace period, and after a lost lock every moment on Telegram risks the session.
 * The abandoned reply is never written; its peers stay due for the next run.
 */
function untilStopped<Result>(pending: Promise<Result>, signal: AbortSignal): Promise<Result> {
  // Nobody awaits an abandoned call: keep its late failure from becoming an unhandled rejection.
  pending.catch(() => undefined);
  if (signal.aborted) return Promise.reject(new RunInterruptedError(String(signal.reason ?? 'stopped')));
  return new Promise<Result>((resolve, reject) => {
    const onAbort = () => reject(new RunInterruptedError(String(signal.reason ?? 'stopped')));
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function waitForFlood(
  policy: CallPolicy,
  method: TelegramMethod,
  seconds: number,
  errorMessage: string,
): Promise<void> {
  policy.counters.floodWaits += 1;
  policy.counters.floodWaitSeconds += seconds;
  if (seconds > policy.floodWaitCeilingSeconds) {
    const resumeAt = await policy.deferMethod(method, seconds, errorMessage);
    recordWait(policy, { method, requestedSeconds: seconds, sleptSeconds: 0, at: new Date().toISOString() });
    policy.logger.warn(
      { method, seconds, ceiling: policy.floodWaitCeilingSeconds, resumeAt },
      'flood wait above the ceiling; deferring the method',
    );
    throw new RunDeferredError(method, seconds, resumeAt);
  }
  const sleepMs = seconds * 1000 + Math.floor(policy.random() * MAX_JITTER_MS);
  policy.logger.info({ method, seconds, sleepMs }, 'flood wait; sleeping before retrying the same call');
  await policy.sleep(sleepMs, policy.signal);
  policy.counters.floodWaitSleptSeconds += sleepMs / 1000;
  recordWait(policy, { method, requestedSeconds: seconds, sleptSeconds: sleepMs / 1000, at: new Date().toISOString() });
}

function recordWait(policy: CallPolicy, wait: RecordedWait): void {
  policy.waits.push(wait);
}
