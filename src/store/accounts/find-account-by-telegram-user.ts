import type { SqlExecutor } from '../sql-executor.ts';

/** The label of the account (other than `exceptAccountId`) already logged in as this Telegram user, if any. */
export async function findAccountByTelegramUser(
  db: SqlExecutor,
  telegramUserId: bigint,
  exceptAccountId: number,
): Promise<string | null> {
  const [row] = await db.query<{ label: string }>(
    `SELECT label FROM accounts WHERE telegram_user_id = $1::bigint AND id <> $2::int`,
    [telegramUserId.toString(), exceptAccountId],
  );
  return row?.label ?? null;
}
