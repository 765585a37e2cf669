// Applies prisma/migrations to a database exactly the way Prisma's schema engine does for
// `prisma migrate deploy`, without the engine (which cannot be downloaded offline). The rows it writes
// in _prisma_migrations are indistinguishable from Prisma's, so `prisma migrate deploy|status` on a
// machine with internet reads a database migrated here as up to date, and vice versa.
//
// Deliberately the same as Prisma: the same advisory lock key, the same bookkeeping DDL, the same
// refusals (P3005, P3009), lexicographic order, the whole migration.sql sent as ONE simple-protocol
// query (multi-statement files and $$ bodies work, and the server runs the file as one implicit
// transaction, so a failure leaves nothing half-applied unless the file has its own BEGIN/COMMIT),
// and checksums are recorded but not compared on deploy.
import { asError } from '../errors/app-error.ts';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { quoteIdentifier, schemaOfDatabaseUrl } from './connection-config.ts';
import { redactDatabaseUrl } from '../observability/redaction.ts';
import { parseDatabaseUrl } from './database-url.ts';
import type { AppLogger } from '../observability/app-logger.ts';
import { MigrationError } from './migration-error.ts';
import { readLocalMigrations, type LocalMigration } from './migrations-folder.ts';
import { installJobQueue } from '../queue/install-queue.ts';

export { MigrationError, type MigrationErrorKind } from './migration-error.ts';

/** The advisory lock key of Prisma's schema engine; sharing it makes our runs and Prisma's exclusive. */
export const PRISMA_MIGRATION_LOCK_KEY = 72707369;

/** Prisma's DDL for its bookkeeping table, verbatim. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrateOptions {
  databaseUrl: string;
  /** e.g. `prisma/migrations` */
  migrationsDir: string;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
  /** How long to wait for another run's lock; Prisma waits 10 s. */
  lockTimeoutMs?: number;
}

export interface MigrateResult {
  /** Names of the migrations applied by this run, in order. */
  applied: string[];
  /** How many local migrations were already applied before this run. */
  alreadyApplied: number;
}

