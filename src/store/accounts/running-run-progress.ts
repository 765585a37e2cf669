import type { SqlExecutor } from '../sql-executor.ts';

export interface RunningRunProgress {
  readonly accountLabel: string;
  /** When the run started (sync_runs.started_at): displays count their clock from it. Null when unknown. */
  readonly startedAt: Date | null;
  /** Configured peers the run set out to resolve (0 until resolution starts, or when none waits). */
  readonly peersToResolve: number;
  /** Of those, settled so far: resolved, found unresolvable, or left for a later run. */
  readonly peersResolveDone: number;
  /** Peers to sync; 0 until resolution is over. */
  readonly peersTotal: number;
  /** Peers attempted so far: synced, failed, or without a dialog. */
  readonly peersDone: number;
  readonly peersFailed: number;
}

/**
 * How far the runs in progress have got, from the counters every run saves after each batch (the
 * same row a dashboard reads). For progress displays; one small indexed query.
 */
export function listRunningRunProgress(db: SqlExecutor): Promise<RunningRunProgress[]> {
  return db.query<RunningRunProgress>(
    `SELECT a.label AS "accountLabel", r.started_at AS "startedAt",
            r.peers_to_resolve AS "peersToResolve", r.peers_resolve_done AS "peersResolveDone",
            r.peers_total AS "peersTotal",
            (r.peers_synced + r.peers_failed + r.peers_no_dialog) AS "peersDone", r.peers_failed AS "peersFailed"
     FROM sync_runs r JOIN accounts a ON a.id = r.account_id
     WHERE r.status = 'running'
     ORDER BY a.label`,
    [],
  );
}
