import type { SqlExecutor } from '../sql-executor.ts';

export type AccountStatus = 'active' | 'needs_login' | 'frozen' | 'disabled';

export interface AccountRecord {
  readonly id: number;
  readonly label: string;
  readonly telegramUserId: bigint | null;
  readonly status: AccountStatus;
  readonly statusReason: string | null;
}

const columns = `id, label, telegram_user_id AS "telegramUserId", status, status_reason AS "statusReason"`;

export function listAccounts(db: SqlExecutor): Promise<AccountRecord[]> {
  return db.query<AccountRecord>(`SELECT ${columns} FROM accounts ORDER BY id`, []);
}

export async function findAccountByLabel(db: SqlExecutor, label: string): Promise<AccountRecord | null> {
  const [account] = await db.query<AccountRecord>(`SELECT ${columns} FROM accounts WHERE label = $1`, [label]);
  return account ?? null;
}

export async function findAccountById(db: SqlExecutor, id: number): Promise<AccountRecord | null> {
  const [account] = await db.query<AccountRecord>(`SELECT ${columns} FROM accounts WHERE id = $1::int`, [id]);
  return account ?? null;
}

/** Creates the account if missing; returns it either way. */
export async function ensureAccount(db: SqlExecutor, label: string): Promise<AccountRecord> {
  const [account] = await db.query<AccountRecord>(
    `INSERT INTO accounts (label) VALUES ($1) ON CONFLICT (label) DO UPDATE SET label = EXCLUDED.label RETURNING ${columns}`,
    [label],
  );
  if (account === undefined) throw new Error(`could not create account ${label}`);
  return account;
}

/** Records the account's state; `reason` tells the operator what to do. */
export async function setAccountStatus(
  db: SqlExecutor,
  accountId: number,
  status: AccountStatus,
  reason: string | null,
): Promise<void> {
  await db.query(
    `UPDATE accounts SET status = $2::account_status, status_reason = $3, updated_at = now()
     WHERE id = $1::int AND (status, status_reason) IS DISTINCT FROM ($2::account_status, $3)`,
    [accountId, status, reason],
  );
}

/** After a login: the account's own user id, active again. */
export async function recordLogin(db: SqlExecutor, accountId: number, telegramUserId: bigint): Promise<void> {
  await db.query(
    `UPDATE accounts SET telegram_user_id = $2::bigint, status = 'active', status_reason = NULL, last_login_at = now(), updated_at = now() WHERE id = $1::int`,
    [accountId, telegramUserId.toString()],
  );
}
