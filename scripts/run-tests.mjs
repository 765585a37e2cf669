#!/usr/bin/env node
// `npm test [paths…] [-- node test flags]`: runs test/**/*.test.ts and the workspace packages' own
// packages/*/test/**/*.test.ts (or the given files/folders) with node's test runner against a real
// PostgreSQL.
//
// 1. Starts the database once: the server of TEST_DATABASE_URL / DATABASE_URL if set, otherwise an
//    embedded PostgreSQL 15 in a fresh temporary folder (a private server per run, so concurrent runs
//    in the same checkout never stop each other's server).
// 2. Creates a template database and applies prisma/migrations to it once, through the project's
//    own migration runner.
// 3. Runs `node --import tsx --test` with TEST_DATABASE_ADMIN_URL / TEST_TEMPLATE_DATABASE /
//    TEST_RUN_ID in the environment; test/helpers/database.ts clones the template per test file
//    (CREATE DATABASE … TEMPLATE …, ~tens of ms), so files run in parallel on private databases.
// 4. Drops what the run created, stops the embedded server, exits with the test runner's status.
// Node's own summary (# pass / # fail) is the last thing printed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { migrateDatabase } = await import('../src/db/migrate.ts');
const { createDatabase, withAdminClient } = await import('../src/db/databases.ts');
const { startEmbeddedPostgres, stopAbandonedServer } = await import('../src/dev/embedded-postgres/server.ts');
const { isProcessAlive } = await import('../src/dev/embedded-postgres/process-state.ts');
const { withDatabaseName, parseDatabaseUrl } = await import('../src/db/database-url.ts');
const { redactDatabaseUrl } = await import('../src/observability/redaction.ts');
const { asError } = await import('../src/errors/app-error.ts');
// The tests' own helper: tsx is registered above, so this script needs no copy of it.
const { freePort } = await import('../test/helpers/free-port.ts');

const note = (text) => process.stdout.write(`# test-db: ${text}\n`);

/** The project's tests and each workspace package's own (packages/<name>/test), when no path is given. */
async function defaultTestPaths() {
  const packages = await readdir(path.join(projectRoot, 'packages'), { withFileTypes: true }).catch(() => []);
  const packageTests = [];
  for (const entry of packages) {
    if (!entry.isDirectory()) continue;
    const folder = path.join('packages', entry.name, 'test');
    if (await stat(path.join(projectRoot, folder)).catch(() => null)) packageTests.push(folder);
  }
  return ['test', ...packageTests.sort()];
}

/** Splits argv into test paths and flags for node's test runner (anything starting with "-"). */
async function parseArguments(argv) {
  const paths = [];
  const flags = [];
  for (const arg of argv) {
    if (arg === '--') continue;
    if (arg.startsWith('-')) flags.push(arg);
    else paths.push(arg);
  }
  return { paths: paths.length ? paths : await defaultTestPaths(), flags };
}

