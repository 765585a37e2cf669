/**
 * `db migrate`, `db status` and `db check-drift`: database maintenance that never talks to Telegram, so it runs
 * with the database settings alone (the one entry point for `npm run db:migrate` / `db:check-drift`,
 * the Compose `migrate` service and the image).
 */
import type { Command } from 'commander';
import { resolveDatabase } from '../../db/connect.ts';
import { redactDatabaseUrl } from '../../observability/redaction.ts';
import { compareDatabaseWithSchema } from '../../db/database-drift.ts';
import { checkDrift } from '../../db/drift.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { missingMigrations } from '../../db/migration-status.ts';
import { readLocalMigrations } from '../../db/migrations-folder.ts';
import {
  readDatabaseCliSettings,
  type DatabaseCliOptions,
  type DatabaseCliSettings,
} from '../database-cli-settings.ts';
import { connectDatabase } from './database-connection.ts';

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
  db.command('status')
    .description(
      'show which migrations are applied and pending, and whether the database matches prisma/schema.prisma; exit 1 when not',
    )
    .action(async () => {
      await withDatabase(
        async (settings, databaseUrl) => {
          const connection = await connectDatabase(databaseUrl);
          try {
            const local = await readLocalMigrations(settings.migrationsDir);
            const missing = new Set(await missingMigrations(connection.db, settings.migrationsDir));
            const out = (line: string) => process.stdout.write(`${line}\n`);
            out(`Database: ${redactDatabaseUrl(databaseUrl)} (PostgreSQL ${connection.serverVersion})`);
            out(`Migrations: ${local.length - missing.size} of ${local.length} applied`);
            for (const migration of local)
              out(`  ${missing.has(migration.name) ? 'pending' : 'applied'}  ${migration.name}`);
            if (missing.size > 0) {
              out('Schema: not compared while migrations are pending');
              process.stderr.write(`${missing.size} migration(s) pending: run \`tg-dialog-sync db migrate\`\n`);
              process.exitCode = 1;
              return;
            }
            const differences = await compareDatabaseWithSchema({ schemaPath: settings.schemaPath, databaseUrl });
            if (differences.length === 0) {
              out('Schema: matches prisma/schema.prisma');
              return;
            }
            out(`Schema: ${differences.length} difference(s) from prisma/schema.prisma:`);
            for (const line of differences) out(`  - ${line}`);
            process.stderr.write(
              'the database differs from prisma/schema.prisma: it was changed outside the migrations (undo that change) ' +
                'unless `tg-dialog-sync db check-drift` fails too (then the migrations need fixing)\n',
            );
            process.exitCode = 1;
          } finally {
            await connection.close();
          }
        },
        { logsOnStderr: true },
      );
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
  options: DatabaseCliOptions = {},
): Promise<void> {
  const settings = readDatabaseCliSettings(options);
  const database = await resolveDatabase(settings.database);
  try {
    await work(settings, database.url);
  } finally {
    await database.stop();
  }
}
