import type { SqlExecutor } from '../sql-executor.ts';

/**
 * `peers remove`: stops syncing peers (enabled = false). Nothing is deleted: the synced dialogs and
 * the peer's resolution stay, and `peers add` enables it again. Returns the normalised forms that
 * were configured and enabled (the others were not configured, or already removed).
 */
export async function removeCliPeers(db: SqlExecutor, accountId: number, normalizedInputs: readonly string[]): Promise<string[]> {
  if (normalizedInputs.length === 0) return [];
  const rows = await db.query<{ normalizedInput: string }>(
    `UPDATE configured_peers SET enabled = false, updated_at = now()
     WHERE account_id = $1::int AND enabled AND normalized_input = ANY($2::text[])
     RETURNING normalized_input AS "normalizedInput"`,
    [accountId, [...normalizedInputs]],
  );
  return rows.map((row) => row.normalizedInput);
}