async function collectTestFiles(paths) {
  const files = [];
  async function walk(target) {
    const info = await stat(target).catch(() => null);
    if (!info) throw new Error(`test path not found: ${path.relative(projectRoot, target) || target}`);
    if (info.isFile()) {
      files.push(target);
      return;
    }
    for (const entry of await readdir(target, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = path.join(target, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (entry.name.endsWith('.test.ts')) files.push(child);
    }
  }
  for (const p of paths) await walk(path.resolve(projectRoot, p));
  return [...new Set(files)].sort();
}

const silent = { info() {}, warn() {}, error() {} };
const harnessLogger = {
  info() {},
  warn: (obj, msg) => note(`warning: ${msg ?? obj}`),
  error: (obj, msg) => note(`error: ${msg ?? obj}`),
};

const TEMP_PREFIX = 'tg-dialog-sync-test-pg-';

/** A harness killed with SIGKILL leaves its server running and its folder behind: clean those up. */
async function reapAbandonedTestServers() {
  for (const entry of await readdir(os.tmpdir()).catch(() => [])) {
    const harnessPid = Number(entry.startsWith(TEMP_PREFIX) ? entry.slice(TEMP_PREFIX.length).split('-')[0] : NaN);
    if (!Number.isInteger(harnessPid) || isProcessAlive(harnessPid)) continue;
    const folder = path.join(os.tmpdir(), entry);
    if (await stopAbandonedServer(path.join(folder, 'data')).catch(() => false)) {
      note(`stopped the server of an earlier, killed test run (${folder})`);
    }
    await rm(folder, { recursive: true, force: true });
  }
}

/** Starts (or points at) the server. Returns { serverUrl, description, stop }. */
async function startServer() {
  const configured = (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '').trim();
  if (configured) {
    parseDatabaseUrl(configured, process.env.TEST_DATABASE_URL ? 'TEST_DATABASE_URL' : 'DATABASE_URL');
    return {
      serverUrl: withDatabaseName(configured, 'postgres'),
      description: `external server ${redactDatabaseUrl(withDatabaseName(configured, 'postgres'))}`,
      stop: async () => {},
    };
  }
  const started = Date.now();
  // /tmp is world-traversable; the folder itself must be too (the server runs as OS user postgres).
  await reapAbandonedTestServers();
  // The harness pid in the name lets a later run recognise (and clean up) this folder if we get killed.
  const parent = await mkdtemp(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
  await chmod(parent, 0o755);
  const port = Number(process.env.TEST_EMBEDDED_PG_PORT) || (await freePort());
  const server = await startEmbeddedPostgres({
    dataDir: path.join(parent, 'data'),
    port,
    logger: harnessLogger,
    durability: 'fast',
    database: 'postgres',
  });
  return {
    serverUrl: server.serverUrl,
    description: `embedded PostgreSQL 15 on 127.0.0.1:${port} (ready in ${Date.now() - started} ms)`,
    stop: async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

async function prepareTemplate(serverUrl, runId) {
  const started = Date.now();
  const template = await createDatabase({ serverUrl, name: `test_${runId}_template` });
  const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');
  const hasMigrations = await stat(migrationsDir).then(
    () => true,
    () => false,
  );
  const result = hasMigrations
    ? await migrateDatabase({ databaseUrl: template.url, migrationsDir, logger: silent })
    : { applied: [] };
  note(
    `template database ${template.name}: ${result.applied.length} migration(s) applied in ${Date.now() - started} ms`,
  );
  return template.name;
}

/** Drops every database this run created (the template and any a test did not drop). */
async function dropRunDatabases(serverUrl, runId) {
  await withAdminClient(serverUrl, async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `test\\_${runId}\\_%`,
    ]);
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname.replaceAll('"', '""')}" WITH (FORCE)`);
    }
  });
}

/**
 * TEST_JOB_ROLE=worker: the job under test logs in as a member of tgsync_worker (the deployment's
 * least-privilege role, created by the migrations) instead of the owner, so a run of the sync and
 * worker tests shows that role can do everything the job does. Test set-up and inspection keep the
 * owner's connection (TestDatabase.ownerUrl). Returns null without the option.
 */
async function createJobLogin(serverUrl, runId) {
  const role = (process.env.TEST_JOB_ROLE || 'owner').trim();
  if (role === 'owner') return null;
  if (role !== 'worker') throw new Error(`TEST_JOB_ROLE must be owner or worker, not "${role}"`);
  const login = { user: `test_${runId}_worker`, password: randomBytes(12).toString('hex') };
  await withAdminClient(serverUrl, (client) =>
    client.query(
      `CREATE ROLE "${login.user}" LOGIN PASSWORD '${login.password}' NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE tgsync_worker`,
    ),
  );
  note(`the job logs in as ${login.user}, a member of tgsync_worker (TEST_JOB_ROLE=worker)`);
  return login;
}

async function dropJobLogin(serverUrl, user) {
  await withAdminClient(serverUrl, (client) => client.query(`DROP ROLE IF EXISTS "${user}"`));
}

function runNodeTests(files, flags, env) {
  const concurrency =
    process.env.TEST_CONCURRENCY || String(Math.max(2, Math.min(4, Math.floor(os.availableParallelism() / 2))));
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...flags, ...files];
  const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

async function main() {
  const { paths, flags } = await parseArguments(process.argv.slice(2));
  const files = await collectTestFiles(paths);
  if (files.length === 0) {
    process.stderr.write(`no *.test.ts files under ${paths.join(', ')}\n`);
    return 1;
  }
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  const server = await startServer();
  let exitCode = 1;
  let jobLogin = null;
  try {
    note(server.description);
    const template = await prepareTemplate(server.serverUrl, runId);
    jobLogin = await createJobLogin(server.serverUrl, runId);
    exitCode = await runNodeTests(files, flags, {
      ...process.env,
      TEST_DATABASE_ADMIN_URL: server.serverUrl,
      TEST_TEMPLATE_DATABASE: template,
      TEST_RUN_ID: runId,
      ...(jobLogin === null ? {} : { TEST_JOB_LOGIN: `${jobLogin.user}:${jobLogin.password}` }),
    });
  } finally {
    // Quietly: node's summary should stay the last lines of the output.
    await dropRunDatabases(server.serverUrl, runId).catch((error) => note(`cleanup failed: ${error.message}`));
    if (jobLogin !== null)
      await dropJobLogin(server.serverUrl, jobLogin.user).catch((error) => note(`cleanup failed: ${error.message}`));
    await server.stop();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`test harness: ${asError(error).message}\n`);
    process.exit(1);
  },
);
