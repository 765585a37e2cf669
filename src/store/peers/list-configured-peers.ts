import type { SqlExecutor } from '../sql-executor.ts';

export interface ConfiguredPeerListing {
  readonly id: bigint;
  readonly input: string;
  readonly normalizedInput: string;
  readonly source: 'file' | 'cli';
  /** The rule that brought the peer in; null when listed explicitly. */
  readonly addedByRule: string | null;
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

export interface ConfiguredPeersPage {
  readonly accountId: number;
  /** Removed (disabled) peers too. */
  readonly includeDisabled: boolean;
  /** Rows after this id (keyset paging: each page is one index range scan, however far in). */
  readonly afterId: bigint;
  readonly limit: number;
}

/** One page of an account's configured peers in the order they were added (removed ones only with `includeDisabled`). */
export function listConfiguredPeers(db: SqlExecutor, page: ConfiguredPeersPage): Promise<ConfiguredPeerListing[]> {
  return db.query<ConfiguredPeerListing>(
    `SELECT id, input, normalized_input AS "normalizedInput", source::text AS source, added_by_rule AS "addedByRule", enabled, status::text AS status,
            peer_type::text AS "peerType", peer_id AS "peerId", last_synced_at AS "lastSyncedAt",
            last_error_code AS "lastErrorCode", last_error_text AS "lastErrorText",
            consecutive_failures AS "consecutiveFailures", next_attempt_at AS "nextAttemptAt"
     FROM configured_peers
     WHERE account_id = $1::int AND (enabled OR $2::boolean) AND id > $3::bigint
     ORDER BY id
     LIMIT $4::int`,
    [page.accountId, page.includeDisabled, page.afterId.toString(), page.limit],
  );
}

/** Every configured peer of an account, a page at a time (an account may have hundreds of thousands). */
export async function* configuredPeerPages(
  db: SqlExecutor,
  options: Omit<ConfiguredPeersPage, 'afterId' | 'limit'> & { readonly pageSize: number },
): AsyncGenerator<ConfiguredPeerListing[]> {
  let afterId = 0n;
  for (;;) {
    const rows = await listConfiguredPeers(db, {
      accountId: options.accountId,
      includeDisabled: options.includeDisabled,
      afterId,
      limit: options.pageSize,
    });
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < options.pageSize) return;
    afterId = BigInt(rows[rows.length - 1]!.id);
  }
}
