import type { SqlExecutor } from '../sql-executor.ts';

export interface StoredSession {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly ciphertext: Buffer;
}

export async function loadAccountSession(db: SqlExecutor, accountId: number): Promise<StoredSession | null> {
  const [row] = await db.query<StoredSession>(
    `SELECT key_id AS "keyId", iv, auth_tag AS "authTag", ciphertext FROM account_sessions WHERE account_id = $1::int`,
    [accountId],
  );
  return row === undefined
    ? null
    : {
        keyId: row.keyId,
        iv: Buffer.from(row.iv),
        authTag: Buffer.from(row.authTag),
        ciphertext: Buffer.from(row.ciphertext),
      };
}

export async function saveAccountSession(db: SqlExecutor, accountId: number, session: StoredSession): Promise<void> {
  await db.query(
    `INSERT INTO account_sessions (account_id, key_id, iv, auth_tag, ciphertext)
     VALUES ($1::int, $2, decode($3, 'base64'), decode($4, 'base64'), decode($5, 'base64'))
     ON CONFLICT (account_id) DO UPDATE SET key_id = EXCLUDED.key_id, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
       ciphertext = EXCLUDED.ciphertext, updated_at = now()`,
    [
      accountId,
      session.keyId,
      session.iv.toString('base64'),
      session.authTag.toString('base64'),
      session.ciphertext.toString('base64'),
    ],
  );
}

export async function deleteAccountSession(db: SqlExecutor, accountId: number): Promise<void> {
  await db.query('DELETE FROM account_sessions WHERE account_id = $1::int', [accountId]);
}
