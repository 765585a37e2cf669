import type { SqlExecutor } from '../sql-executor.ts';

/**
 * Removes an account row that a failed first login created: only while it has never logged in and
 * nothing refers to it (no session, peers or runs), so no synced data can go with it.
 */
export async function deleteUnusedAccount(db: SqlExecutor, accountId: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `DELETE FROM accounts a WHERE a.id = $1::int AND a.last_login_at IS NULL AND a.telegram_user_id IS NULL
       AND NOT EXISTS (SELECT 1 FROM account_sessions s WHERE s.account_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM configured_peers p WHERE p.account_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.account_id = a.id)
     RETURNING a.id`,
    [accountId],
  );
  return rows.length > 0;
}
