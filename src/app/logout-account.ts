import { findAccountByLabel, listAccounts, setAccountStatus } from '../store/accounts/accounts.ts';
import { logOutSession } from '../telegram/login.ts';
import { withAccountLock } from './account-busy.ts';
import type { Runtime } from './runtime.ts';
import { UnknownAccountError } from './sync-now.ts';
import { telegramAccess } from './telegram-access.ts';

export interface LogoutOutcome {
  /** `logged_out`: Telegram ended the session; `already_invalid`: Telegram no longer knew it; `no_session`: nothing was stored. */
  readonly telegram: 'logged_out' | 'already_invalid' | 'no_session';
}

export const LOGGED_OUT_REASON = 'logged out with `tg-dialog-sync logout`; log in again with `tg-dialog-sync login`';

/**
 * Ends the account's Telegram session (auth.logOut; a session Telegram already forgot is fine),
 * deletes the stored session and marks the account needs_login — holding the account's lock. When
 * Telegram cannot be reached the stored session is kept, so the logout can be retried.
 */
export async function logoutAccount(runtime: Runtime, label: string): Promise<LogoutOutcome> {
  const account = await findAccountByLabel(runtime.db, label);
  if (account === null)
    throw new UnknownAccountError(
      label,
      (await listAccounts(runtime.db)).map((known) => known.label),
    );
  return withAccountLock(runtime, account, 'log out', async () => {
    const session = await runtime.sessions.load(account.label, account.id);
    let telegram: LogoutOutcome['telegram'] = 'no_session';
    if (session !== null) {
      runtime.secrets.add(session);
      telegram = await logOutSession(telegramAccess(runtime), session);
      await runtime.sessions.remove(account.label, account.id);
    }
    await setAccountStatus(runtime.db, account.id, 'needs_login', LOGGED_OUT_REASON);
    runtime.logger.info({ account: account.label, telegram }, 'logged out');
    return { telegram };
  });
}
