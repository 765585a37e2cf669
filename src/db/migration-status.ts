/**
 * Whether the database has every migration of this program applied. An unmigrated database used to be
 * accepted: the worker said "worker started" and every command then failed on `relation "accounts"
 * does not exist`. Commands check this once at start-up (one small query) and stop with the fix.
 */
import { AppError } from '../errors/app-error.ts';
import { fileURLToPath } from 'node:url';
import { redactDatabaseUrl } from '../observability/redaction.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import { readLocalMigrations } from './migrations-folder.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export class DatabaseNotMigratedError extends AppError<'database_not_migrated'> {
  constructor(
    where: string,
    readonly missing: readonly string[],
    total: number,
  ) {
    super(
      `the database at ${where} is not migrated (${missing.length} of ${total} migrations not applied` +
        `${missing.length === total ? '' : `, first ${missing[0]}`}): run \`tg-dialog-sync db migrate\``,
      { kind: 'database_not_migrated', userMistake: true },
    );
  }
}

/** Names of this program's migrations that are not applied (finished and not rolled back). */
export async function missingMigrations(db: SqlExecutor, migrationsDir = MIGRATIONS_DIR): Promise<string[]> {
  const local = (await readLocalMigrations(migrationsDir)).map((migration) => migration.name);
  const [table] = await db.query<{ history: boolean; readable: boolean; tables: boolean }>(
    `SELECT h.oid IS NOT NULL AS history,
            h.oid IS NOT NULL AND has_table_privilege(h.oid, 'SELECT') AS readable,
            to_regclass(format('%I.accounts', current_schema())) IS NOT NULL AS tables
     FROM (SELECT to_regclass(format('%I._prisma_migrations', current_schema()))::oid AS oid) h`,
    [],
  );
  if (table?.history !== true) return local;
  // The least-privileged worker role may not read the history (only the owner migrates): then the
  // tables being there is what can be checked.
  if (!table.readable) return table.tables ? [] : local;
  const applied = await db.query<{ name: string }>(
    `SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    [],
  );
  const done = new Set(applied.map((row) => row.name));
  return local.filter((name) => !done.has(name));
}

/** @throws DatabaseNotMigratedError naming `db migrate` */
export async function assertDatabaseMigrated(
  db: SqlExecutor,
  databaseUrl: string,
  migrationsDir = MIGRATIONS_DIR,
): Promise<void> {
  const missing = await missingMigrations(db, migrationsDir);
  if (missing.length === 0) return;
  const total = (await readLocalMigrations(migrationsDir)).length;
  throw new DatabaseNotMigratedError(redactDatabaseUrl(databaseUrl), missing, total);
}
