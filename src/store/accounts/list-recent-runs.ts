import type { SqlExecutor } from '../sql-executor.ts';

export interface RecentRun {
  readonly accountLabel: string;
  readonly status: string;
  readonly trigger: string;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly peersSynced: number;
  readonly peersFailed: number;
  readonly peersSkipped: number;
  readonly resumeAt: Date | null;
  readonly errorText: string | null;
}

/** The last `perAccount` sync runs of every account, newest first within each account. */
export function listRecentRuns(db: SqlExecutor, perAccount: number): Promise<RecentRun[]> {
  return db.query<RecentRun>(
    `SELECT a.label AS "accountLabel", r.status::text AS status, r.trigger, r.started_at AS "startedAt", r.finished_at AS "finishedAt",
            r.peers_synced AS "peersSynced", r.peers_failed AS "peersFailed", r.peers_skipped AS "peersSkipped",
            r.resume_at AS "resumeAt", r.error_text AS "errorText"
     FROM accounts a
     CROSS JOIN LATERAL (
       SELECT * FROM sync_runs r WHERE r.account_id = a.id ORDER BY r.started_at DESC, r.id DESC LIMIT $1::int
     ) r
     ORDER BY a.label, r.started_at DESC, r.id DESC`,
    [perAccount],
  );
}
