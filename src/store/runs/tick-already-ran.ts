import type { SqlExecutor } from '../sql-executor.ts';

/**
 * Whether the account already had a run for this tick that came to an end: started at or after the
 * tick's time by the same trigger and finished (succeeded, deferred or failed). Several replicas
 * enqueue every tick, each when its own clock fires; a replica late enough to add its job after the
 * first job of the tick already ran would otherwise run the account twice. Runs that did not finish
 * (interrupted, abandoned by a process that died, still marked running) do not count: their job is
 * continued, not dropped.
 */
const sql = `SELECT EXISTS (
  SELECT 1 FROM sync_runs
  WHERE account_id = $1::int AND trigger = $2 AND started_at >= $3::timestamptz
    AND status IN ('succeeded', 'deferred', 'failed')
) AS ran`;

export async function tickAlreadyRan(
  db: SqlExecutor,
  accountId: number,
  trigger: string,
  tick: Date,
): Promise<boolean> {
  const [row] = await db.query<{ ran: boolean }>(sql, [accountId, trigger, tick.toISOString()]);
  return row?.ran === true;
}
