import type { SqlExecutor } from '../sql-executor.ts';

/** Where an account's enabled peers stand after a run, as `status` and `peers list` show them. */
export interface PeerStanding {
  /** Skipped by runs until `next_attempt_at` (status's "Peers in backoff"). */
  readonly inBackoff: number;
  /** Telegram knows no such peer (a mistyped username, an expired invite). */
  readonly unresolvable: number;
}

/**
 * Per account label. `sync`'s result line reads these instead of the run's own counters: the run
 * counts the peers it skipped because they were already in backoff, so a peer that failed in this run
 * showed "0 in backoff" while `status` listed it in backoff.
 */
export async function peerStandingByAccount(db: SqlExecutor): Promise<Map<string, PeerStanding>> {
  const rows = await db.query<{ label: string; inBackoff: number; unresolvable: number }>(
    `SELECT a.label,
            count(p.id) FILTER (WHERE p.next_attempt_at > now())::int AS "inBackoff",
            count(p.id) FILTER (WHERE p.status = 'unresolvable')::int AS unresolvable
     FROM accounts a LEFT JOIN configured_peers p ON p.account_id = a.id AND p.enabled
     GROUP BY a.label`,
    [],
  );
  return new Map(rows.map((row) => [row.label, { inBackoff: row.inBackoff, unresolvable: row.unresolvable }]));
}
