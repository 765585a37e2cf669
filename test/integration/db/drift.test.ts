import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkDrift, DriftCheckError } from '../../../src/db/drift.ts';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { testServerUrl } from '../../helpers/database.ts';

const realSchema = path.resolve('prisma/schema.prisma');
const realMigrations = path.resolve('prisma/migrations');

/** Replaces exactly one occurrence, so a schema edit that silently stops matching fails the test. */
function replaceOnce(text: string, search: string | RegExp, replacement: string): string {
  const matches =
    typeof search === 'string' ? text.split(search).length - 1 : (text.match(new RegExp(search, 'g')) ?? []).length;
  assert.equal(matches, 1, `expected exactly one match for ${search}`);
  return text.replace(search, replacement);
}

describe('checkDrift', () => {
  let workDir: string;
  let schemaText: string;
  before(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'drift-test-'));
    schemaText = await readFile(realSchema, 'utf8');
  });
  after(() => rm(workDir, { recursive: true, force: true }));

  async function schemaCopy(name: string, edit: (text: string) => string): Promise<string> {
    const file = path.join(workDir, `${name}.prisma`);
    await writeFile(file, edit(schemaText));
    return file;
  }

  it('finds no drift between the project schema and its migrations (views are ignored)', async () => {
    const result = await checkDrift({
      schemaPath: realSchema,
      migrationsDir: realMigrations,
      serverUrl: testServerUrl(),
      logger: silentLogger,
    });
    assert.deepEqual(result.differences, []);
  });

  it('checks in a scratch database of its own when DATABASE_URL names a ?schema=', async () => {
    const url = new URL(testServerUrl());
    url.searchParams.set('schema', 'tg_sync');
    const result = await checkDrift({
      schemaPath: realSchema,
      migrationsDir: realMigrations,
      serverUrl: url.toString(),
      logger: silentLogger,
    });
    assert.deepEqual(result.differences, []);
  });

  it('reports a column changed in the schema only', async () => {
    const schemaPath = await schemaCopy('column', (text) =>
      replaceOnce(
        text,
        /errorText(\s+)String\?(\s+)@map\("error_text"\)/,
        'errorText$1String$2@map("error_text") @db.VarChar(200)',
      ),
    );
    const { differences } = await checkDrift({
      schemaPath,
      migrationsDir: realMigrations,
      serverUrl: testServerUrl(),
      logger: silentLogger,
    });
    assert.deepEqual(differences, [
      'column sync_runs.error_text: schema says varchar(200) NOT NULL, database has text NULL',
    ]);
  });

  it('reports an index changed in the schema only', async () => {
    const schemaPath = await schemaCopy('index', (text) =>
      replaceOnce(text, '@@index([accountId, startedAt(sort: Desc)])', '@@index([accountId, startedAt])'),
    );
    const { differences } = await checkDrift({
      schemaPath,
      migrationsDir: realMigrations,
      serverUrl: testServerUrl(),
      logger: silentLogger,
    });
    assert.deepEqual(differences, [
      'index sync_runs_account_id_started_at_idx on sync_runs: schema says (account_id, started_at), database has (account_id, started_at DESC)',
    ]);
  });

  it('reports a change made by a migration that the schema lacks', async () => {
    const migrationsDir = path.join(workDir, 'migrations');
    await cp(realMigrations, migrationsDir, { recursive: true });
    await mkdir(path.join(migrationsDir, '99990101000000_unmodelled'));
    await writeFile(
      path.join(migrationsDir, '99990101000000_unmodelled', 'migration.sql'),
      'ALTER TABLE "messages" ADD COLUMN "reactions" INTEGER;\nCREATE UNIQUE INDEX "users_username_key" ON "users"("username");\n',
    );
    const { differences } = await checkDrift({
      schemaPath: realSchema,
      migrationsDir,
      serverUrl: testServerUrl(),
      logger: silentLogger,
    });
    assert.deepEqual(differences.sort(), [
      'column messages.reactions: in the database (integer NULL), not in the schema',
      'index users_username_key on users: in the database (CREATE UNIQUE INDEX users_username_key ON public.users USING btree (username)), not in the schema',
    ]);
  });

  it("fails with Prisma's own message on an invalid schema", async () => {
    const schemaPath = await schemaCopy('invalid', (text) =>
      replaceOnce(text, 'model SyncRun {', 'model SyncRun {\n  broken NotAType'),
    );
    await assert.rejects(
      checkDrift({ schemaPath, migrationsDir: realMigrations, serverUrl: testServerUrl(), logger: silentLogger }),
      (error: unknown) =>
        error instanceof DriftCheckError && error.kind === 'invalid-schema' && /NotAType/.test(error.message),
    );
  });
});
