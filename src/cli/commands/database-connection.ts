/**
 * One plain connection for the commands that inspect a database without opening the whole runtime
 * (`db status`, `config check`): they must work before the migrations are applied and without
 * Telegram settings. A failure to connect is one line, the URL's password masked.
 */
import pg from 'pg';
import { redactDatabaseUrl } from '../../observability/redaction.ts';
import { pgClientConfig } from '../../db/connection-config.ts';
import type { SqlExecutor } from '../../store/sql-executor.ts';
import { DatabaseUnreachableError, databaseErrorReason } from './cli-runtime.ts';

export interface DatabaseConnection {
  readonly db: SqlExecutor;
  /** e.g. "15.10" */
  readonly serverVersion: string;
  close(): Promise<void>;
}

/** @throws DatabaseUnreachableError */
export async function connectDatabase(databaseUrl: string): Promise<DatabaseConnection> {
  const client = new pg.Client(pgClientConfig(databaseUrl, 'tg-dialog-sync'));
  // A connection lost later surfaces on the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  let serverVersion: string;
  try {
    await client.connect();
    serverVersion =
      (
        await client.query<{ version: string }>(`SELECT current_setting('server_version') AS version`)
      ).rows[0]?.version.split(' ')[0] ?? 'unknown';
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new DatabaseUnreachableError(redactDatabaseUrl(databaseUrl), databaseErrorReason(error));
  }
  return {
    db: {
      query: async <Row>(sql: string, params: readonly unknown[]) =>
        (await client.query(sql, [...params])).rows as Row[],
    },
    serverVersion,
    close: () => client.end().catch(() => undefined),
  };
}
