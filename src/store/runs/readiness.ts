import type { SqlExecutor } from '../sql-executor.ts';

export interface StuckRun {
  readonly accountLabel: string;
  readonly runId: bigint;
  readonly heartbeatAt: Date;
}

/**
 * Runs whose last heartbeat is older than `staleSeconds` while still marked running: a worker that
 * looks alive but syncs nothing. (A run's heartbeat moves with every batch.)
 */
const sql = `SELECT a.label AS "accountLabel", r.id AS "runId", r.heartbeat_at AS "heartbeatAt"
FROM sync_runs r JOIN accounts a ON a.id = r.account_id
WHERE r.status = 'running' AND r.heartbeat_at < now() - make_interval(secs => $1::double precision)
ORDER BY r.id`;

export function listStuckRuns(db: SqlExecutor, staleSeconds: number): Promise<StuckRun[]> {
  return db.query<StuckRun>(sql, [staleSeconds]);
}

/** Peers in backoff per account, for the metrics gauge. */
export function countPeersInBackoff(db: SqlExecutor): Promise<{ accountLabel: string; peers: number }[]> {
  return db.query(
    `SELECT a.label AS "accountLabel", count(c.id)::int AS peers
     FROM accounts a LEFT JOIN configured_peers c ON c.account_id = a.id AND c.enabled AND c.next_attempt_at > now()
     GROUP BY a.label ORDER BY a.label`,
    [],
  );
}
