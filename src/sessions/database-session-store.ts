import type { SessionEncryptionConfig } from '../config/config-types.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import { deleteAccountSession, loadAccountSession, saveAccountSession } from '../store/accounts/sessions.ts';
import { decryptSession, encryptSession, type SessionKey } from './session-crypto.ts';
import { SessionUnreadableError, type SessionStore } from './session-store.ts';

/**
 * The keys a process knows: the current one (TELEGRAM_SESSION_ENCRYPTION_KEY, under which every
 * session is written) and previous ones (TELEGRAM_SESSION_PREVIOUS_KEYS) that sessions written
 * before a rotation may still be under, until `sessions reencrypt` moved them.
 */
export interface SessionKeyRing {
  readonly current: SessionKey;
  readonly previous: readonly SessionKey[];
}

export function keyRingFromConfig(encryption: SessionEncryptionConfig): SessionKeyRing {
  const decode = (key: { keyId: string; encryptionKey: string }): SessionKey => ({
    keyId: key.keyId,
    key: Buffer.from(key.encryptionKey, 'base64'),
  });
  return { current: decode(encryption), previous: encryption.previousKeys.map(decode) };
}

/** The key stored under this id, the current one first; undefined when this process does not know it. */
export function keyFor(ring: SessionKeyRing, keyId: string): SessionKey | undefined {
  return ring.current.keyId === keyId ? ring.current : ring.previous.find((key) => key.keyId === keyId);
}

/**
 * Sessions in account_sessions, encrypted with AES-256-GCM (the dashboards role cannot read the table
 * at all). A session is read with the key its row names; one under a key id this process does not
 * know cannot be read, and the error names the ids so the operator knows which key to supply.
 */
export function databaseSessionStore(db: SqlExecutor, ring: SessionKeyRing): SessionStore {
  return {
    async load(label, accountId) {
      const stored = await loadAccountSession(db, accountId);
      if (stored === null) return null;
      const key = keyFor(ring, stored.keyId);
      if (key === undefined) {
        throw new SessionUnreadableError(
          label,
          `it was encrypted with key id "${stored.keyId}", which is neither TELEGRAM_SESSION_KEY_ID ("${ring.current.keyId}") nor listed in TELEGRAM_SESSION_PREVIOUS_KEYS`,
        );
      }
      try {
        return decryptSession(stored, key, accountId);
      } catch {
        throw new SessionUnreadableError(
          label,
          `the key with id "${key.keyId}" does not decrypt it (wrong key, or the row was altered)`,
        );
      }
    },
    async save(_label, accountId, session) {
      await saveAccountSession(db, accountId, encryptSession(session, ring.current, accountId));
    },
    async remove(_label, accountId) {
      await deleteAccountSession(db, accountId);
    },
    location() {
      return 'the database table account_sessions (TELEGRAM_SESSION_ENCRYPTION_KEY is set)';
    },
  };
}
