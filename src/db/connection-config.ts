// How every connection of the job honours the schema a DATABASE_URL names with `?schema=` (Prisma's
// parameter: `prisma migrate` and the job's own migration runner create the tables there). node-postgres
// ignores the parameter, and the job's SQL names its tables without a schema, so each connection gets
// the schema as its search_path from the first statement on — through the startup `options` (as
// `psql "…?options=-csearch_path=…"` would), which also holds after a reconnect of a pooled client.

/** The schema DATABASE_URL names with `?schema=`, or null for the server's default search path. */
export function schemaOfDatabaseUrl(databaseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return null; // not a URL: nothing to honour (callers validate URLs with parseDatabaseUrl first)
  }
  const schema = url.searchParams.get('schema');
  return schema === null || schema === '' ? null : schema;
}

/**
 * The connection string node-postgres should use for `databaseUrl`: the same, with the schema of
 * `?schema=` (when there is one) set as the session's search_path through the startup `options`
 * parameter, after any `options` the URL already has.
 */
export function connectionStringFor(databaseUrl: string): string {
  const schema = schemaOfDatabaseUrl(databaseUrl);
  if (schema === null) return databaseUrl;
  const url = new URL(databaseUrl);
  const setting = `-c search_path=${escapeOptionValue(quoteIdentifier(schema))}`;
  const existing = url.searchParams.get('options');
  url.searchParams.set('options', existing === null || existing.trim() === '' ? setting : `${existing} ${setting}`);
  return url.toString();
}

/** The same URL without `?schema=`: for a database of the job's own (a scratch one), which uses public. */
export function withoutSchema(databaseUrl: string): string {
  if (schemaOfDatabaseUrl(databaseUrl) === null) return databaseUrl;
  const url = new URL(databaseUrl);
  url.searchParams.delete('schema');
  return url.toString();
}

/** node-postgres client settings for `databaseUrl`, schema included. */
export function pgClientConfig(
  databaseUrl: string,
  applicationName: string,
): { connectionString: string; application_name: string } {
  return { connectionString: connectionStringFor(databaseUrl), application_name: applicationName };
}

/** A double-quoted SQL identifier (case kept, quotes doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** In the startup `options`, spaces separate arguments and a backslash escapes the next character. */
function escapeOptionValue(value: string): string {
  return value.replace(/[\\\s]/g, (character) => `\\${character}`);
}
