import type { PeerKey } from '../../model/rows.ts';
import type { SqlExecutor } from '../sql-executor.ts';

/**
 * What the account's explicit entries (by normalised input) resolved to in earlier runs: a rule must
 * not bring these peers in a second time (an invite link or a username names the peer too).
 */
export function findExplicitPeerKeys(
  db: SqlExecutor,
  accountId: number,
  normalizedInputs: readonly string[],
): Promise<PeerKey[]> {
  if (normalizedInputs.length === 0) return Promise.resolve([]);
  return db.query<PeerKey>(
    `SELECT peer_type::text AS "peerType", peer_id AS "peerId" FROM configured_peers
     WHERE account_id = $1::int AND peer_id IS NOT NULL AND normalized_input = ANY($2::text[])`,
    [accountId, [...normalizedInputs]],
  );
}
