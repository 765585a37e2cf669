import { ensureAccount, findAccountByLabel, recordLogin, type AccountRecord } from '../store/accounts/accounts.ts';
import { deleteUnusedAccount } from '../store/accounts/delete-unused-account.ts';
import { findAccountByTelegramUser } from '../store/accounts/find-account-by-telegram-user.ts';
import {
  BOT_REFUSAL,
  inspectSession,
  LoginError,
  loginWithCode,
  loginWithQrCode,
  logOutSession,
  type LoginQuestions,
  type LoginResult,
  type SessionOwner,
} from '../telegram/login.ts';
import { withAccountLock } from './account-busy.ts';
import type { Runtime } from './runtime.ts';
import { telegramAccess } from './telegram-access.ts';
import { printableText } from '../peers/printable-text.ts';

export type LoginMethod =
  | { readonly kind: 'code'; readonly questions: LoginQuestions }
  | { readonly kind: 'qr'; readonly questions: LoginQuestions; readonly timeoutMs: number }
  | { readonly kind: 'session'; readonly session: string };

export interface LoginOutcome {
  readonly account: AccountRecord;
  readonly owner: SessionOwner;
  /** The stored session; the caller prints it only when explicitly asked to. */
  readonly session: string;
  readonly created: boolean;
}

/** Labels as used on the command line, in file names and in peers files. */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function assertAccountLabel(label: string): void {
  if (!LABEL.test(label)) {
    throw new LoginError(
      `"${printableText(label)}" is not a valid account label: use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      'LABEL_INVALID',
    );
  }
}

/**
 * Logs an account in (creating it on first login) while holding its lock, refuses bots, stores the
 * session in the session store and records the login (telegram_user_id, status active). A failed
 * first login leaves no account behind.
 */
export async function loginAccount(
  runtime: Runtime,
  label: string,
  method: LoginMethod,
  signal?: AbortSignal,
): Promise<LoginOutcome> {
  assertAccountLabel(label);
  const existing = await findAccountByLabel(runtime.db, label);
  const account = existing ?? (await ensureAccount(runtime.db, label));
  // Nothing is deleted when the lock is busy: the holder (perhaps a login that created the row
  // itself) owns the account, and a failed first login cleans up while it still holds the lock.
  return withAccountLock(runtime, account, 'log in again', async () => {
    try {
      // Read again under the lock: another login may have finished meanwhile.
      const current = (await findAccountByLabel(runtime.db, label)) ?? account;
      return await loginLocked(runtime, current, method, signal, existing === null);
    } catch (error) {
      if (existing === null) await deleteUnusedAccount(runtime.db, account.id).catch(() => undefined);
      throw error;
    }
  });
}

async function loginLocked(
  runtime: Runtime,
  account: AccountRecord,
  method: LoginMethod,
  signal: AbortSignal | undefined,
  created: boolean,
): Promise<LoginOutcome> {
  const access = telegramAccess(runtime);
  let result: LoginResult;
  if (method.kind === 'session') {
    runtime.secrets.add(method.session);
    result = { session: method.session, owner: await inspectSession(access, method.session) };
  } else if (method.kind === 'code') {
    result = await loginWithCode(access, method.questions, signal);
  } else {
    result = await loginWithQrCode(access, method.questions, {
      timeoutMs: method.timeoutMs,
      ...(signal ? { signal } : {}),
    });
  }
  runtime.secrets.add(result.session);
  const refusal = await refusalFor(runtime, account, result.owner);
  if (refusal !== null) {
    // A session this login created is closed again; an imported one belongs to the caller.
    if (method.kind !== 'session') await logOutSession(access, result.session).catch(() => undefined);
    throw refusal;
  }
  const replaced = await runtime.sessions.load(account.label, account.id).catch(() => null);
  await runtime.sessions.save(account.label, account.id, result.session);
  await recordLogin(runtime.db, account.id, result.owner.userId);
  runtime.logger.info(
    { account: account.label, telegramUserId: result.owner.userId.toString(), method: method.kind },
    'logged in',
  );
  if (replaced !== null && replaced !== result.session) {
    // The session this login replaced would otherwise stay authorised at Telegram, unused.
    runtime.secrets.add(replaced);
    const ended = await logOutSession(access, replaced).catch((error: unknown) => error);
    if (ended instanceof Error)
      runtime.logger.warn(
        { account: account.label, error: ended.message },
        'could not log the replaced session out; end it under Settings → Devices',
      );
    else runtime.logger.info({ account: account.label, telegram: ended }, 'logged the replaced session out');
  }
  const updated = (await findAccountByLabel(runtime.db, account.label)) ?? account;
  return { account: updated, owner: result.owner, session: result.session, created };
}

async function refusalFor(runtime: Runtime, account: AccountRecord, owner: SessionOwner): Promise<LoginError | null> {
  if (owner.isBot) return new LoginError(`this session belongs to a bot; ${BOT_REFUSAL}`, 'bot');
  if (account.telegramUserId !== null && account.telegramUserId !== owner.userId) {
    return new LoginError(
      `account "${account.label}" belongs to Telegram user ${account.telegramUserId}, but this login is user ${owner.userId}: ` +
        'use a new label for another Telegram account',
      'OTHER_USER',
    );
  }
  const other = await findAccountByTelegramUser(runtime.db, owner.userId, account.id);
  if (other !== null) {
    return new LoginError(
      `Telegram user ${owner.userId} is already the account "${other}": log in with --account ${other} instead`,
      'DUPLICATE_USER',
    );
  }
  return null;
}
