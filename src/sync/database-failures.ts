/**
 * A run's database steps, with their failures named as the database's. When PostgreSQL goes away
 * mid-run, the driver's words alone ("Client has encountered a connection error and is not
 * queryable") end up as the run's error, which does not say what failed. Errors the run itself
 * raises inside a transaction (they carry a `kind`: interrupted, deferred…) pass through unchanged.
 */
import { describeError } from '../observability/error-text.ts';
import type { Transactor } from '../store/transaction.ts';

export class RunDatabaseError extends Error {
  readonly kind = 'database';
  constructor(override readonly cause: unknown) {
    const text = describeError(cause);
    super(text.startsWith('database error') ? text : `database error: ${text}`);
    this.name = 'RunDatabaseError';
  }
}

export function namingDatabaseFailures(transact: Transactor): Transactor {
  return async (work) => {
    try {
      return await transact(work);
    } catch (error) {
      if (error instanceof Error && 'kind' in error) throw error;
      throw new RunDatabaseError(error);
    }
  };
}
