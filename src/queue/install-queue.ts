import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import { pgClientConfig } from '../db/connection-config.ts';
import type { AppLogger } from '../observability/app-logger.ts';
import { queueLogger, queueSchemaFor } from './queue-settings.ts';

/**
 * Installs or upgrades the job queue's schema with graphile-worker's own migrator. Its migrations
 * ship inside the npm package (no download), so this works offline; `db migrate` runs it right after
 * the project's migrations, as the same database user. The worker runs the same migrator at start
 * and finds nothing to do, so a least-privileged worker role only needs to read its bookkeeping.
 */
export async function installJobQueue(
  databaseUrl: string,
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'> & Partial<Pick<AppLogger, 'debug'>>,
): Promise<void> {
  const pool = new pg.Pool({ ...pgClientConfig(databaseUrl, 'tg-dialog-sync migrate queue'), max: 1 });
  pool.on('error', () => undefined);
  // A dropped connection fails the query under way; graphile-worker also asks for a handler per client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await runMigrations({ pgPool: pool, schema: queueSchemaFor(databaseUrl), logger: queueLogger(logger) });
  } finally {
    await pool.end().catch(() => undefined);
  }
}
