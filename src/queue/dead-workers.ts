import type { WorkerUtils } from 'graphile-worker';
import { accountLockNamespace } from '../db/account-lock.ts';
import { quoteIdentifier } from '../db/connection-config.ts';
import { accountIdOfQueue, SYNC_ACCOUNT_TASK } from './account-jobs.ts';

/**
 * Taking over the accounts of a worker process that died.
 *
 * graphile-worker releases a crashed worker's jobs only after four hours (or when told, with
 * `forceUnlockWorkers`, that the worker is dead). Our runs already carry a liveness signal: a run
 * holds its account's advisory lock on a connection of its own, and PostgreSQL drops the lock the
 * moment that process's connection goes. So a job that is locked by a worker of another process while
 * nobody holds its account's lock — seen so on two consecutive checks, so that a live worker between
 * taking the job and taking the lock (or between releasing the lock and completing the job, both a
 * matter of milliseconds) is never mistaken for a dead one — belongs to a dead worker, which is then
 * unlocked through graphile-worker's own function, and its job runs on whichever replica takes it.
 */
export interface DeadWorkerSweeper {
  /** One check; returns the worker ids unlocked by it. */
  sweep(): Promise<string[]>;
}

interface LockedJob {
  readonly lockedBy: string;
  readonly lockedAt: Date;
  readonly queueName: string | null;
}

export function deadWorkerSweeper(options: {
  readonly utils: WorkerUtils;
  readonly schema: string;
  readonly databaseUrl: string;
  /** This process's own workers: never suspects. */
  readonly isOwnWorker: (workerId: string) => boolean;
}): DeadWorkerSweeper {
  const namespace = accountLockNamespace(options.databaseUrl);
  // Locked jobs whose account's advisory lock nobody holds (pg_locks shows locks of every session).
  const sql = `SELECT jobs.locked_by AS "lockedBy", jobs.locked_at AS "lockedAt", jobs.queue_name AS "queueName"
FROM ${quoteIdentifier(options.schema)}.jobs AS jobs
WHERE jobs.task_identifier = $1 AND jobs.locked_by IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM pg_locks AS locks
    WHERE locks.locktype = 'advisory' AND locks.granted AND locks.objsubid = 2
      AND locks.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND locks.classid = ($2::int)::oid
      AND locks.objid = (split_part(jobs.queue_name, ':', 2)::int)::oid
  )`;
  // Seen without a lock at the previous check: worker id + lock time.
  let suspects = new Set<string>();
  return {
    async sweep() {
      const rows = await options.utils.withPgClient(
        async (client) => (await client.query<LockedJob>(sql, [SYNC_ACCOUNT_TASK, namespace])).rows,
      );
      const seen = new Set<string>();
      const dead = new Set<string>();
      for (const row of rows) {
        if (options.isOwnWorker(row.lockedBy) || accountIdOfQueue(row.queueName) === null) continue;
        const key = `${row.lockedBy}@${row.lockedAt.toISOString()}`;
        seen.add(key);
        if (suspects.has(key)) dead.add(row.lockedBy);
      }
      suspects = seen;
      if (dead.size > 0) await options.utils.forceUnlockWorkers([...dead]);
      return [...dead];
    },
  };
}