interface AppliedMigrationRow {
  id: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

export async function migrateDatabase(options: MigrateOptions): Promise<MigrateResult> {
  const { databaseUrl, migrationsDir, logger } = options;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  // Read the files first: a broken folder should fail before touching the database.
  const migrations = await readLocalMigrations(migrationsDir);

  const client = await connect(databaseUrl);
  try {
    await acquireMigrationLock(client, lockTimeoutMs);
    try {
      await ensureMigrationsTable(client, databaseUrl);
      const rows = await readAppliedMigrations(client);
      refuseIfFailedMigrationRecorded(rows);
      warnAboutUnknownMigrations(rows, migrations, logger);

      const appliedNames = new Set(rows.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
      const pending = migrations.filter((migration) => !appliedNames.has(migration.name));
      const alreadyApplied = migrations.length - pending.length;

      const applied: string[] = [];
      for (const migration of pending) {
        await applyMigration(client, migration, logger);
        applied.push(migration.name);
      }
      if (applied.length === 0) {
        logger.info({ alreadyApplied }, `database is up to date (${alreadyApplied} migration(s) applied earlier)`);
      } else {
        logger.info({ applied, alreadyApplied }, `applied ${applied.length} migration(s)`);
      }
      // The job queue's schema (graphile-worker's own migrator, bundled in its package: offline too),
      // by the same user, under the same lock. It is not Prisma's, and the drift check leaves it out.
      await installQueueSchema(databaseUrl, logger);
      // The worker role's grants on the queue's schema, now that it exists (a migration defines them).
      const { rows: grantFunction } = await client.query<{ present: boolean }>(
        `SELECT to_regprocedure('tgsync_grant_worker_queue_privileges()') IS NOT NULL AS present`,
      );
      if (grantFunction[0]?.present === true) await client.query('SELECT tgsync_grant_worker_queue_privileges()');
      return { applied, alreadyApplied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function installQueueSchema(
  databaseUrl: string,
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>,
): Promise<void> {
  try {
    await installJobQueue(databaseUrl, logger);
  } catch (error) {
    throw new MigrationError(
      'migration-failed',
      `Installing the job queue's schema (graphile-worker) failed: ${asError(error).message}. The project's migrations were applied; fix the cause and run the migrations again.`,
    );
  }
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  // Validate first: a malformed URL must fail with a redacted DatabaseUrlError, never with Node's
  // URL error, which carries the whole input (password included) in its `input` property.
  parseDatabaseUrl(databaseUrl, 'the database URL');
  // Prisma's URLs may carry ?schema=…; node-postgres ignores it, so apply it ourselves (and create it).
  const schema = schemaOfDatabaseUrl(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'tg-dialog-sync migrate' });
  // A dropped connection must surface as a failed query, not as an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    if (schema) {
      const quoted = quoteIdentifier(schema);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
      await client.query(`SET search_path TO ${quoted}`);
    }
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new MigrationError(
      'connection-failed',
      `Cannot connect to ${redactDatabaseUrl(databaseUrl)}: ${asError(error).message}. ` +
        'Check that PostgreSQL is running and that DATABASE_URL has the right host, port, user, password and database.',
    );
  }
  return client;
}

async function acquireMigrationLock(client: pg.Client, timeoutMs: number): Promise<void> {
  // pg_advisory_lock waits like any heavyweight lock, so lock_timeout bounds the wait.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new MigrationError(
        'lock-timeout',
        `Timed out after ${timeoutMs / 1000} s waiting for the migration lock (pg_advisory_lock(${PRISMA_MIGRATION_LOCK_KEY})): ` +
          'another migration run is in progress on this database. Wait for it to finish and run again; ' +
          `to find the holder: SELECT pid, application_name FROM pg_locks JOIN pg_stat_activity USING (pid) ` +
          `WHERE locktype = 'advisory' AND objid = ${PRISMA_MIGRATION_LOCK_KEY}.`,
      );
    }
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
}

async function ensureMigrationsTable(client: pg.Client, databaseUrl: string): Promise<void> {
  const exists = await client.query<{ exists: boolean }>(
    `SELECT to_regclass(format('%I._prisma_migrations', current_schema())) IS NOT NULL AS exists`,
  );
  if (exists.rows[0]?.exists) return;

  // Like Prisma (P3005): a schema that already has objects but no history was not created by
  // these migrations, and applying them over it would fail or, worse, half-succeed.
  const objects = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
     UNION ALL
     SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = current_schema() AND t.typtype = 'e'
      ORDER BY 1 LIMIT 6`,
  );
  if (objects.rows.length > 0) {
    const names = objects.rows.slice(0, 5).map((row) => row.name);
    throw new MigrationError(
      'database-not-empty',
      `The database ${redactDatabaseUrl(databaseUrl)} is not empty (it has ${names.join(', ')}${objects.rows.length > 5 ? ', …' : ''}) ` +
        'but has no _prisma_migrations table, so it was not created by these migrations (Prisma error P3005). ' +
        'Point DATABASE_URL at an empty database, or, if this database already matches the migrations, baseline it: ' +
        'record each migration as applied with `npx prisma migrate resolve --applied <migration_name>`.',
    );
  }
  await client.query(CREATE_MIGRATIONS_TABLE);
}

async function readAppliedMigrations(client: pg.Client): Promise<AppliedMigrationRow[]> {
  const result = await client.query<AppliedMigrationRow>(
    `SELECT id, migration_name, started_at, finished_at, rolled_back_at, logs
       FROM _prisma_migrations ORDER BY started_at ASC`,
  );
  return result.rows;
}

/** Prisma's P3009: nothing is applied while a failed migration is unresolved. */
function refuseIfFailedMigrationRecorded(rows: AppliedMigrationRow[]): void {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (!failed) return;
  const logs = failed.logs ? `\nIts error was:\n${failed.logs.trim()}` : '';
  throw new MigrationError(
    'failed-migration-recorded',
    `Migration "${failed.migration_name}" failed earlier (started ${failed.started_at.toISOString()}) and is recorded as failed ` +
      'in _prisma_migrations, so no further migrations are applied (Prisma error P3009). ' +
      'Its SQL ran as one transaction, so none of it was applied unless the file has its own BEGIN/COMMIT. ' +
      'Fix the cause (or the database), then mark it as rolled back — ' +
      `\`npx prisma migrate resolve --rolled-back ${failed.migration_name}\`, or in SQL: ` +
      `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = '${failed.id}' — and run the migration command again.` +
      logs,
    failed.migration_name,
  );
}

