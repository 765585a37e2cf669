/**
 * The least-privilege deployment (issue 13): deploy/postgres/create-roles.mjs (the `db-roles` Compose
 * service) creates an owner that is no superuser and a worker login in tgsync_worker; the owner
 * migrates a fresh database, and takes over an installation the superuser migrated before; the worker
 * can do what the job does (DML on the job's tables, the batch writer) and nothing else. That the job
 * itself runs with these rights is shown by running the sync and worker tests with TEST_JOB_ROLE=worker
 * (README "Tests").
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { migrateDatabase } from '../../../src/db/migrate.ts';
import { connectPg, createEmptyTestDatabase, testServerUrl, type TestDatabase } from '../../helpers/database.ts';
import { PROJECT_ROOT } from '../../unit/deploy/deploy-files.ts';
import { uniqueRoleName, urlAs, type ScriptResult } from './run-login-script.ts';

const SCRIPT = path.join(PROJECT_ROOT, 'deploy/postgres/create-roles.mjs');
const MIGRATIONS = path.join(PROJECT_ROOT, 'prisma/migrations');

function runCreateRoles(env: Record<string, string>): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SCRIPT],
      { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

describe('the owner and worker roles', () => {
  const databases: TestDatabase[] = [];
  const roles: string[] = [];
  after(async () => {
    for (const database of databases) await database.drop().catch(() => undefined);
    const server = await connectPg(testServerUrl());
    for (const role of roles)
      await server.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`).catch(() => undefined);
    await server.end();
  });

  async function setUp(label: string, migrateFirstAsAdmin: boolean) {
    const database = await createEmptyTestDatabase(label);
    databases.push(database);
    if (migrateFirstAsAdmin)
      await migrateDatabase({ databaseUrl: database.ownerUrl, migrationsDir: MIGRATIONS, logger: silentLogger });
    const owner = { user: uniqueRoleName('owner'), password: randomBytes(12).toString('hex') };
    const worker = { user: uniqueRoleName('worker'), password: randomBytes(12).toString('hex') };
    roles.push(owner.user, worker.user);
    const result = await runCreateRoles({
      DATABASE_URL: database.ownerUrl,
      DB_OWNER_USER: owner.user,
      DB_OWNER_PASSWORD: owner.password,
      DB_WORKER_USER: worker.user,
      DB_WORKER_PASSWORD: worker.password,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(
      result.stdout + result.stderr,
      new RegExp(`${owner.password}|${worker.password}`),
      'no password is printed',
    );
    const ownerUrl = urlAs(database.ownerUrl, owner.user, owner.password);
    const workerUrl = urlAs(database.ownerUrl, worker.user, worker.password);
    return { database, owner, worker, ownerUrl, workerUrl, result };
  }

  async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  it('lets an owner without administrative rights migrate a fresh database', async () => {
    const { owner, ownerUrl } = await setUp('roles_fresh', false);
    const applied = await migrateDatabase({ databaseUrl: ownerUrl, migrationsDir: MIGRATIONS, logger: silentLogger });
    assert.ok(applied.applied.length >= 10, `${applied.applied.length} migrations`);
    await withClient(ownerUrl, async (client) => {
      const { rows } = await client.query(
        'SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user',
      );
      assert.deepEqual(rows, [{ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false }]);
      const foreign = await client.query(
        `SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v') AND relowner::regrole::text <> $1`,
        [owner.user],
      );
      assert.deepEqual(foreign.rows, [], 'the owner owns every table and view');
    });
  });

  it('hands an installation the superuser migrated to the owner, who migrates it from then on', async () => {
    const { owner, ownerUrl, result } = await setUp('roles_upgrade', true);
    assert.match(result.stdout, /existing object\(s\) handed to/);
    await migrateDatabase({ databaseUrl: ownerUrl, migrationsDir: MIGRATIONS, logger: silentLogger });
    await withClient(ownerUrl, async (client) => {
      // Owning the objects is what a later migration needs: DDL on a table, replacing a view and the writer.
      await client.query('BEGIN');
      await client.query('ALTER TABLE accounts ADD COLUMN probe integer');
      await client.query('CREATE OR REPLACE VIEW dashboard_update_states AS SELECT * FROM dashboard_update_states');
      await client.query('ROLLBACK');
      const foreign = await client.query(
        `SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v') AND c.relowner::regrole::text <> $1
         UNION ALL SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.proowner::regrole::text <> $1`,
        [owner.user],
      );
      assert.deepEqual(foreign.rows, []);
    });
  });

  it('gives the worker DML on every table of the job and the batch writer, and nothing else', async () => {
    const { ownerUrl, workerUrl } = await setUp('roles_worker', false);
    await migrateDatabase({ databaseUrl: ownerUrl, migrationsDir: MIGRATIONS, logger: silentLogger });
    await withClient(workerUrl, async (client) => {
      const tables = await client.query<{
        name: string;
        select: boolean;
        insert: boolean;
        update: boolean;
        delete: boolean;
        truncate: boolean;
      }>(
        `SELECT relname AS name, has_table_privilege(c.oid, 'SELECT') AS select, has_table_privilege(c.oid, 'INSERT') AS insert,
                has_table_privilege(c.oid, 'UPDATE') AS update, has_table_privilege(c.oid, 'DELETE') AS delete,
                has_table_privilege(c.oid, 'TRUNCATE') AS truncate
         FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' ORDER BY relname`,
      );
      assert.ok(tables.rows.length >= 15, `${tables.rows.length} tables`);
      for (const table of tables.rows) {
        const dml = table.name !== '_prisma_migrations';
        assert.deepEqual(
          {
            select: table.select,
            insert: table.insert,
            update: table.update,
            delete: table.delete,
            truncate: table.truncate,
          },
          { select: dml, insert: dml, update: dml, delete: dml, truncate: false },
          table.name,
        );
      }
      await client.query(`INSERT INTO accounts (label, status) VALUES ('probe', 'active')`);
      await client.query(
        `SELECT * FROM tgsync_write_batch('[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', NULL)`,
      );
      for (const statement of [
        'CREATE TABLE probe (id int)',
        'TRUNCATE accounts',
        'DROP TABLE accounts',
        'ALTER TABLE accounts ADD COLUMN probe integer',
        'SELECT * FROM _prisma_migrations',
        'CREATE ROLE probe',
        'SELECT tgsync_grant_worker_privileges()',
      ]) {
        await assert.rejects(client.query(statement), /permission denied|must be owner/, statement);
      }
    });
  });

  it('refuses unsafe input with one line naming the variable', async () => {
    const database = await createEmptyTestDatabase('roles_refuse');
    databases.push(database);
    const result = await runCreateRoles({
      DATABASE_URL: database.ownerUrl,
      DB_OWNER_PASSWORD: 'short',
      DB_WORKER_PASSWORD: randomBytes(12).toString('hex'),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^create-roles: DB_OWNER_PASSWORD must be set: at least 12 letters and digits/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});
