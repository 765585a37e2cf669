import type { RunCoordinator } from 'node-cron';
import { claimTick } from '../src/store/worker/claim-tick.ts';
import type { SqlExecutor } from '../src/store/sql-executor.ts';

/**
 * node-cron's distributed mode, coordinated through PostgreSQL: every replica asks to run each tick,
 * the first to claim it in worker_ticks runs it, the others skip. (node-cron's default coordinator
 * reads an environment flag, which needs one replica configured differently from the rest.)
 */
export function postgresRunCoordinator(db: SqlExecutor, workerName: string): RunCoordinator {
  return {
    shouldRun: (key) => claimTick(db, key, workerName),
  };
}
