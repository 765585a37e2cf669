import type { PeerKey, PeerType } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

export interface StoredPeer {
  readonly peerType: PeerType;
  readonly peerId: bigint;
  /** For basic groups upgraded to supergroups: the channel that replaced it. */
  readonly migratedToChannelId: bigint | null;
}

/**
 * What this account already knows about a list of peer ids, in one query: users and channels count as
 * known only with a stored full access hash; basic groups when the account has seen them (they need
 * no hash, but may have been upgraded to a supergroup). Unknown peers are absent from the result.
 */
const sql = `SELECT k.peer_type AS "peerType", k.peer_id AS "peerId", c.migrated_to_channel_id AS "migratedToChannelId"
FROM jsonb_to_recordset($2::jsonb) AS k(peer_type peer_type, peer_id bigint)
LEFT JOIN chats c ON k.peer_type = 'chat' AND c.id = k.peer_id
WHERE CASE k.peer_type
  WHEN 'user' THEN EXISTS (SELECT 1 FROM account_users WHERE account_id = $1::int AND user_id = k.peer_id AND access_hash IS NOT NULL)
  WHEN 'channel' THEN EXISTS (SELECT 1 FROM account_channels WHERE account_id = $1::int AND channel_id = k.peer_id AND access_hash IS NOT NULL)
  ELSE EXISTS (SELECT 1 FROM account_chats WHERE account_id = $1::int AND chat_id = k.peer_id)
END`;

export async function findStoredPeers(
  db: SqlExecutor,
  accountId: number,
  peers: readonly PeerKey[],
): Promise<Map<string, StoredPeer>> {
  if (peers.length === 0) return new Map();
  const payload = JSON.stringify(peers.map((peer) => ({ peer_type: peer.peerType, peer_id: peer.peerId.toString() })));
  const rows = await db.query<StoredPeer>(sql, [accountId, payload]);
  return new Map(rows.map((row) => [`${row.peerType}:${row.peerId}`, row]));
}
