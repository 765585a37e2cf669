/**
 * What the `db` commands need, taken from the configuration layer (`loadDatabaseConfig`: NODE_ENV,
 * the database and logging options only), so migrating or checking a database works on a machine
 * (CI, a fresh checkout) without Telegram credentials while the option registry stays the one
 * reader of settings. The schema and migrations are the program's own files, wherever it is run from.
 */
import { fileURLToPath } from 'node:url';
import { loadDatabaseConfig, type DatabaseOnlyConfig, type LoadConfigOptions } from '../config/index.ts';
import type { ResolveDatabaseOptions } from '../db/connect.ts';
import { MIGRATIONS_DIR } from '../db/migration-status.ts';
import { createLogger, type Logger } from '../observability/logger.ts';

export interface DatabaseCliSettings {
  readonly config: DatabaseOnlyConfig;
  /** What `resolveDatabase` is called with (the embedded server only applies without DATABASE_URL). */
  readonly database: ResolveDatabaseOptions;
  readonly logger: Logger;
  readonly schemaPath: string;
  readonly migrationsDir: string;
}

export const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

export interface DatabaseCliOptions extends LoadConfigOptions {
  /** Logs on stderr, for commands whose stdout is a report (default: stdout, like the worker's). */
  readonly logsOnStderr?: boolean;
}

/** @throws ConfigError listing every problem of the database and logging options */
export function readDatabaseCliSettings(options: DatabaseCliOptions = {}): DatabaseCliSettings {
  const config = loadDatabaseConfig(options);
  return { config, ...databaseCliSettingsFor(config, options.logsOnStderr === true) };
}

/** The logger and resolveDatabase's options for an already loaded configuration (the full one is a superset). */
export function databaseCliSettingsFor(
  config: DatabaseOnlyConfig,
  logsOnStderr: boolean,
): Omit<DatabaseCliSettings, 'config'> {
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    production: config.production,
    ...(logsOnStderr ? { destination: process.stderr, isTty: process.stderr.isTTY === true } : {}),
  });
  for (const warning of config.warnings) logger.warn({}, warning);
  const database: ResolveDatabaseOptions = {
    databaseUrl: config.database.kind === 'external' ? config.database.url : undefined,
    production: config.production,
    embedded:
      config.database.kind === 'embedded'
        ? { dataDir: config.database.dataDir, port: config.database.port }
        : // Unused with an external database; resolveDatabase only reads it without DATABASE_URL.
          { dataDir: '', port: 0 },
    logger,
  };
  return { database, logger, schemaPath: SCHEMA_PATH, migrationsDir: MIGRATIONS_DIR };
}
