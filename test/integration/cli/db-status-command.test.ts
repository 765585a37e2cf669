/**
 * `tg-dialog-sync db status` as a child process against real databases (issue 17): an unmigrated one
 * (exit 1, every migration pending, the command to run), a migrated one (exit 0, the schema matches,
 * also in a `?schema=`), one changed by hand outside the migrations (exit 1, the difference named),
 * and an unreachable one (one line, the password masked). No Telegram settings are needed.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  connectPg,
  createEmptyTestDatabase,
  createTestDatabase,
  createTestDatabaseInSchema,
  type TestDatabase,
} from '../../helpers/database.ts';
import { singleErrorLine } from './cli-harness.ts';
import { runCli } from '../../helpers/cli-process.ts';

const migrations = (await readdir(join(import.meta.dirname, '../../../prisma/migrations'), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/** Only the database settings: `db status` must not need Telegram ones. */
const envFor = (database: TestDatabase): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  NODE_ENV: 'development',
  DATABASE_URL: database.url,
  LOG_FORMAT: 'json',
});

async function withDatabase(database: TestDatabase, work: (database: TestDatabase) => Promise<void>): Promise<void> {
  try {
    await work(database);
  } finally {
    await database.drop();
  }
}

describe('tg-dialog-sync db status', () => {
  it('an unmigrated database: every migration pending, exit 1, and the line says to run `db migrate`', async () => {
    await withDatabase(await createEmptyTestDatabase('cli_dbstatus_empty'), async (database) => {
      const run = await runCli(['db', 'status'], envFor(database));
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, new RegExp(`^Migrations: 0 of ${migrations.length} applied$`, 'm'));
      for (const name of migrations) assert.match(run.stdout, new RegExp(`^ {2}pending {2}${name}$`, 'm'));
      assert.match(run.stdout, /^Schema: not compared while migrations are pending$/m);
      assert.equal(
        singleErrorLine(run),
        `${migrations.length} migration(s) pending: run \`tg-dialog-sync db migrate\``,
      );

      // After the command it names, the same database is up to date.
      const migrate = await runCli(['db', 'migrate'], envFor(database));
      assert.equal(migrate.code, 0, migrate.stderr);
      const again = await runCli(['db', 'status'], envFor(database));
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`^Migrations: ${migrations.length} of ${migrations.length} applied$`, 'm'));
    });
  });

  it('a migrated database: every migration applied, the schema matches, exit 0', async () => {
    await withDatabase(await createTestDatabase('cli_dbstatus_ok'), async (database) => {
      const run = await runCli(['db', 'status'], envFor(database));
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^Database: postgres(ql)?:\/\/\S+ \(PostgreSQL \d+(\.\d+)*\)$/m);
      assert.match(run.stdout, new RegExp(`^Migrations: ${migrations.length} of ${migrations.length} applied$`, 'm'));
      for (const name of migrations) assert.match(run.stdout, new RegExp(`^ {2}applied {2}${name}$`, 'm'));
      assert.match(run.stdout, /^Schema: matches prisma\/schema\.prisma$/m);
      assert.doesNotMatch(run.stdout, /^\{/m, 'logs go to stderr, stdout is the report');
    });
  });

  it('compares the tables of the schema DATABASE_URL names with ?schema=', async () => {
    await withDatabase(await createTestDatabaseInSchema('cli_dbstatus_schema', 'tg_sync'), async (database) => {
      const run = await runCli(['db', 'status'], envFor(database));
      assert.equal(run.code, 0, run.stderr + run.stdout);
      assert.match(run.stdout, /^Schema: matches prisma\/schema\.prisma$/m);
    });
  });

  it('a database changed outside the migrations: the difference is listed, exit 1', async () => {
    await withDatabase(await createTestDatabase('cli_dbstatus_drift'), async (database) => {
      const owner = await connectPg(database.ownerUrl);
      try {
        await owner.query('ALTER TABLE accounts ADD COLUMN added_by_hand integer');
      } finally {
        await owner.end();
      }
      const run = await runCli(['db', 'status'], envFor(database));
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stdout, /^Schema: 1 difference\(s\) from prisma\/schema\.prisma:$/m);
      assert.match(
        run.stdout,
        /^ {2}- column accounts\.added_by_hand: in the database \(integer NULL\), not in the schema$/m,
      );
      assert.match(
        singleErrorLine(run),
        /^the database differs from prisma\/schema\.prisma: it was changed outside the migrations/,
      );
    });
  });

  it('an unreachable database: one line, exit 1, the password masked', async () => {
    const run = await runCli(['db', 'status'], {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: 'postgresql://sync:Hunter2Secret@127.0.0.1:1/tg',
      LOG_FORMAT: 'json',
    });
    assert.equal(run.code, 1);
    assert.match(
      singleErrorLine(run),
      /^error: cannot reach the database at postgresql:\/\/sync:\*\*\*@127\.0\.0\.1:1\/tg: /,
    );
    assert.ok(!`${run.stdout}${run.stderr}`.includes('Hunter2Secret'));
  });
});
