import type { PeerKey } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

/**
 * The users and channels this account already holds a full access hash for, by any of their active
 * usernames (lower-cased, as peer specs keep them): they need no contacts.resolveUsername call. Reads
 * the account's own rows only (one pass over them, whatever the number of names asked for). When a
 * username moved from one stored peer to another, the row updated last wins.
 */
const sql = `SELECT DISTINCT ON (name) name, "peerType", "peerId"
FROM (
  SELECT lower(n) AS name, 'user' AS "peerType", u.id AS "peerId", u.updated_at
  FROM account_users au
  JOIN users u ON u.id = au.user_id
  CROSS JOIN LATERAL unnest(array_append(u.usernames, u.username)) AS n
  WHERE au.account_id = $1::int AND au.access_hash IS NOT NULL AND lower(n) = ANY($2::text[])
  UNION ALL
  SELECT lower(n), 'channel', c.id, c.updated_at
  FROM account_channels ac
  JOIN channels c ON c.id = ac.channel_id
  CROSS JOIN LATERAL unnest(array_append(c.usernames, c.username)) AS n
  WHERE ac.account_id = $1::int AND ac.access_hash IS NOT NULL AND lower(n) = ANY($2::text[])
) found
ORDER BY name, updated_at DESC`;

export async function findStoredUsernames(
  db: SqlExecutor,
  accountId: number,
  usernames: readonly string[],
): Promise<Map<string, PeerKey>> {
  if (usernames.length === 0) return new Map();
  const rows = await db.query<{ name: string } & PeerKey>(sql, [
    accountId,
    usernames.map((name) => name.toLowerCase()),
  ]);
  return new Map(rows.map((row) => [row.name, { peerType: row.peerType, peerId: BigInt(row.peerId) }]));
}
