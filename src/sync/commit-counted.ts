import type { RunCounters } from '../store/runs/run-counters.ts';
import { addRunCounters, emptyRunCounters, sumRunCounters } from '../store/runs/run-counters.ts';
import { saveRunProgress, type RunProgressOptions } from '../store/runs/save-run-progress.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import type { RunContext } from './run-context.ts';

/**
 * One of the run's write transactions, whose counts reach the run's counters only once it committed.
 *
 * Why: the transactor runs the transaction again after a deadlock or serialization failure (the first
 * attempt rolled back whole). Counts added to the run inside the attempt would count a rolled-back
 * attempt too; here each attempt counts into its own `counts`, and only the committed one is added.
 * The run's progress is saved in the same transaction with those counts included, so the run row
 * and the rows it counts commit together.
 */
export async function commitCounted(
  context: Pick<RunContext, 'transact' | 'runId' | 'policy'>,
  work: (db: SqlExecutor, counts: RunCounters) => Promise<void>,
  options: RunProgressOptions = {},
): Promise<void> {
  const committed = await context.transact(async (db) => {
    const counts = emptyRunCounters();
    await work(db, counts);
    await saveRunProgress(db, context.runId, sumRunCounters(context.policy.counters, counts), context.policy.waits, options);
    return counts;
  });
  addRunCounters(context.policy.counters, committed);
}
