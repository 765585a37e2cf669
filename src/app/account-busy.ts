/** Taking an account's lock for a command, with the one error that says another process has it. */
import { AppError } from '../errors/app-error.ts';
import { tryAcquireAccountLock, type AccountLock } from '../db/account-lock.ts';
import type { Runtime } from './runtime.ts';

/** Another process (a sync, the worker, another login) holds the account's lock. */
export class AccountBusyError extends AppError<'account_busy'> {
  constructor(
    readonly accountLabel: string,
    action: string,
  ) {
    super(
      `account "${accountLabel}" is in use by another process (a sync run or another login holds its lock): ${action} when it has finished`,
      { kind: 'account_busy' },
    );
  }
}

/**
 * Runs `work` holding the account's advisory lock, the same lock sync runs take, so a login or logout
 * never overlaps a sync of that account (using one session from two processes kills it).
 */
export async function withAccountLock<Result>(
  runtime: Runtime,
  account: { id: number; label: string },
  action: string,
  work: (lock: AccountLock) => Promise<Result>,
): Promise<Result> {
  const lock = await tryAcquireAccountLock({ databaseUrl: runtime.databaseUrl, accountId: account.id });
  if (lock === null) throw new AccountBusyError(account.label, action);
  try {
    return await work(lock);
  } finally {
    await lock.release();
  }
}
