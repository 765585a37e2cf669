import type { SqlExecutor } from '../sql-executor.ts';

/**
 * `peers remove`: stops syncing peers (enabled = false). Nothing is deleted: the synced dialogs and
 * the peer's resolution stay, and `peers add` enables it again. Returns the normalised forms that
 * were configured and enabled (the others were not configured, or already removed), with their rule.
 */
export async function removeCliPeers(
  db: SqlExecutor,
  accountId: number,
  normalizedInputs: readonly string[],
): Promise<RemovedPeer[]> {
  if (normalizedInputs.length === 0) return [];
  return db.query<RemovedPeer>(
    `UPDATE configured_peers SET enabled = false, updated_at = now()
     WHERE account_id = $1::int AND enabled AND normalized_input = ANY($2::text[])
     RETURNING normalized_input AS "normalizedInput", added_by_rule AS "addedByRule"`,
    [accountId, [...normalizedInputs]],
  );
}

export interface RemovedPeer {
  readonly normalizedInput: string;
  /** A rule brought it in: that rule adds it again at the next run unless it is excluded. */
  readonly addedByRule: string | null;
}
