// `npm run db:check-drift`: fails (exit 1) when prisma/schema.prisma and prisma/migrations disagree.
// The migrations are applied to a scratch database on the server of DATABASE_URL (the role needs
// CREATEDB) or, without DATABASE_URL, on the embedded PostgreSQL.
import { resolveDatabase } from '../db/connect.ts';
import { checkDrift } from '../db/drift.ts';
import { createLogger } from '../observability/logger.ts';
import { readDatabaseCliSettings, reportCliFailure } from './database-cli-settings.ts';

async function main(): Promise<void> {
  const settings = readDatabaseCliSettings();
  const logger = createLogger({ level: 'info', format: 'auto', production: settings.production });
  const database = await resolveDatabase({ ...settings, logger });
  try {
    const { differences } = await checkDrift({
      schemaPath: settings.schemaPath,
      migrationsDir: settings.migrationsDir,
      serverUrl: database.url,
      logger,
    });
    if (differences.length > 0) {
      process.stderr.write(
        `prisma/schema.prisma and prisma/migrations disagree (${differences.length} difference(s)):\n` +
          differences.map((line) => `  - ${line}\n`).join('') +
          'Add a migration that makes the database match the schema (or fix the schema), then run this check again.\n',
      );
      process.exitCode = 1;
    } else {
      process.stdout.write('no drift: prisma/schema.prisma matches prisma/migrations\n');
    }
  } finally {
    await database.stop();
  }
}

main().catch(reportCliFailure);
