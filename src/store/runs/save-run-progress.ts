import type { SqlExecutor } from '../sql-executor.ts';
import { counterColumn, type RecordedWait, type RunCounters } from './run-counters.ts';

export interface RunProgressOptions {
  /** The batch being committed wrote a getPeerDialogs reply, and with it the account's updates.State. */
  readonly stateFetched?: boolean;
}

/**
 * Saves the run's counters and heartbeat: once per batch (bookkeeping scales with batches, not
 * peers), so a run killed mid-way still shows how far it got. A batch that carried the account's
 * update state also moves state_fetched_at: the run row is written anyway, the state row stays
 * untouched unless the state itself changed.
 */
export async function saveRunProgress(
  db: SqlExecutor,
  runId: bigint,
  counters: RunCounters,
  waits: readonly RecordedWait[],
  options: RunProgressOptions = {},
): Promise<void> {
  const names = Object.keys(counters) as (keyof RunCounters)[];
  const assignments = names.map((name, index) => `${counterColumn(name)} = $${index + 3}`);
  const fetched = options.stateFetched === true ? ', state_fetched_at = now()' : '';
  await db.query(
    `UPDATE sync_runs SET heartbeat_at = now(), waits = $2::jsonb, ${assignments.join(', ')}${fetched} WHERE id = $1::bigint`,
    [runId.toString(), JSON.stringify(waits), ...names.map((name) => counters[name])],
  );
}
