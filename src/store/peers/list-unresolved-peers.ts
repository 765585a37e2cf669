import type { PeerType } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

export interface UnresolvedPeer {
  readonly id: bigint;
  readonly input: string;
  readonly normalizedInput: string;
  /** Known when the peer was resolved to a user or channel whose access hash this account lacks. */
  readonly peerType: PeerType | null;
  readonly peerId: bigint | null;
  /** Why it waits, when an earlier run left it pending (e.g. RESOLVE_BUDGET_SPENT), or its last error. */
  readonly lastErrorCode: string | null;
}

/**
 * Enabled peers that cannot be synced yet: never resolved, or a user/channel without a full access
 * hash for this account (numeric ids, a basic group migrated to a supergroup), or a basic group that
 * a stored chat object shows upgraded (`migrated_to`), unless the account is known to be out of the
 * supergroup (left it, or it answers as forbidden): those are followed to the supergroup. Peers
 * whose resolution failed are retried only after their backoff.
 */
const sql = `SELECT c.id, c.input, c.normalized_input AS "normalizedInput", c.peer_type AS "peerType", c.peer_id AS "peerId",
  c.last_error_code AS "lastErrorCode"
FROM configured_peers c
LEFT JOIN account_users au ON c.peer_type = 'user' AND au.account_id = c.account_id AND au.user_id = c.peer_id
LEFT JOIN account_channels ach ON c.peer_type = 'channel' AND ach.account_id = c.account_id AND ach.channel_id = c.peer_id
WHERE c.account_id = $1::int AND c.enabled AND c.status <> 'duplicate'
  AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= now())
  AND (c.peer_id IS NULL OR (c.peer_type <> 'chat' AND COALESCE(au.access_hash, ach.access_hash) IS NULL)
       OR (c.peer_type = 'chat' AND EXISTS (
         SELECT 1 FROM chats ch WHERE ch.id = c.peer_id AND ch.migrated_to_channel_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM account_channels sg WHERE sg.account_id = c.account_id AND sg.channel_id = ch.migrated_to_channel_id AND (sg.is_left OR sg.is_forbidden)))))
ORDER BY c.id`;

export function listUnresolvedPeers(db: SqlExecutor, accountId: number): Promise<UnresolvedPeer[]> {
  return db.query<UnresolvedPeer>(sql, [accountId]);
}
