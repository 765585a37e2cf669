// Decides which PostgreSQL the process uses: the one in DATABASE_URL, or — outside production, when
// none is configured — an embedded server in a project-local folder, announced loudly in the log.
// The embedded server is development-only code (src/dev/embedded-postgres/): it is imported only on
// that path, so production never loads it.
import { AppError } from '../errors/app-error.ts';
import { redactDatabaseUrl } from '../observability/redaction.ts';
import { parseDatabaseUrl } from './database-url.ts';
import type { AppLogger } from '../observability/app-logger.ts';

export type DatabaseSource = 'external' | 'embedded';

export interface ResolvedDatabase {
  url: string;
  source: DatabaseSource;
  /** Stops the embedded server if this process started it; a no-op for an external database. */
  stop(): Promise<void>;
}

export interface ResolveDatabaseOptions {
  /** DATABASE_URL as configured; undefined or empty when not set. */
  databaseUrl?: string | undefined;
  production: boolean;
  embedded: { dataDir: string; port: number; database?: string };
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
}

export class DatabaseConfigError extends AppError<'missing-database-url'> {
  constructor(kind: 'missing-database-url', message: string) {
    super(message, { kind, userMistake: true });
  }
}

/**
 * Throws DatabaseConfigError (production without a URL), DatabaseUrlError (malformed URL; its
 * message never contains the password) or EmbeddedPostgresError (the embedded server failed).
 */
export async function resolveDatabase(options: ResolveDatabaseOptions): Promise<ResolvedDatabase> {
  const { logger, embedded } = options;
  const configured = options.databaseUrl?.trim();
  if (configured) {
    parseDatabaseUrl(configured, 'DATABASE_URL');
    logger.info({ database: redactDatabaseUrl(configured) }, `using the database at ${redactDatabaseUrl(configured)}`);
    return { url: configured, source: 'external', stop: async () => {} };
  }
  if (options.production) {
    throw new DatabaseConfigError(
      'missing-database-url',
      'DATABASE_URL is not set. In production the job needs your PostgreSQL server: set ' +
        'DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/DATABASE (the embedded PostgreSQL is for development only).',
    );
  }
  logger.warn(
    { dataDir: embedded.dataDir, port: embedded.port },
    `DATABASE_URL is not set: starting an EMBEDDED PostgreSQL (development only) with its data in ${embedded.dataDir}, ` +
      `listening on 127.0.0.1:${embedded.port}. Set DATABASE_URL to use your own PostgreSQL server.`,
  );
  const { startEmbeddedPostgres } = await import('../dev/embedded-postgres/server.ts');
  const server = await startEmbeddedPostgres({ ...embedded, logger });
  logger.info(
    { database: redactDatabaseUrl(server.url) },
    `using the embedded database at ${redactDatabaseUrl(server.url)}`,
  );
  return { url: server.url, source: 'embedded', stop: () => server.stop() };
}
