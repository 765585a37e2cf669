import path from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_EMBEDDED_DATA_DIR, DEFAULT_EMBEDDED_PORT } from '../../config/embedded-postgres-defaults.ts';
import { loadDatabaseConfig } from '../../config/index.ts';
import { resolveDatabase } from '../../db/connect.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { createLogger } from '../../observability/logger.ts';

/** `db migrate`: apply prisma/migrations offline, recorded exactly as `prisma migrate deploy` would. */
export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply the migrations in prisma/migrations (works offline; Prisma-compatible bookkeeping)')
    .action(async () => {
      const config = loadDatabaseConfig();
      const logger = createLogger({
        level: config.log.level,
        format: config.log.format,
        production: config.production,
      });
      const database = await resolveDatabase({
        databaseUrl: config.database.kind === 'external' ? config.database.url : undefined,
        production: config.production,
        embedded:
          config.database.kind === 'embedded'
            ? { dataDir: config.database.dataDir, port: config.database.port }
            : { dataDir: path.resolve(DEFAULT_EMBEDDED_DATA_DIR), port: DEFAULT_EMBEDDED_PORT },
        logger,
      });
      try {
        const result = await migrateDatabase({
          databaseUrl: database.url,
          migrationsDir: path.resolve(import.meta.dirname, '../../../prisma/migrations'),
          logger,
        });
        process.stdout.write(
          `${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied\n`,
        );
      } finally {
        await database.stop();
      }
    });
}
