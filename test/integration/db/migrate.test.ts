import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { migrateDatabase, MigrationError, PRISMA_MIGRATION_LOCK_KEY } from '../../../src/db/migrate.ts';
import { connectPg, createEmptyTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { createMigrationsFolder } from './migration-fixtures.ts';

const realMigrationsDir = path.resolve('prisma/migrations');

async function realMigrationNames(): Promise<string[]> {
  const entries = await readdir(realMigrationsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectPg(url);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function relationNames(url: string, relkinds: string[]): Promise<Set<string>> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = ANY($1::"char"[])`,
      [relkinds],
    );
    return new Set(rows.map((row) => row.relname));
  });
}

async function migrationRows(url: string) {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{
      id: string;
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      logs: string | null;
      applied_steps_count: number;
      started_at: Date;
    }>('SELECT * FROM _prisma_migrations ORDER BY migration_name');
    return rows;
  });
}

describe('migrateDatabase with the project migrations', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createEmptyTestDatabase('migrate_real');
  });
  after(() => db.drop());

  it('creates every table and view of an empty database', async () => {
    const names = await realMigrationNames();
    const result = await migrateDatabase({
      databaseUrl: db.url,
      migrationsDir: realMigrationsDir,
      logger: silentLogger,
    });
    assert.deepEqual(result, { applied: names, alreadyApplied: 0 });

    const sql = (
      await Promise.all(names.map((name) => readFile(path.join(realMigrationsDir, name, 'migration.sql'), 'utf8')))
    ).join('\n');
    const createdTables = [...sql.matchAll(/CREATE TABLE\s+(?:IF NOT EXISTS\s+)?"?(\w+)"?/gi)].map((m) => m[1]!);
    const createdViews = [...sql.matchAll(/CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+"?(\w+)"?/gi)].map((m) => m[1]!);
    // A table a later migration drops on purpose (worker_ticks, replaced by the job queue) is gone.
    const droppedTables = new Set([...sql.matchAll(/DROP TABLE\s+(?:IF EXISTS\s+)?"?(\w+)"?/gi)].map((m) => m[1]!));
    assert.ok(
      createdTables.length >= 10,
      `expected the migrations to create the tables (found ${createdTables.length})`,
    );
    assert.ok(createdViews.length >= 1, 'expected the migrations to create views');

    const tables = await relationNames(db.url, ['r', 'p']);
    const views = await relationNames(db.url, ['v', 'm']);
    for (const name of createdTables)
      assert.ok(
        tables.has(name) !== droppedTables.has(name),
        `table ${name} ${droppedTables.has(name) ? 'was dropped' : 'exists'}`,
      );
    for (const name of createdViews) assert.ok(views.has(name), `view ${name} exists`);
    assert.ok(tables.has('_prisma_migrations'));
  });

  it('records each migration like Prisma: sha256 checksum, one step, finished, uuid id', async () => {
    const rows = await migrationRows(db.url);
    assert.deepEqual(
      rows.map((row) => row.migration_name),
      await realMigrationNames(),
    );
    for (const row of rows) {
      const bytes = await readFile(path.join(realMigrationsDir, row.migration_name, 'migration.sql'));
      assert.equal(row.checksum, createHash('sha256').update(bytes).digest('hex'));
      assert.equal(row.applied_steps_count, 1);
      assert.ok(row.finished_at instanceof Date);
      assert.equal(row.rolled_back_at, null);
      assert.equal(row.logs, null);
      assert.match(row.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('changes nothing on a second run', async () => {
    const before = await migrationRows(db.url);
    const result = await migrateDatabase({
      databaseUrl: db.url,
      migrationsDir: realMigrationsDir,
      logger: silentLogger,
    });
    assert.deepEqual(result, { applied: [], alreadyApplied: before.length });
    assert.deepEqual(await migrationRows(db.url), before);
  });

  it('has the bookkeeping table exactly as Prisma creates it', async () => {
    const columns = await withClient(
      db.url,
      async (client) =>
        (
          await client.query(
            `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
             FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
          )
        ).rows,
    );
    assert.deepEqual(columns, [
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
      {
        column_name: 'finished_at',
        data_type: 'timestamp with time zone',
        length: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'migration_name',
        data_type: 'character varying',
        length: 255,
        is_nullable: 'NO',
        column_default: null,
      },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
      {
        column_name: 'rolled_back_at',
        data_type: 'timestamp with time zone',
        length: null,
        is_nullable: 'YES',
        column_default: null,
      },
      {
        column_name: 'started_at',
        data_type: 'timestamp with time zone',
        length: null,
        is_nullable: 'NO',
        column_default: 'now()',
      },
      {
        column_name: 'applied_steps_count',
        data_type: 'integer',
        length: null,
        is_nullable: 'NO',
        column_default: '0',
      },
    ]);
  });
});

