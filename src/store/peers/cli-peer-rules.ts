import type { SqlExecutor } from '../sql-executor.ts';

/** `peers add` of rules: stores them (canonical texts); returns how many were new. */
export async function addCliPeerRules(
  db: SqlExecutor,
  accountId: number,
  rules: readonly string[],
): Promise<{ added: number; unchanged: number }> {
  if (rules.length === 0) return { added: 0, unchanged: 0 };
  const unique = [...new Set(rules)];
  const inserted = await db.query<{ rule: string }>(
    `INSERT INTO configured_peer_rules (account_id, rule) SELECT $1::int, r FROM unnest($2::text[]) AS r
     ON CONFLICT (account_id, rule) DO NOTHING RETURNING rule`,
    [accountId, unique],
  );
  return { added: inserted.length, unchanged: unique.length - inserted.length };
}

/** `peers remove` of rules: returns the ones that were configured. Their peers are disabled by the next run. */
export async function removeCliPeerRules(
  db: SqlExecutor,
  accountId: number,
  rules: readonly string[],
): Promise<string[]> {
  if (rules.length === 0) return [];
  const deleted = await db.query<{ rule: string }>(
    `DELETE FROM configured_peer_rules WHERE account_id = $1::int AND rule = ANY($2::text[]) RETURNING rule`,
    [accountId, [...rules]],
  );
  return deleted.map((row) => row.rule);
}

/** The account's command-line rules, oldest first (the first rule that selects a peer is the one shown). */
export async function listCliPeerRules(db: SqlExecutor, accountId: number): Promise<string[]> {
  const rows = await db.query<{ rule: string }>(
    `SELECT rule FROM configured_peer_rules WHERE account_id = $1::int ORDER BY id`,
    [accountId],
  );
  return rows.map((row) => row.rule);
}

/**
 * The explicit (not rule-added) enabled entries of an account without a peers file: rules must not
 * bring these peers in again.
 */
export function listCliExplicitPeers(
  db: SqlExecutor,
  accountId: number,
): Promise<{ input: string; normalizedInput: string }[]> {
  return db.query<{ input: string; normalizedInput: string }>(
    `SELECT input, normalized_input AS "normalizedInput" FROM configured_peers WHERE account_id = $1::int AND enabled AND added_by_rule IS NULL ORDER BY id`,
    [accountId],
  );
}
