import type { SqlExecutor } from '../sql-executor.ts';

export interface ConfiguredPeerListing {
  readonly input: string;
  readonly normalizedInput: string;
  readonly source: 'file' | 'cli';
  readonly enabled: boolean;
  readonly status: string;
  readonly peerType: string | null;
  readonly peerId: bigint | null;
  readonly lastSyncedAt: Date | null;
  readonly lastErrorCode: string | null;
  readonly lastErrorText: string | null;
  readonly consecutiveFailures: number;
  readonly nextAttemptAt: Date | null;
}

/** An account's configured peers in the order they were added (removed ones only with `includeDisabled`). */
export function listConfiguredPeers(db: SqlExecutor, accountId: number, includeDisabled: boolean): Promise<ConfiguredPeerListing[]> {
  return db.query<ConfiguredPeerListing>(
    `SELECT input, normalized_input AS "normalizedInput", source::text AS source, enabled, status::text AS status,
            peer_type::text AS "peerType", peer_id AS "peerId", last_synced_at AS "lastSyncedAt",
            last_error_code AS "lastErrorCode", last_error_text AS "lastErrorText",
            consecutive_failures AS "consecutiveFailures", next_attempt_at AS "nextAttemptAt"
     FROM configured_peers
     WHERE account_id = $1::int AND (enabled OR $2::boolean)
     ORDER BY id`,
    [accountId, includeDisabled],
  );
}
