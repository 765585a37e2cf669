import type { PeerType } from '../rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

export interface StoredPeer {
  readonly peerType: PeerType;
  readonly peerId: bigint;
  readonly hasAccessHash: boolean;
  /** For basic groups upgraded to supergroups: the channel that replaced it. */
  readonly migratedToChannelId: bigint | null;
}

/**
 * What this account already knows about a peer id: users and channels need a stored full access
 * hash; a basic group needs none but may have been migrated to a supergroup.
 */
const sql = `SELECT $2::peer_type AS "peerType", $3::bigint AS "peerId",
  CASE $2::peer_type
    WHEN 'user' THEN EXISTS (SELECT 1 FROM account_users WHERE account_id = $1::int AND user_id = $3::bigint AND access_hash IS NOT NULL)
    WHEN 'channel' THEN EXISTS (SELECT 1 FROM account_channels WHERE account_id = $1::int AND channel_id = $3::bigint AND access_hash IS NOT NULL)
    ELSE true END AS "hasAccessHash",
  (SELECT migrated_to_channel_id FROM chats WHERE $2::peer_type = 'chat' AND id = $3::bigint) AS "migratedToChannelId",
  CASE $2::peer_type
    WHEN 'chat' THEN EXISTS (SELECT 1 FROM account_chats WHERE account_id = $1::int AND chat_id = $3::bigint)
    ELSE true END AS known`;

export async function findStoredPeer(db: SqlExecutor, accountId: number, peerType: PeerType, peerId: bigint): Promise<StoredPeer | null> {
  const [row] = await db.query<StoredPeer & { known: boolean }>(sql, [accountId, peerType, peerId.toString()]);
  if (row === undefined || !row.known || !row.hasAccessHash) return null;
  return { peerType: row.peerType, peerId: row.peerId, hasAccessHash: row.hasAccessHash, migratedToChannelId: row.migratedToChannelId };
}
