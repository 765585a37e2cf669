/**
 * Where an account's Telegram session string lives. A session string is full access to the account:
 * implementations keep it in a 0600 file or encrypted in the database, and never log it.
 */
import { AppError } from '../errors/app-error.ts';

export interface SessionStore {
  /** The stored session, or null when the account has none (never logged in, or logged out). */
  load(accountLabel: string, accountId: number): Promise<string | null>;
  save(accountLabel: string, accountId: number, session: string): Promise<void>;
  remove(accountLabel: string, accountId: number): Promise<void>;
  /** Where this store looks for the account's session, for messages (a path or a table; never the session). */
  location(accountLabel: string): string;
}

/** A stored session that cannot be read back (wrong key, tampered ciphertext, unreadable file). */
export class SessionUnreadableError extends AppError<'session_unreadable'> {
  constructor(
    readonly accountLabel: string,
    reason: string,
  ) {
    super(`the stored session of account "${accountLabel}" cannot be read: ${reason}`, { kind: 'session_unreadable' });
  }
}
