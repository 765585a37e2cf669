import { prismaExecutor, type RawQueryClient } from './prisma-executor.ts';
import type { SqlExecutor } from './sql-executor.ts';

/** Runs `work` in one short database transaction. */
export type Transactor = <Result>(work: (db: SqlExecutor) => Promise<Result>) => Promise<Result>;

/** The part of a Prisma client that opens interactive transactions. */
export interface TransactionClient {
  $transaction<Result>(
    work: (tx: RawQueryClient) => Promise<Result>,
    options?: { maxWait?: number; timeout?: number },
  ): Promise<Result>;
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be retried. */
const RETRYABLE = /\b(40P01|40001)\b|deadlock detected|could not serialize/i;
const MAX_ATTEMPTS = 5;

/**
 * Transactions through Prisma, retried on deadlocks and serialization failures (rows are written in
 * key order so deadlocks should not happen, but a retry is cheap insurance).
 */
export function prismaTransactor(client: TransactionClient): Transactor {
  return async (work) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await client.$transaction((tx) => work(prismaExecutor(tx)), { maxWait: 10_000, timeout: 60_000 });
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRYABLE.test(errorText(error))) throw error;
      }
    }
  };
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const meta = (error as { meta?: unknown }).meta;
  return `${error.message} ${meta === undefined ? '' : JSON.stringify(meta)}`;
}
