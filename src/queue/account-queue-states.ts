import { quoteIdentifier } from '../db/connection-config.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import { SYNC_ACCOUNT_TASK } from './account-jobs.ts';

/**
 * Where each account stands in the job queue, for `status` and `/metrics`: running (on which worker
 * process, from its open sync_runs row), queued (a job that may start now, waiting for a free
 * worker) and/or waiting until a time (a job scheduled later: a flood-wait deferral's resume_at).
 * A running account may have a job queued or waiting behind it; an idle one has neither.
 */
export interface AccountQueueState {
  readonly accountId: number;
  readonly label: string;
  /** `host:pid` of the process running it, null when no run is open. */
  readonly runningOn: string | null;
  readonly runningSince: Date | null;
  /** A job that may start now is waiting for a free worker. */
  readonly queued: boolean;
  /** The job's time, when it is scheduled for later. */
  readonly waitingUntil: Date | null;
}

/** Whether the queue's schema is installed (`db migrate` does it): before that, no account has a job. */
export async function queueInstalled(db: SqlExecutor, queueSchema: string): Promise<boolean> {
  const [row] = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    `${quoteIdentifier(queueSchema)}.jobs`,
  ]);
  return row?.present === true;
}

export async function listAccountQueueStates(db: SqlExecutor, queueSchema: string): Promise<AccountQueueState[]> {
  // Jobs that can still run: not locked by a worker, attempts left (a job whose account was re-enqueued
  // while it ran keeps no attempts: it is finishing, not waiting).
  const sql = `SELECT a.id AS "accountId", a.label, r.runner AS "runningOn", r.started_at AS "runningSince",
       COALESCE(q.next_at <= now(), false) AS queued,
       CASE WHEN q.next_at > now() THEN q.next_at END AS "waitingUntil"
FROM accounts a
LEFT JOIN LATERAL (
  SELECT runner, started_at FROM sync_runs
  WHERE account_id = a.id AND status = 'running' ORDER BY started_at DESC LIMIT 1
) r ON true
LEFT JOIN LATERAL (
  SELECT min(jobs.run_at) AS next_at FROM ${quoteIdentifier(queueSchema)}.jobs AS jobs
  WHERE jobs.task_identifier = $1 AND jobs.queue_name = 'sync-account:' || a.id
    AND jobs.locked_at IS NULL AND jobs.attempts < jobs.max_attempts
) q ON true
ORDER BY a.label`;
  return db.query<AccountQueueState>(sql, [SYNC_ACCOUNT_TASK]);
}

/** One word or phrase for a person: "running on host:1234 since …, queued", "waiting until …", "idle". */
export function describeQueueState(state: AccountQueueState, formatTime: (time: Date) => string): string {
  const parts: string[] = [];
  if (state.runningOn !== null)
    parts.push(
      `running on ${state.runningOn}${state.runningSince === null ? '' : ` since ${formatTime(state.runningSince)}`}`,
    );
  if (state.queued) parts.push('queued');
  if (state.waitingUntil !== null) parts.push(`waiting until ${formatTime(state.waitingUntil)}`);
  return parts.length === 0 ? 'idle' : parts.join(', ');
}
