import type { SqlExecutor } from '../sql-executor.ts';
import type { WantedPeer } from './reconcile-configured-peers.ts';

export interface AddPeersResult {
  /** Newly configured. */
  readonly added: number;
  /** Configured before but removed (disabled); enabled again. */
  readonly reenabled: number;
  /** Already configured and enabled: nothing changed. */
  readonly unchanged: number;
}

/**
 * `peers add` / `peers import`: configures peers for an account from the command line (source
 * 'cli'). A peer configured before is recognised by its normalised form; a removed one is enabled
 * again, keeping its resolution, sync state and backoff; one a rule brought in becomes explicit (a rule
 * no longer disables it; counted as re-enabled). One statement for any number of peers.
 */
const sql = `WITH wanted AS (
  SELECT DISTINCT ON (e.value->>'normalized_input') e.value->>'input' AS input, e.value->>'normalized_input' AS normalized_input
  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, n)
  ORDER BY e.value->>'normalized_input', e.n
),
upserted AS (
  INSERT INTO configured_peers AS c (account_id, input, normalized_input, source, enabled)
  SELECT $1::int, w.input, w.normalized_input, 'cli', true FROM wanted w ORDER BY w.normalized_input
  ON CONFLICT (account_id, normalized_input) DO UPDATE
    SET enabled = true, source = 'cli', added_by_rule = NULL, updated_at = now()
    WHERE NOT c.enabled OR c.added_by_rule IS NOT NULL
  RETURNING (xmax = 0) AS is_new
)
SELECT
  (SELECT count(*) FROM upserted WHERE is_new)::int AS added,
  (SELECT count(*) FROM upserted WHERE NOT is_new)::int AS reenabled,
  ((SELECT count(*) FROM wanted) - (SELECT count(*) FROM upserted))::int AS unchanged`;

/**
 * Peers per statement. One statement for a 200,000-line import meant a ~12 MB JSON text, Prisma's JSON
 * encoding of it and PostgreSQL's reply all alive at once; pieces keep that bounded. Each piece commits
 * by itself: an import cut short is completed by running it again (already configured peers count as
 * such). `peers` must not repeat a normalised input, or its second piece counts it as already configured.
 */
const PEERS_PER_STATEMENT = 5_000;

export async function addCliPeers(
  db: SqlExecutor,
  accountId: number,
  peers: readonly WantedPeer[],
): Promise<AddPeersResult> {
  const total = { added: 0, reenabled: 0, unchanged: 0 };
  for (let start = 0; start < peers.length; start += PEERS_PER_STATEMENT) {
    const piece = peers.slice(start, start + PEERS_PER_STATEMENT);
    const payload = JSON.stringify(
      piece.map((peer) => ({ input: peer.input, normalized_input: peer.normalizedInput })),
    );
    const [result] = await db.query<AddPeersResult>(sql, [accountId, payload]);
    total.added += result?.added ?? 0;
    total.reenabled += result?.reenabled ?? 0;
    total.unchanged += result?.unchanged ?? 0;
  }
  return total;
}
