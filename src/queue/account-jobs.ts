import type { AddJobFunction, TaskSpec } from 'graphile-worker';

/** The one task of the queue: one sync run of one account. */
export const SYNC_ACCOUNT_TASK = 'sync-account';

/**
 * What a job carries. `tick` is the scheduled time of the cron tick that asked for the run (ISO): a
 * run of that tick that already ended makes the job a no-op, which is what keeps "once per tick" when
 * several replicas enqueue the same tick at slightly different moments. Jobs that continue an
 * account's run (after a flood wait, or handed back by a replica that stops) have no tick.
 */
export interface SyncAccountPayload {
  readonly accountId: number;
  readonly trigger: string;
  readonly tick: string | null;
}

/**
 * Every job of one account runs in the account's own named queue, which graphile-worker runs
 * serially (one running job per account, whichever replica took it), and carries the account's job
 * key, which keeps at most one job waiting: adding a job for an account that already has one waiting
 * updates that job instead. (When the waiting one is already running, a new one is created.)
 */
export function accountQueueName(accountId: number): string {
  return `sync-account:${accountId}`;
}

export function accountIdOfQueue(queueName: string | null): number | null {
  const match = /^sync-account:(\d+)$/.exec(queueName ?? '');
  return match === null ? null : Number(match[1]);
}

/** Attempts of a job whose task threw (the run could not even be recorded: the database was gone). */
const MAX_ATTEMPTS = 5;

export type EnqueueMode =
  /** A tick: a job already waiting keeps its run_at (a flood-wait deferral stays deferred). */
  | 'tick'
  /** A run at `runAt` (a deferral) or now (a hand-back): a job already waiting moves to that time. */
  | 'at';

export function jobSpec(accountId: number, mode: EnqueueMode, runAt?: Date): TaskSpec {
  return {
    queueName: accountQueueName(accountId),
    jobKey: accountQueueName(accountId),
    jobKeyMode: mode === 'tick' ? 'preserve_run_at' : 'replace',
    maxAttempts: MAX_ATTEMPTS,
    ...(runAt === undefined ? {} : { runAt }),
  };
}

export async function enqueueAccountRun(
  addJob: AddJobFunction,
  payload: SyncAccountPayload,
  mode: EnqueueMode,
  runAt?: Date,
): Promise<void> {
  await addJob(
    SYNC_ACCOUNT_TASK,
    payload as unknown as Record<string, unknown>,
    jobSpec(payload.accountId, mode, runAt),
  );
}

export function parsePayload(payload: unknown): SyncAccountPayload {
  const value = payload as Partial<SyncAccountPayload> | null;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof value.accountId !== 'number' ||
    typeof value.trigger !== 'string'
  ) {
    throw new Error(`not a ${SYNC_ACCOUNT_TASK} job payload: ${JSON.stringify(payload)}`);
  }
  return {
    accountId: value.accountId,
    trigger: value.trigger,
    tick: typeof value.tick === 'string' ? value.tick : null,
  };
}
