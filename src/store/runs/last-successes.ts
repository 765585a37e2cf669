import type { SqlExecutor } from '../sql-executor.ts';

/**
 * When each account's last succeeded run finished, from sync_runs. The worker's gauge was empty after
 * every restart until the next success, so `time() - tgsync_last_success_timestamp_seconds` alerts
 * had no data exactly when a restarted worker failed.
 */
export function listLastSuccesses(db: SqlExecutor): Promise<{ accountLabel: string; finishedAt: Date }[]> {
  return db.query(
    `SELECT a.label AS "accountLabel", max(r.finished_at) AS "finishedAt"
     FROM sync_runs r JOIN accounts a ON a.id = r.account_id
     WHERE r.status = 'succeeded' AND r.finished_at IS NOT NULL
     GROUP BY a.label`,
    [],
  );
}