function warnAboutUnknownMigrations(
  rows: AppliedMigrationRow[],
  local: LocalMigration[],
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>,
): void {
  const localNames = new Set(local.map((migration) => migration.name));
  const unknown = rows
    .filter((row) => row.rolled_back_at === null && !localNames.has(row.migration_name))
    .map((row) => row.migration_name);
  if (unknown.length > 0) {
    // Prisma's deploy does not fail on these either; they usually mean an older checkout.
    logger.warn(
      { migrations: unknown },
      `the database has ${unknown.length} applied migration(s) that are not in the migrations folder (${unknown.join(', ')}); is this checkout older than the database?`,
    );
  }
}

async function applyMigration(
  client: pg.Client,
  migration: LocalMigration,
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>,
): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO _prisma_migrations (id, checksum, started_at, finished_at, migration_name, logs, rolled_back_at, applied_steps_count)
     VALUES ($1, $2, now(), NULL, $3, NULL, NULL, 0)`,
    [id, migration.checksum, migration.name],
  );
  try {
    // No parameters: node-postgres then uses the simple query protocol, which accepts many statements.
    await client.query(migration.script);
  } catch (error) {
    const logs = describeDatabaseError(error, migration.script);
    // Only needed when the file opened its own transaction and failed inside it; otherwise a no-op.
    await client.query('ROLLBACK').catch(() => undefined);
    await client.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, logs]);
    logger.error({ migration: migration.name }, `migration ${migration.name} failed`);
    throw new MigrationError(
      'migration-failed',
      `Migration "${migration.name}" failed and was not applied: ${logs.replace(/\n+/g, ' ')} ` +
        `It is now recorded as failed in _prisma_migrations. Fix migration.sql (or the database), mark the failed row as rolled back ` +
        `(\`npx prisma migrate resolve --rolled-back ${migration.name}\` or UPDATE _prisma_migrations SET rolled_back_at = now() ` +
        `WHERE id = '${id}'), then run the migration command again.`,
      migration.name,
    );
  }
  await client.query(
    `UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1`,
    [id],
  );
  logger.info({ migration: migration.name }, `applied migration ${migration.name}`);
}

/** The text stored in `logs`: code, message, detail, hint, and where in migration.sql it happened. */
export function describeDatabaseError(error: unknown, script: string): string {
  const e = error as Partial<pg.DatabaseError> & Error;
  const lines = [`Database error code: ${e.code ?? 'unknown'}`, '', 'Database error:', `ERROR: ${e.message}`];
  if (e.detail) lines.push(`DETAIL: ${e.detail}`);
  if (e.hint) lines.push(`HINT: ${e.hint}`);
  const position = Number(e.position);
  if (Number.isInteger(position) && position > 0) {
    const before = script.slice(0, position - 1);
    const line = before.split('\n').length;
    const column = position - before.lastIndexOf('\n') - 1;
    lines.push(`Position: line ${line}, column ${column} of migration.sql`);
  } else if (e.where) {
    lines.push(`CONTEXT: ${e.where}`);
  }
  return lines.join('\n');
}
