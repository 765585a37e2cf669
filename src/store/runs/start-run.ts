import type { SqlExecutor } from '../sql-executor.ts';

export interface StartedRun {
  readonly runId: bigint;
  readonly startedAt: Date;
  /** Inherited from the previous run when something outside its peers cut it short (deferred, interrupted, abandoned). */
  readonly cycleStartedAt: Date;
  /** Runs of this account left `running` by a process that died: now closed as abandoned. */
  readonly abandonedRuns: number;
}

export interface StartRunInput {
  readonly accountId: number;
  readonly trigger: string;
  readonly runner: string;
}

/**
 * Opens a run. The caller holds the account's lock, so any other `running` run of this account
 * belongs to a process that died (SIGKILL, lost machine) or lost the database for longer than it
 * retries recording the run's end: it is closed as abandoned first, with its runner and last
 * heartbeat.
 *
 * A run after one that was cut short from outside — deferred by a flood wait, interrupted by a stop,
 * abandoned by a process that died — continues that pass instead of starting over: the peers it
 * already attempted are not asked for again before the others had their turn. A run after a
 * `failed` one starts a new pass: a failure can repeat on every run (the same batch, the same
 * error), and continuing its pass would leave every peer it attempted out of every later run until
 * one succeeded — a failed run must never shrink what the next run tries.
 */
const closeAbandonedSql = `UPDATE sync_runs SET status = 'abandoned', finished_at = now(),
  error_kind = 'abandoned',
  error_text = 'the process running it (' || runner || ') stopped without recording how the run ended: it was killed, crashed, '
    || 'or could not reach the database for longer than it retries; its last progress was saved at '
    || to_char(heartbeat_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS"Z"')
WHERE account_id = $1::int AND status = 'running'`;

const insertSql = `WITH previous AS (
  SELECT status, cycle_started_at FROM sync_runs
  WHERE account_id = $1::int ORDER BY started_at DESC, id DESC LIMIT 1
)
INSERT INTO sync_runs (account_id, trigger, runner, cycle_started_at)
SELECT $1::int, $2, $3,
  COALESCE((SELECT cycle_started_at FROM previous WHERE status IN ('deferred', 'interrupted', 'abandoned')), now())
RETURNING id AS "runId", started_at AS "startedAt", cycle_started_at AS "cycleStartedAt"`;

export async function startRun(db: SqlExecutor, input: StartRunInput): Promise<StartedRun> {
  const closed = await db.query<{ count: number }>(
    `WITH closed AS (${closeAbandonedSql} RETURNING 1) SELECT count(*)::int AS count FROM closed`,
    [input.accountId],
  );
  const [run] = await db.query<Omit<StartedRun, 'abandonedRuns'>>(insertSql, [
    input.accountId,
    input.trigger,
    input.runner,
  ]);
  if (run === undefined) throw new Error('could not create the sync_runs row');
  return { ...run, abandonedRuns: closed[0]?.count ?? 0 };
}
