// Creating and dropping whole databases on a server (scratch databases for the drift check, per-test
// databases cloned from a template). Needs a role with CREATEDB.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabaseName } from './database-url.ts';

export interface CreatedDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A unique, valid, lowercase database name such as `drift_1f3a9c0d2b`. */
export function uniqueDatabaseName(prefix: string): string {
  const safePrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  return `${safePrefix}_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

/** Runs `fn` with a connection to the maintenance database (`postgres`) of the server in `serverUrl`. */
export async function withAdminClient<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface CreateDatabaseOptions {
  /** Any URL on the target server; its database part is ignored. */
  serverUrl: string;
  name: string;
  /** Clone this database (CREATE DATABASE … TEMPLATE …); it must have no open connections. */
  template?: string;
}

export async function createDatabase(options: CreateDatabaseOptions): Promise<CreatedDatabase> {
  const { serverUrl, name, template } = options;
  await withAdminClient(serverUrl, async (client) => {
    const templateClause = template ? ` TEMPLATE ${quoteIdentifier(template)}` : '';
    await client.query(`CREATE DATABASE ${quoteIdentifier(name)}${templateClause}`);
  });
  return {
    name,
    url: withDatabaseName(serverUrl, name),
    drop: () => dropDatabase(serverUrl, name),
  };
}

/** Drops the database, disconnecting anyone still connected (WITH (FORCE), PostgreSQL 13+). */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

export async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  return withAdminClient(serverUrl, async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  });
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
