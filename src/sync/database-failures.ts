/**
 * A run's database steps, with their failures named as the database's. When PostgreSQL goes away
 * mid-run, the driver's words alone ("Client has encountered a connection error and is not
 * queryable") end up as the run's error, which does not say what failed. Errors the run itself
 * raises inside a transaction (AppErrors: interrupted, deferred…) pass through unchanged.
 */
import { AppError } from '../errors/app-error.ts';
import { describeError } from '../observability/error-text.ts';
import type { Transactor } from '../store/transaction.ts';

export class RunDatabaseError extends AppError<'database'> {
  constructor(override readonly cause: unknown) {
    const text = describeError(cause);
    super(text.startsWith('database error') ? text : `database error: ${text}`, { kind: 'database' });
  }
}

export function namingDatabaseFailures(transact: Transactor): Transactor {
  return async (work) => {
    try {
      return await transact(work);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new RunDatabaseError(error);
    }
  };
}
