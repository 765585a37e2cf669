import type { AppLogger } from '../observability/app-logger.ts';
import { Logger, type LogFunctionFactory } from 'graphile-worker';
import { schemaOfDatabaseUrl } from '../db/connection-config.ts';

/**
 * The job queue's schema (graphile-worker's tables and functions). It is not one of the project's
 * Prisma-managed schemas — the drift check compares those only — and it follows DATABASE_URL's
 * `?schema=`: two installations in two schemas of one database get two queues, as they get two sets
 * of account locks.
 */
export function queueSchemaFor(databaseUrl: string): string {
  const schema = schemaOfDatabaseUrl(databaseUrl);
  return schema === null || schema === 'public' ? 'graphile_worker' : `${schema}_graphile_worker`;
}

/** graphile-worker's log lines through the job's logger (and so through its secret scrubbing). */
export function queueLogger(
  // debug is optional: the migration runner's logger has no debug level.
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'> & Partial<Pick<AppLogger, 'debug'>>,
): Logger {
  const factory: LogFunctionFactory = (scope) => (level, message, meta) => {
    const fields = { component: 'job-queue', ...scope, ...(meta === undefined ? {} : { meta }) };
    if (level === 'error') logger.error(fields, message);
    else if (level === 'warning') logger.warn(fields, message);
    else if (level === 'info') logger.info(fields, message);
    else logger.debug?.(fields, message);
  };
  return new Logger(factory);
}
