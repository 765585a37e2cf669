/**
 * `db migrate` and `db check-drift`: database maintenance that never talks to Telegram, so it runs
 * with the database settings alone (the one entry point for `npm run db:migrate` / `db:check-drift`,
 * the Compose `migrate` service and the image).
 */
import type { Command } from 'commander';
import { resolveDatabase } from '../../db/connect.ts';
import { checkDrift } from '../../db/drift.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { readDatabaseCliSettings, type DatabaseCliSettings } from '../database-cli-settings.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply the migrations in prisma/migrations (works offline; Prisma-compatible bookkeeping)')
    .action(async () => {
      await withDatabase(async (settings, databaseUrl) => {
        const result = await migrateDatabase({
          databaseUrl,
          migrationsDir: settings.migrationsDir,
          logger: settings.logger,
        });
        process.stdout.write(
          `${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied\n`,
        );
      });
    });
  db.command('check-drift')
    .description(
      'check that prisma/schema.prisma and prisma/migrations describe the same database (in a scratch database; the role needs CREATEDB)',
    )
    .action(async () => {
      await withDatabase(async (settings, databaseUrl) => {
        const { differences } = await checkDrift({
          schemaPath: settings.schemaPath,
          migrationsDir: settings.migrationsDir,
          serverUrl: databaseUrl,
          logger: settings.logger,
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
      });
    });
}

/** The settings and the database (DATABASE_URL, or the embedded server outside production), stopped afterwards. */
async function withDatabase(
  work: (settings: DatabaseCliSettings, databaseUrl: string) => Promise<void>,
): Promise<void> {
  const settings = readDatabaseCliSettings();
  const database = await resolveDatabase(settings.database);
  try {
    await work(settings, database.url);
  } finally {
    await database.stop();
  }
}
