// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (or, outside production, to the
// embedded PostgreSQL), the same way `prisma migrate deploy` does.
import { resolveDatabase } from '../db/connect.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { createLogger } from '../observability/logger.ts';
import { readDatabaseCliSettings, reportCliFailure } from './database-cli-settings.ts';

async function main(): Promise<void> {
  const settings = readDatabaseCliSettings();
  const logger = createLogger({ level: 'info', format: 'auto', production: settings.production });
  const database = await resolveDatabase({ ...settings, logger });
  try {
    await migrateDatabase({ databaseUrl: database.url, migrationsDir: settings.migrationsDir, logger });
  } finally {
    await database.stop();
  }
}

main().catch(reportCliFailure);