describe('migrateDatabase with fixture migrations', () => {
  it('applies in lexicographic folder order and runs multi-statement files with $$ bodies', async () => {
    const db = await createEmptyTestDatabase('migrate_order');
    // Created in reverse order on purpose: the runner must sort, not trust readdir.
    const folder = await createMigrationsFolder({
      '20240102000000_second': 'ALTER TABLE things ADD COLUMN note text;\nSELECT add_thing(1);',
      '20240101000000_first': [
        'CREATE TABLE things (id int PRIMARY KEY);',
        'CREATE FUNCTION add_thing(i int) RETURNS void LANGUAGE plpgsql AS $$',
        'BEGIN',
        '  INSERT INTO things (id) VALUES (i); -- a semicolon inside the body',
        'END;',
        '$$;',
      ].join('\n'),
    });
    try {
      const result = await migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger });
      assert.deepEqual(result.applied, ['20240101000000_first', '20240102000000_second']);
      const ids = await withClient(db.url, async (c) => (await c.query('SELECT id, note FROM things')).rows);
      assert.deepEqual(ids, [{ id: 1, note: null }]);
    } finally {
      await folder.remove();
      await db.drop();
    }
  });

  it('records a failing migration, applies none of it, and refuses the next deploy until it is resolved', async () => {
    const db = await createEmptyTestDatabase('migrate_fail');
    const folder = await createMigrationsFolder({
      '1_ok': 'CREATE TABLE a (id int);',
      '2_bad': 'CREATE TABLE b (id int);\nINSERT INTO missing_table VALUES (1);',
      '3_later': 'CREATE TABLE c (id int);',
    });
    try {
      await assert.rejects(
        migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger }),
        (error: unknown) => {
          assert.ok(error instanceof MigrationError);
          assert.equal(error.kind, 'migration-failed');
          assert.equal(error.migrationName, '2_bad');
          assert.match(error.message, /missing_table/);
          assert.match(error.message, /line 2/);
          assert.match(error.message, /rolled-back 2_bad/);
          return true;
        },
      );
      const tables = await relationNames(db.url, ['r']);
      assert.ok(tables.has('a'), 'the migration before the failure is applied');
      assert.ok(!tables.has('b'), 'the failed file is rolled back as a whole');
      assert.ok(!tables.has('c'), 'nothing after the failure is applied');

      const rows = await migrationRows(db.url);
      const failed = rows.find((row) => row.migration_name === '2_bad');
      assert.ok(failed);
      assert.equal(failed.finished_at, null);
      assert.equal(failed.applied_steps_count, 0);
      assert.match(failed.logs ?? '', /42P01/);
      assert.deepEqual(
        rows.map((row) => row.migration_name),
        ['1_ok', '2_bad'],
      );

      // Fixing the file is not enough: the failed row blocks every further deploy (P3009).
      await folder.write('2_bad', 'CREATE TABLE b (id int);');
      await assert.rejects(
        migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger }),
        (error: unknown) => {
          assert.ok(error instanceof MigrationError);
          assert.equal(error.kind, 'failed-migration-recorded');
          assert.equal(error.migrationName, '2_bad');
          assert.match(error.message, /failed earlier/);
          assert.match(error.message, /UPDATE _prisma_migrations SET rolled_back_at = now\(\)/);
          return true;
        },
      );

      // Resolving it (what `prisma migrate resolve --rolled-back` does) unblocks the deploy.
      await withClient(db.url, (c) =>
        c.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '2_bad'`),
      );
      const result = await migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger });
      assert.deepEqual(result, { applied: ['2_bad', '3_later'], alreadyApplied: 1 });
    } finally {
      await folder.remove();
      await db.drop();
    }
  });

  it('refuses a non-empty database without _prisma_migrations (P3005) and leaves it untouched', async () => {
    const db = await createEmptyTestDatabase('migrate_nonempty');
    const folder = await createMigrationsFolder({ '1_init': 'CREATE TABLE a (id int);' });
    try {
      await withClient(db.url, (c) => c.query('CREATE TABLE someone_elses (id int)'));
      await assert.rejects(
        migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger }),
        (error: unknown) =>
          error instanceof MigrationError &&
          error.kind === 'database-not-empty' &&
          /someone_elses/.test(error.message) &&
          /baseline/.test(error.message),
      );
      assert.deepEqual([...(await relationNames(db.url, ['r']))], ['someone_elses']);
    } finally {
      await folder.remove();
      await db.drop();
    }
  });

  it('rejects a migration folder without migration.sql before touching the database', async () => {
    const db = await createEmptyTestDatabase('migrate_badfolder');
    const folder = await createMigrationsFolder({ '1_init': 'CREATE TABLE a (id int);' });
    try {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(path.join(folder.dir, '2_empty'));
      await assert.rejects(
        migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger }),
        (error: unknown) =>
          error instanceof MigrationError &&
          error.kind === 'invalid-migrations-folder' &&
          /2_empty/.test(error.message),
      );
      assert.equal((await relationNames(db.url, ['r'])).size, 0);
    } finally {
      await folder.remove();
      await db.drop();
    }
  });
});

describe('migrateDatabase concurrency', () => {
  it('two concurrent runs apply each migration exactly once', async () => {
    const db = await createEmptyTestDatabase('migrate_concurrent');
    try {
      const names = await realMigrationNames();
      const [first, second] = await Promise.all([
        migrateDatabase({ databaseUrl: db.url, migrationsDir: realMigrationsDir, logger: silentLogger }),
        migrateDatabase({ databaseUrl: db.url, migrationsDir: realMigrationsDir, logger: silentLogger }),
      ]);
      assert.deepEqual([...first.applied, ...second.applied].sort(), names);
      assert.equal(first.alreadyApplied + second.alreadyApplied, names.length);
      assert.deepEqual(
        (await migrationRows(db.url)).map((row) => row.migration_name),
        names,
      );
    } finally {
      await db.drop();
    }
  });

  it('waits for the advisory lock held by another session, then proceeds; times out with a clear error', async () => {
    const db = await createEmptyTestDatabase('migrate_lock');
    const folder = await createMigrationsFolder({ '1_init': 'CREATE TABLE a (id int);' });
    const holder = await connectPg(db.url);
    const observer = await connectPg(db.url);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATION_LOCK_KEY]);

      await assert.rejects(
        migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger, lockTimeoutMs: 200 }),
        (error: unknown) =>
          error instanceof MigrationError &&
          error.kind === 'lock-timeout' &&
          /another migration run/.test(error.message),
      );

      const run = migrateDatabase({ databaseUrl: db.url, migrationsDir: folder.dir, logger: silentLogger });
      // Wait (bounded) until the run is really blocked on the lock, then check it has done nothing yet.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const { rowCount } = await observer.query(
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
          [PRISMA_MIGRATION_LOCK_KEY],
        );
        if (rowCount) break;
        assert.ok(Date.now() < deadline, 'the second run never waited for the lock');
        await new Promise((resolve) => setImmediate(resolve));
      }
      const bookkeeping = await observer.query(`SELECT to_regclass('_prisma_migrations') AS t`);
      assert.equal(bookkeeping.rows[0].t, null, 'nothing happens while the lock is held');

      await holder.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATION_LOCK_KEY]);
      assert.deepEqual(await run, { applied: ['1_init'], alreadyApplied: 0 });
    } finally {
      await holder.end();
      await observer.end();
      await folder.remove();
      await db.drop();
    }
  });
});
