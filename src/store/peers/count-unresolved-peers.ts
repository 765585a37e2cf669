import type { SqlExecutor } from '../sql-executor.ts';

export interface UnresolvedPeerCount {
  readonly accountLabel: string;
  /** Why they wait (RESOLVE_BUDGET_SPENT, RESOLVE_DEFERRED, DIALOG_SCAN_INCOMPLETE), or null: not tried yet. */
  readonly reason: string | null;
  readonly peers: number;
}

/**
 * Enabled peers still waiting to be resolved (pending, no peer yet), per account and reason: what
 * `status` and `peers list` show while a resolve budget spreads a first sync over several runs.
 */
export function countUnresolvedPeers(db: SqlExecutor, accountId?: number): Promise<UnresolvedPeerCount[]> {
  return db.query<UnresolvedPeerCount>(
    `SELECT a.label AS "accountLabel", p.last_error_code AS reason, count(*)::int AS peers
     FROM configured_peers p JOIN accounts a ON a.id = p.account_id
     WHERE p.enabled AND p.status = 'pending' AND p.peer_id IS NULL AND ($1::int IS NULL OR p.account_id = $1::int)
     GROUP BY a.label, p.last_error_code
     ORDER BY a.label, p.last_error_code NULLS FIRST`,
    [accountId ?? null],
  );
}

/** "12 (RESOLVE_BUDGET_SPENT: 10, not tried yet: 2)". */
export function describeUnresolvedCounts(counts: readonly UnresolvedPeerCount[]): string {
  const total = counts.reduce((sum, count) => sum + count.peers, 0);
  return `${total} (${counts.map((count) => `${count.reason ?? 'not tried yet'}: ${count.peers}`).join(', ')})`;
}
