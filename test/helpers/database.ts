// Per-test-file databases for integration tests. `npm test` (scripts/run-tests.mjs) starts one
// PostgreSQL server and a template database with every migration applied; each test file clones the
// template into a private database (CREATE DATABASE … TEMPLATE …), so files run in parallel without
// seeing each other's rows.
//
//   const db = await createTestDatabase();
//   after(() => db.drop());
//   const prisma = createTestPrismaClient(db.url);   // or: const client = await connectPg(db.url);
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgClientConfig } from '../../src/db/connection-config.ts';
import { createDatabase, type CreatedDatabase } from '../../src/db/databases.ts';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../src/observability/app-logger.ts';
import { migrateDatabase } from '../../src/db/migrate.ts';
import { createPrismaClient, type PrismaClient } from '../../src/db/prisma-client.ts';

export interface TestDatabase {
  name: string;
  /** What the job under test connects with: the owner, or a tgsync_worker login with TEST_JOB_ROLE=worker. */
  url: string;
  /** The owner's URL, for test set-up and inspection that the worker role may not do (DDL, roles). */
  ownerUrl: string;
  drop(): Promise<void>;
}

interface HarnessEnvironment {
  adminUrl: string;
  template: string;
  runId: string;
}

function harnessEnvironment(): HarnessEnvironment {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  const runId = process.env.TEST_RUN_ID;
  if (!adminUrl || !template || !runId) {
    throw new Error(
      'No test database server: run database tests through the harness, e.g. ' +
        '`npm test -- test/integration/db/migrate.test.ts` (node scripts/run-tests.mjs <files>), which starts ' +
        'PostgreSQL and sets TEST_DATABASE_ADMIN_URL, TEST_TEMPLATE_DATABASE and TEST_RUN_ID.',
    );
  }
  return { adminUrl, template, runId };
}

/** A URL for the server's maintenance database, for tests that create/drop databases themselves. */
export function testServerUrl(): string {
  return harnessEnvironment().adminUrl;
}

/** A name the harness recognises as this run's (it drops leftovers at the end). */
export function testDatabaseName(label = 'db'): string {
  const safe = label
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_')
    .slice(0, 20);
  return `test_${harnessEnvironment().runId}_${safe}_${randomBytes(4).toString('hex')}`;
}

/** A fresh database with all migrations applied (a clone of the harness's template). */
export async function createTestDatabase(label?: string): Promise<TestDatabase> {
  const { adminUrl, template } = harnessEnvironment();
  const database = toTestDatabase(
    await createDatabase({ serverUrl: adminUrl, name: testDatabaseName(label), template }),
  );
  return { ...database, url: jobUrl(database.ownerUrl) };
}

/** The owner's URL with the job's login of TEST_JOB_LOGIN (set by the harness for TEST_JOB_ROLE=worker). */
function jobUrl(ownerUrl: string): string {
  const login = process.env.TEST_JOB_LOGIN;
  if (!login) return ownerUrl;
  const separator = login.indexOf(':');
  const url = new URL(ownerUrl);
  url.username = login.slice(0, separator);
  url.password = login.slice(separator + 1);
  return url.toString();
}

/** A fresh, completely empty database (no migrations), e.g. for testing the migration runner. */
export async function createEmptyTestDatabase(label?: string): Promise<TestDatabase> {
  const { adminUrl } = harnessEnvironment();
  return toTestDatabase(await createDatabase({ serverUrl: adminUrl, name: testDatabaseName(label) }));
}

/**
 * A fresh database whose migrations went into `schema` (DATABASE_URL's `?schema=`, as Prisma writes
 * it): `url` carries the parameter, and everything connecting with it must find the tables there.
 */
export async function createTestDatabaseInSchema(label: string, schema: string): Promise<TestDatabase> {
  const empty = await createEmptyTestDatabase(label);
  const url = new URL(empty.url);
  url.searchParams.set('schema', schema);
  await migrateDatabase({ databaseUrl: url.toString(), migrationsDir: MIGRATIONS_DIR, logger: silentLogger });
  return { ...empty, url: jobUrl(url.toString()), ownerUrl: url.toString() };
}

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

function toTestDatabase(created: CreatedDatabase): TestDatabase {
  return { name: created.name, url: created.url, ownerUrl: created.url, drop: created.drop };
}

/** A connected node-postgres client (honouring `?schema=` as the job does); call `end()` when done. */
export async function connectPg(url: string): Promise<pg.Client> {
  const client = new pg.Client(pgClientConfig(url, 'test client'));
  await client.connect();
  return client;
}

/** The application's Prisma client on a test database; call `$disconnect()` when done. */
export function createTestPrismaClient(url: string): PrismaClient {
  return createPrismaClient(url, { applicationName: 'tg-dialog-sync tests', maxConnections: 4 });
}
