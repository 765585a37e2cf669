import type { SqlExecutor } from '../sql-executor.ts';

/**
 * Claims a scheduled tick for this worker: the first replica to insert the key runs the tick, every
 * other replica sees the conflict and skips. Old claims are pruned on the way (ticks are kept a day
 * for inspection).
 */
const claimSql = `WITH pruned AS (
  DELETE FROM worker_ticks WHERE claimed_at < now() - interval '1 day'
)
INSERT INTO worker_ticks (key, claimed_by) VALUES ($1, $2)
ON CONFLICT (key) DO NOTHING
RETURNING key`;

export async function claimTick(db: SqlExecutor, key: string, worker: string): Promise<boolean> {
  const rows = await db.query<{ key: string }>(claimSql, [key, worker]);
  return rows.length === 1;
}
