import type { SqlExecutor } from '../sql-executor.ts';
import { counterColumn, type RecordedWait, type RunCounters } from './run-counters.ts';

/**
 * Saves the run's counters and heartbeat: once per batch (bookkeeping scales with batches, not
 * peers), so a run killed mid-way still shows how far it got.
 */
export async function saveRunProgress(db: SqlExecutor, runId: bigint, counters: RunCounters, waits: readonly RecordedWait[]): Promise<void> {
  const names = Object.keys(counters) as (keyof RunCounters)[];
  const assignments = names.map((name, index) => `${counterColumn(name)} = $${index + 3}`);
  await db.query(`UPDATE sync_runs SET heartbeat_at = now(), waits = $2::jsonb, ${assignments.join(', ')} WHERE id = $1::bigint`, [
    runId.toString(),
    JSON.stringify(waits),
    ...names.map((name) => counters[name]),
  ]);
}
