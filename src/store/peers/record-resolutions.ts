import type { PeerType } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

export interface Resolution {
  readonly configuredPeerId: bigint;
  readonly peerType: PeerType;
  readonly peerId: bigint;
}

/**
 * Stores what configured peers resolved to, then collapses duplicates: when several entries of one
 * account resolve to the same peer (two spellings, or two of a peer's usernames), the oldest entry
 * syncs it and the others are marked duplicate of it.
 */
const recordSql = `UPDATE configured_peers c
SET peer_type = r.peer_type, peer_id = r.peer_id, resolved_at = now(), status = 'pending',
    consecutive_failures = 0, next_attempt_at = NULL, updated_at = now()
FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, peer_type peer_type, peer_id bigint)
WHERE c.id = r.id AND c.account_id = $1::int`;

const collapseDuplicatesSql = `WITH ranked AS (
  SELECT id, first_value(id) OVER (PARTITION BY peer_type, peer_id ORDER BY id) AS canonical_id
  FROM configured_peers
  WHERE account_id = $1::int AND enabled AND peer_id IS NOT NULL
)
UPDATE configured_peers c
SET duplicate_of_id = NULLIF(r.canonical_id, c.id),
    status = CASE WHEN r.canonical_id <> c.id THEN 'duplicate'::peer_sync_status
                  WHEN c.status = 'duplicate' THEN 'pending'::peer_sync_status
                  ELSE c.status END,
    updated_at = now()
FROM ranked r
WHERE c.id = r.id AND c.duplicate_of_id IS DISTINCT FROM NULLIF(r.canonical_id, c.id)`;

export async function recordResolutions(
  db: SqlExecutor,
  accountId: number,
  resolutions: readonly Resolution[],
): Promise<void> {
  if (resolutions.length > 0) {
    const payload = JSON.stringify(
      resolutions.map((resolution) => ({
        id: resolution.configuredPeerId.toString(),
        peer_type: resolution.peerType,
        peer_id: resolution.peerId.toString(),
      })),
    );
    await db.query(recordSql, [accountId, payload]);
    const ids = resolutions.map((resolution) => resolution.configuredPeerId.toString());
    await db.query(clearPendingReasonSql, [accountId, ids, PENDING_REASON_CODES]);
  }
  await db.query(collapseDuplicatesSql, [accountId]);
}

/** Why an unresolved peer stays pending for now (not a failure: no backoff, the next run tries again). */
export interface PendingReason {
  readonly configuredPeerId: bigint;
  /** The job's reason code, e.g. RESOLVE_BUDGET_SPENT. */
  readonly code: string;
  readonly text: string;
}

/** Reason codes of peers that wait to be resolved; cleared once the peer resolves. */
export const PENDING_REASON_CODES = ['RESOLVE_BUDGET_SPENT', 'RESOLVE_DEFERRED', 'DIALOG_SCAN_INCOMPLETE'] as const;

// Rewritten only when the reason changed: a peer waiting over many runs is not updated by each.
const pendingSql = `UPDATE configured_peers c
SET status = 'pending', last_error_code = r.code, last_error_text = r.text, last_error_at = now(), updated_at = now()
FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, code text, text text)
WHERE c.id = r.id AND c.account_id = $1::int
  AND (c.status <> 'pending' OR c.last_error_code IS DISTINCT FROM r.code OR c.last_error_text IS DISTINCT FROM r.text)`;

const clearPendingReasonSql = `UPDATE configured_peers
SET last_error_code = NULL, last_error_text = NULL, last_error_at = NULL
WHERE account_id = $1::int AND id = ANY($2::bigint[]) AND last_error_code = ANY($3::text[])`;

export async function recordPendingReasons(
  db: SqlExecutor,
  accountId: number,
  reasons: readonly PendingReason[],
): Promise<void> {
  if (reasons.length === 0) return;
  const payload = JSON.stringify(
    reasons.map((reason) => ({ id: reason.configuredPeerId.toString(), code: reason.code, text: reason.text })),
  );
  await db.query(pendingSql, [accountId, payload]);
}
