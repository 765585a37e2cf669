import type { SqlExecutor } from '../store/sql-executor.ts';
import { deleteAccountSession, loadAccountSession, saveAccountSession } from '../store/accounts/sessions.ts';
import { decryptSession, encryptSession, type SessionKey } from './session-crypto.ts';
import { SessionUnreadableError, type SessionStore } from './session-store.ts';

/**
 * Sessions in account_sessions, encrypted with AES-256-GCM under TELEGRAM_SESSION_ENCRYPTION_KEY (the
 * dashboards role cannot read the table at all). A session encrypted under another key id cannot be
 * read: the error names both ids so the operator knows which key to supply.
 */
export function databaseSessionStore(db: SqlExecutor, key: SessionKey): SessionStore {
  return {
    async load(label, accountId) {
      const stored = await loadAccountSession(db, accountId);
      if (stored === null) return null;
      if (stored.keyId !== key.keyId) {
        throw new SessionUnreadableError(label, `it was encrypted with key id "${stored.keyId}" but TELEGRAM_SESSION_KEY_ID is "${key.keyId}"`);
      }
      try {
        return decryptSession(stored, key, accountId);
      } catch {
        throw new SessionUnreadableError(label, 'TELEGRAM_SESSION_ENCRYPTION_KEY does not decrypt it (wrong key, or the row was altered)');
      }
    },
    async save(_label, accountId, session) {
      await saveAccountSession(db, accountId, encryptSession(session, key, accountId));
    },
    async remove(_label, accountId) {
      await deleteAccountSession(db, accountId);
    },
    location() {
      return 'the database table account_sessions (TELEGRAM_SESSION_ENCRYPTION_KEY is set)';
    },
  };
}
