import type { SqlExecutor } from '../sql-executor.ts';
import type { AccountStatus } from './accounts.ts';

export interface AccountOverview {
  readonly id: number;
  readonly label: string;
  readonly status: AccountStatus;
  readonly statusReason: string | null;
  readonly telegramUserId: bigint | null;
  readonly lastLoginAt: Date | null;
  readonly enabledPeers: number;
}

/** Every account with its login state, for `tg-dialog-sync accounts` and `status`. */
export function listAccountOverview(db: SqlExecutor): Promise<AccountOverview[]> {
  return db.query<AccountOverview>(
    `SELECT a.id, a.label, a.status::text AS status, a.status_reason AS "statusReason", a.telegram_user_id AS "telegramUserId",
            a.last_login_at AS "lastLoginAt",
            (SELECT count(*)::int FROM configured_peers p WHERE p.account_id = a.id AND p.enabled) AS "enabledPeers"
     FROM accounts a ORDER BY a.label`,
    [],
  );
}
