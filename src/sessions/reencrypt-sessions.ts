import type { Transactor } from '../store/transaction.ts';
import { decryptSession, encryptSession } from './session-crypto.ts';
import { keyFor, type SessionKeyRing } from './database-session-store.ts';

export interface ReencryptReport {
  readonly currentKeyId: string;
  /** Sessions moved to the current key, by the key id they were under. */
  readonly reencrypted: ReadonlyMap<string, number>;
  readonly alreadyCurrent: number;
  /** Sessions left as they were because no configured key reads them. */
  readonly unreadable: readonly { readonly accountLabel: string; readonly keyId: string; readonly reason: string }[];
}

interface StoredRow {
  readonly accountId: number;
  readonly label: string;
  readonly keyId: string;
  readonly iv: Buffer;
  readonly authTag: Buffer;
  readonly ciphertext: Buffer;
}

/**
 * Re-encrypts every stored session that is not under the current key, one account per transaction.
 * Each row is locked (FOR UPDATE) while it is read and rewritten, so a login saving a new session at
 * the same moment is neither lost nor overwritten with the old one; a worker reading the row sees the
 * old or the new ciphertext, both readable while it knows both keys. Sessions no configured key reads
 * are left untouched and reported.
 */
export async function reencryptSessions(transact: Transactor, ring: SessionKeyRing): Promise<ReencryptReport> {
  const accounts = await transact((db) =>
    db.query<{ accountId: number }>('SELECT account_id AS "accountId" FROM account_sessions ORDER BY account_id', []),
  );
  const reencrypted = new Map<string, number>();
  const unreadable: { accountLabel: string; keyId: string; reason: string }[] = [];
  let alreadyCurrent = 0;
  for (const { accountId } of accounts) {
    const outcome = await transact(async (db) => {
      const [row] = await db.query<StoredRow>(
        `SELECT s.account_id AS "accountId", a.label, s.key_id AS "keyId", s.iv, s.auth_tag AS "authTag", s.ciphertext
         FROM account_sessions s JOIN accounts a ON a.id = s.account_id WHERE s.account_id = $1::int FOR UPDATE OF s`,
        [accountId],
      );
      if (row === undefined) return { kind: 'gone' } as const; // logged out in the meantime
      if (row.keyId === ring.current.keyId) return { kind: 'current' } as const;
      const key = keyFor(ring, row.keyId);
      if (key === undefined)
        return {
          kind: 'unreadable',
          label: row.label,
          keyId: row.keyId,
          reason: 'its key id is not in TELEGRAM_SESSION_PREVIOUS_KEYS',
        } as const;
      let session: string;
      try {
        session = decryptSession(
          {
            keyId: row.keyId,
            iv: Buffer.from(row.iv),
            authTag: Buffer.from(row.authTag),
            ciphertext: Buffer.from(row.ciphertext),
          },
          key,
          accountId,
        );
      } catch {
        return {
          kind: 'unreadable',
          label: row.label,
          keyId: row.keyId,
          reason: `the key with id "${row.keyId}" does not decrypt it`,
        } as const;
      }
      const encrypted = encryptSession(session, ring.current, accountId);
      await db.query(
        `UPDATE account_sessions SET key_id = $2, iv = decode($3, 'base64'), auth_tag = decode($4, 'base64'), ciphertext = decode($5, 'base64'), updated_at = now()
         WHERE account_id = $1::int`,
        [
          accountId,
          encrypted.keyId,
          encrypted.iv.toString('base64'),
          encrypted.authTag.toString('base64'),
          encrypted.ciphertext.toString('base64'),
        ],
      );
      return { kind: 'moved', from: row.keyId } as const;
    });
    if (outcome.kind === 'current') alreadyCurrent += 1;
    else if (outcome.kind === 'moved') reencrypted.set(outcome.from, (reencrypted.get(outcome.from) ?? 0) + 1);
    else if (outcome.kind === 'unreadable')
      unreadable.push({ accountLabel: outcome.label, keyId: outcome.keyId, reason: outcome.reason });
  }
  return { currentKeyId: ring.current.keyId, reencrypted, alreadyCurrent, unreadable };
}
