import type { SqlExecutor } from '../sql-executor.ts';
import type { DuePeer } from './list-due-peers.ts';

export interface ConfiguredPeerRef extends DuePeer {
  readonly input: string;
  readonly normalizedInput: string;
}

/** One configured peer with this account's current access hash for it (after a re-resolution, say). */
const sql = `SELECT c.id AS "configuredPeerId", c.peer_type AS "peerType", c.peer_id AS "peerId",
       COALESCE(au.access_hash, ach.access_hash) AS "accessHash", c.input, c.normalized_input AS "normalizedInput"
FROM configured_peers c
LEFT JOIN account_users au ON c.peer_type = 'user' AND au.account_id = c.account_id AND au.user_id = c.peer_id
LEFT JOIN account_channels ach ON c.peer_type = 'channel' AND ach.account_id = c.account_id AND ach.channel_id = c.peer_id
WHERE c.id = $1::bigint`;

export async function findConfiguredPeer(db: SqlExecutor, configuredPeerId: bigint): Promise<ConfiguredPeerRef | null> {
  const [row] = await db.query<ConfiguredPeerRef>(sql, [configuredPeerId.toString()]);
  return row ?? null;
}
