import type { PeerKey } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

export interface WantedPeer {
  readonly input: string;
  readonly normalizedInput: string;
}

/** A peer a rule brought in: configured already resolved (the dialog list carried it and its access hash). */
export interface WantedRulePeer extends WantedPeer {
  readonly peer: PeerKey;
  readonly addedByRule: string;
}

/** The rules of this reconciliation (see peer-rule.ts). */
export interface RuleReconciliation {
  readonly peers: readonly WantedRulePeer[];
  /** Rules expanded this run: their peers that left the set are disabled, and not counted by the removal limit (that is churn). */
  readonly expandedRules: readonly string[];
  /** Rules still configured but not expanded this run (dialog list deferred or incomplete): their peers are left as they are. */
  readonly keptRules: readonly string[];
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
 *
 * Rule peers are upserted with their rule and resolution; explicit entries clear the rule of a row
 * (explicit wins). A rule peer that left an expanded rule's set is disabled without counting against
 * the limit; one whose rule vanished from the file counts like any removed line (a truncated file
 * loses its rules too); one of a kept rule is not touched.
 */
const sql = `WITH wanted AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS w(input text, normalized_input text, peer_type peer_type, peer_id bigint, added_by_rule text)
),
leaving AS (
  SELECT c.id, c.added_by_rule FROM configured_peers c
  WHERE c.account_id = $1::int AND c.enabled
    AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.normalized_input = c.normalized_input)
    AND NOT COALESCE(c.added_by_rule = ANY($6::text[]), false)
    AND (NOT $7::boolean OR c.added_by_rule IS NOT NULL)
),
removal AS (
  SELECT (SELECT count(*) FROM configured_peers c WHERE c.account_id = $1::int AND c.enabled)::int AS enabled,
         count(*) FILTER (WHERE NOT COALESCE(added_by_rule = ANY($5::text[]), false))::int AS would_disable
  FROM leaving
),
allowed AS (
  SELECT ($3::int IS NULL OR would_disable <= $4::int OR would_disable * 100 <= enabled * $3::int) AS ok FROM removal
),
upserted AS (
  INSERT INTO configured_peers AS c (account_id, input, normalized_input, source, enabled, added_by_rule, peer_type, peer_id, resolved_at)
  SELECT $1::int, w.input, w.normalized_input, $8::peer_source, true, w.added_by_rule, w.peer_type, w.peer_id, CASE WHEN w.peer_id IS NULL THEN NULL ELSE now() END
  FROM wanted w WHERE (SELECT ok FROM allowed) ORDER BY w.normalized_input
  ON CONFLICT (account_id, normalized_input) DO UPDATE
    SET enabled = true, source = EXCLUDED.source, input = EXCLUDED.input, added_by_rule = EXCLUDED.added_by_rule,
        peer_type = COALESCE(c.peer_type, EXCLUDED.peer_type), peer_id = COALESCE(c.peer_id, EXCLUDED.peer_id),
        resolved_at = COALESCE(c.resolved_at, EXCLUDED.resolved_at),
        -- An entry that failed to resolve before and now comes resolved from the dialog list starts afresh.
        status = CASE WHEN c.peer_id IS NULL AND EXCLUDED.peer_id IS NOT NULL THEN 'pending'::peer_sync_status ELSE c.status END,
        next_attempt_at = CASE WHEN c.peer_id IS NULL AND EXCLUDED.peer_id IS NOT NULL THEN NULL ELSE c.next_attempt_at END,
        updated_at = now()
    WHERE NOT c.enabled OR c.source <> EXCLUDED.source OR c.input <> EXCLUDED.input OR c.added_by_rule IS DISTINCT FROM EXCLUDED.added_by_rule
       OR (c.peer_id IS NULL AND EXCLUDED.peer_id IS NOT NULL)
  RETURNING (xmax = 0) AS is_new, c.enabled
),
disabled AS (
  UPDATE configured_peers c SET enabled = false, updated_at = now()
  FROM leaving l
  WHERE c.id = l.id AND (SELECT ok FROM allowed)
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

const NO_RULES: RuleReconciliation = { peers: [], expandedRules: [], keptRules: [] };

/**
 * Where the list lives. 'file': the peers file is the whole list (every row is in scope). 'cli': the
 * command line manages the explicit rows, so only rule rows are reconciled (`wanted` is empty).
 */
export type ReconcileScope = 'file' | 'cli';

export async function reconcileConfiguredPeers(
  db: SqlExecutor,
  accountId: number,
  wanted: readonly WantedPeer[],
  limit: RemovalLimit,
  rules: RuleReconciliation = NO_RULES,
  scope: ReconcileScope = 'file',
): Promise<ReconcileResult> {
  const explicit = wanted.map((peer) => ({ input: peer.input, normalized_input: peer.normalizedInput }));
  const fromRules = rules.peers.map((peer) => ({
    input: peer.input,
    normalized_input: peer.normalizedInput,
    peer_type: peer.peer.peerType,
    peer_id: peer.peer.peerId.toString(),
    added_by_rule: peer.addedByRule,
  }));
  const payload = JSON.stringify([...explicit, ...fromRules]);
  const [row] = await db.query<Row>(sql, [
    accountId,
    payload,
    limit.maxPercent,
    limit.alwaysAllowed,
    [...rules.expandedRules],
    [...rules.keptRules],
    scope === 'cli',
    scope,
  ]);
  if (row === undefined) throw new Error('the peer reconciliation returned no row');
  return row.applied
    ? { applied: true, added: row.added, reenabled: row.reenabled, disabled: row.disabled }
    : { applied: false, wouldDisable: row.wouldDisable, enabled: row.enabled };
}
