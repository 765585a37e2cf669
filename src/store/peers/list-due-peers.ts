import type { PeerType } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

export interface DuePeer {
  readonly configuredPeerId: bigint;
  readonly peerType: PeerType;
  readonly peerId: bigint;
  /** This account's full access hash; NULL for basic groups (and for peers whose hash was never seen). */
  readonly accessHash: bigint | null;
  /** It failed on its last attempt (its backoff is over): tried on its own, not inside a full batch. */
  readonly failedBefore: boolean;
  /** When a reply last carried its dialog: a peer known to work, good to tell a bad peer from a bad account. */
  readonly lastSyncedAt: Date | null;
}

export interface DuePeers {
  readonly due: DuePeer[];
  /** Resolved peers skipped because they are in backoff. */
  readonly inBackoff: number;
}

/**
 * The resolved, enabled peers this run should sync, with the access hashes stored for this account:
 * not in backoff, not a duplicate, and not already attempted in the current cycle (a run that follows
 * a deferred or interrupted one continues where it stopped).
 */
const dueSql = `SELECT c.id AS "configuredPeerId", c.peer_type AS "peerType", c.peer_id AS "peerId",
       COALESCE(au.access_hash, ach.access_hash) AS "accessHash",
       c.consecutive_failures > 0 AS "failedBefore", c.last_synced_at AS "lastSyncedAt"
FROM configured_peers c
LEFT JOIN account_users au ON c.peer_type = 'user' AND au.account_id = c.account_id AND au.user_id = c.peer_id
LEFT JOIN account_channels ach ON c.peer_type = 'channel' AND ach.account_id = c.account_id AND ach.channel_id = c.peer_id
WHERE c.account_id = $1::int AND c.enabled AND c.peer_id IS NOT NULL AND c.status <> 'duplicate'
  AND (c.next_attempt_at IS NULL OR c.next_attempt_at <= now())
  AND (c.last_attempt_at IS NULL OR c.last_attempt_at < $2::timestamptz)
ORDER BY c.id`;

const backoffSql = `SELECT count(*)::int AS count FROM configured_peers
WHERE account_id = $1::int AND enabled AND peer_id IS NOT NULL AND status <> 'duplicate' AND next_attempt_at > now()`;

export async function listDuePeers(db: SqlExecutor, accountId: number, cycleStartedAt: Date): Promise<DuePeers> {
  const due = await db.query<DuePeer>(dueSql, [accountId, cycleStartedAt]);
  const [backoff] = await db.query<{ count: number }>(backoffSql, [accountId]);
  return { due, inBackoff: backoff?.count ?? 0 };
}
