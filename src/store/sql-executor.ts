import type { BatchWriteResult } from './write-batch.ts';

/**
 * The one thing the writers need from a database connection: run a statement with parameters inside
 * the caller's transaction and return its rows. Implemented on a Prisma transaction client in
 * prisma-executor.ts; keeping the writers on this interface keeps them free of connection handling.
 */
export interface SqlExecutor {
  query<Row>(sql: string, params: readonly unknown[]): Promise<Row[]>;
  /** Told what every batch write through this executor inserted and updated: a run's transactions count it (src/sync/commit-counted.ts). */
  readonly onBatchWritten?: (written: BatchWriteResult) => void;
}
