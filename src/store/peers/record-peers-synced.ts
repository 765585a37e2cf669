import type { SqlExecutor } from '../sql-executor.ts';

export interface SyncedPeer {
  readonly configuredPeerId: bigint;
  /** false when getPeerDialogs answered without a dialog for it (the account has none). */
  readonly hasDialog: boolean;
}

/**
 * Marks the peers of a successful call as attempted, and as synced (or as having no dialog), clearing
 * their failure streak and backoff. One statement per batch.
 * - A stored dialog that the reply came without has vanished (deleted, left, removed): it is marked
 *   absent from now on (absent_since keeps the first time), so it stops counting in the dashboards;
 *   the dialogs upsert clears the mark when the dialog comes back.
 * - Whether the account may still see a channel is the reply's to say (Channel or ChannelForbidden in
 *   its chats, written by the batch writer in the same transaction): nothing here touches it.
 */
const sql = `WITH r AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, has_dialog boolean)
),
marked AS (
  UPDATE configured_peers c
  SET status = CASE WHEN r.has_dialog THEN 'synced'::peer_sync_status ELSE 'no_dialog'::peer_sync_status END,
      last_attempt_at = now(),
      last_synced_at = CASE WHEN r.has_dialog THEN now() ELSE c.last_synced_at END,
      consecutive_failures = 0,
      next_attempt_at = NULL,
      updated_at = now()
  FROM r
  WHERE c.id = r.id AND c.account_id = $1::int
  RETURNING c.peer_type, c.peer_id, r.has_dialog
)
UPDATE dialogs d SET absent_since = now(), updated_at = now()
FROM marked m
WHERE NOT m.has_dialog AND d.account_id = $1::int AND d.peer_type = m.peer_type AND d.peer_id = m.peer_id
  AND d.absent_since IS NULL`;

export async function recordPeersSynced(
  db: SqlExecutor,
  accountId: number,
  peers: readonly SyncedPeer[],
): Promise<void> {
  if (peers.length === 0) return;
  const payload = JSON.stringify(
    peers.map((peer) => ({ id: peer.configuredPeerId.toString(), has_dialog: peer.hasDialog })),
  );
  await db.query(sql, [accountId, payload]);
}
