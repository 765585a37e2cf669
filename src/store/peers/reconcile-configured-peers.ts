import type { SqlExecutor } from '../sql-executor.ts';

export interface WantedPeer {
  readonly input: string;
  readonly normalizedInput: string;
}

export interface ReconcileResult {
  readonly added: number;
  readonly reenabled: number;
  readonly disabled: number;
}

/**
 * Makes an account's configured peers match the peers file, which is the source of truth when set:
 * new peers are added, peers back in the file are re-enabled, and peers no longer in it are disabled
 * (never deleted: their synced data stays). One statement, whatever the number of peers.
 */
const sql = `WITH wanted AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS w(input text, normalized_input text)
),
upserted AS (
  INSERT INTO configured_peers AS c (account_id, input, normalized_input, source, enabled)
  SELECT $1::int, w.input, w.normalized_input, 'file', true FROM wanted w ORDER BY w.normalized_input
  ON CONFLICT (account_id, normalized_input) DO UPDATE
    SET enabled = true, source = 'file', input = EXCLUDED.input, updated_at = now()
    WHERE NOT c.enabled OR c.source <> 'file' OR c.input <> EXCLUDED.input
  RETURNING (xmax = 0) AS is_new, c.enabled
),
disabled AS (
  UPDATE configured_peers c SET enabled = false, updated_at = now()
  WHERE c.account_id = $1::int AND c.enabled
    AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.normalized_input = c.normalized_input)
  RETURNING 1
)
SELECT
  (SELECT count(*) FROM upserted WHERE is_new)::int AS added,
  (SELECT count(*) FROM upserted WHERE NOT is_new)::int AS reenabled,
  (SELECT count(*) FROM disabled)::int AS disabled`;

export async function reconcileConfiguredPeers(db: SqlExecutor, accountId: number, wanted: readonly WantedPeer[]): Promise<ReconcileResult> {
  const payload = JSON.stringify(wanted.map((peer) => ({ input: peer.input, normalized_input: peer.normalizedInput })));
  const [result] = await db.query<ReconcileResult>(sql, [accountId, payload]);
  return result ?? { added: 0, reenabled: 0, disabled: 0 };
}
