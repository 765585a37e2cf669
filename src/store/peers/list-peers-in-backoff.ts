import type { SqlExecutor } from '../sql-executor.ts';

export interface PeerInBackoff {
  readonly accountLabel: string;
  readonly input: string;
  readonly lastErrorCode: string | null;
  readonly consecutiveFailures: number;
  readonly nextAttemptAt: Date;
}

/** Enabled peers that runs skip until `next_attempt_at`, soonest first (at most `limit`), and how many there are. */
export async function listPeersInBackoff(
  db: SqlExecutor,
  limit: number,
): Promise<{ peers: PeerInBackoff[]; total: number }> {
  const peers = await db.query<PeerInBackoff>(
    `SELECT a.label AS "accountLabel", p.input, p.last_error_code AS "lastErrorCode",
            p.consecutive_failures AS "consecutiveFailures", p.next_attempt_at AS "nextAttemptAt"
     FROM configured_peers p JOIN accounts a ON a.id = p.account_id
     WHERE p.enabled AND p.next_attempt_at > now()
     ORDER BY p.next_attempt_at, a.label, p.id
     LIMIT $1::int`,
    [limit],
  );
  const [count] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM configured_peers WHERE enabled AND next_attempt_at > now()`,
    [],
  );
  return { peers, total: count?.total ?? 0 };
}
