import type { SqlExecutor } from './sql-executor.ts';

/** The part of a Prisma client (or interactive-transaction client) the writers use. */
export interface RawQueryClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/** Runs the writers' statements through Prisma, inside whatever transaction `client` belongs to. */
export function prismaExecutor(client: RawQueryClient): SqlExecutor {
  return {
    query: <Row>(sql: string, params: readonly unknown[]) => client.$queryRawUnsafe<Row[]>(sql, ...params),
  };
}
