import type { SqlExecutor } from '../sql-executor.ts';

export interface WantedPeer {
  readonly input: string;
  readonly normalizedInput: string;
}

export type ReconcileResult =
  | { readonly applied: true; readonly added: number; readonly reenabled: number; readonly disabled: number }
  /** The removal limit was exceeded: nothing was changed. */
  | { readonly applied: false; readonly wouldDisable: number; readonly enabled: number };

/** How many enabled peers one reconciliation may disable (a damaged file must not empty the list). */
export interface RemovalLimit {
  /** Percent of the account's enabled peers; null: no limit. */
  readonly maxPercent: number | null;
  /** Up to this many may always be disabled, whatever the share (small lists are edited by hand). */
  readonly alwaysAllowed: number;
}

/**
 * Makes an account's configured peers match the peers file, which is the source of truth when set:
 * new peers are added, peers back in the file are re-enabled, and peers no longer in it are disabled
 * (never deleted: their synced data stays) — unless that would disable more than the removal limit
 * allows, in which case nothing changes and the counts come back. One statement, whatever the number
 * of peers; the limit is checked on the same snapshot the changes are made on.
 */
const sql = `WITH wanted AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS w(input text, normalized_input text)
),
removal AS (
  SELECT count(*)::int AS enabled,
         count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM wanted w WHERE w.normalized_input = c.normalized_input))::int AS would_disable
  FROM configured_peers c WHERE c.account_id = $1::int AND c.enabled
),
allowed AS (
  SELECT ($3::int IS NULL OR would_disable <= $4::int OR would_disable * 100 <= enabled * $3::int) AS ok FROM removal
),
upserted AS (
  INSERT INTO configured_peers AS c (account_id, input, normalized_input, source, enabled)
  SELECT $1::int, w.input, w.normalized_input, 'file', true FROM wanted w WHERE (SELECT ok FROM allowed) ORDER BY w.normalized_input
  ON CONFLICT (account_id, normalized_input) DO UPDATE
    SET enabled = true, source = 'file', input = EXCLUDED.input, updated_at = now()
    WHERE NOT c.enabled OR c.source <> 'file' OR c.input <> EXCLUDED.input
  RETURNING (xmax = 0) AS is_new, c.enabled
),
disabled AS (
  UPDATE configured_peers c SET enabled = false, updated_at = now()
  WHERE c.account_id = $1::int AND c.enabled AND (SELECT ok FROM allowed)
    AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.normalized_input = c.normalized_input)
  RETURNING 1
)
SELECT
  (SELECT ok FROM allowed) AS applied,
  (SELECT enabled FROM removal) AS enabled,
  (SELECT would_disable FROM removal) AS "wouldDisable",
  (SELECT count(*) FROM upserted WHERE is_new)::int AS added,
  (SELECT count(*) FROM upserted WHERE NOT is_new)::int AS reenabled,
  (SELECT count(*) FROM disabled)::int AS disabled`;

interface Row {
  readonly applied: boolean;
  readonly enabled: number;
  readonly wouldDisable: number;
  readonly added: number;
  readonly reenabled: number;
  readonly disabled: number;
}

export async function reconcileConfiguredPeers(db: SqlExecutor, accountId: number, wanted: readonly WantedPeer[], limit: RemovalLimit): Promise<ReconcileResult> {
  const payload = JSON.stringify(wanted.map((peer) => ({ input: peer.input, normalized_input: peer.normalizedInput })));
  const [row] = await db.query<Row>(sql, [accountId, payload, limit.maxPercent, limit.alwaysAllowed]);
  if (row === undefined) throw new Error('the peer reconciliation returned no row');
  return row.applied
    ? { applied: true, added: row.added, reenabled: row.reenabled, disabled: row.disabled }
    : { applied: false, wouldDisable: row.wouldDisable, enabled: row.enabled };
}
