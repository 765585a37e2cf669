import type { SqlExecutor } from '../sql-executor.ts';

export interface UnlistedErrorCount {
  readonly accountLabel: string;
  readonly errorCode: string;
  readonly peers: number;
}

/**
 * Enabled peers whose last attempt failed with an error code outside `listedCodes` (the codes the
 * job knows), per account and code: an error Telegram introduced that the job took as the peer's
 * problem. For the metrics gauge, so an operator notices a new code and can look it up.
 */
export function countPeersWithUnlistedErrors(
  db: SqlExecutor,
  listedCodes: readonly string[],
): Promise<UnlistedErrorCount[]> {
  return db.query<UnlistedErrorCount>(
    `SELECT a.label AS "accountLabel", c.last_error_code AS "errorCode", count(*)::int AS peers
     FROM configured_peers c JOIN accounts a ON a.id = c.account_id
     WHERE c.enabled AND c.status IN ('failing', 'unresolvable') AND c.last_error_code IS NOT NULL
       AND NOT (c.last_error_code = ANY($1::text[]))
     GROUP BY a.label, c.last_error_code ORDER BY a.label, c.last_error_code`,
    [listedCodes],
  );
}
