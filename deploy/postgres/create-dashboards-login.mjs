#!/usr/bin/env node
// Creates or updates the LOGIN role that dashboards (Grafana) use: a member of tgsync_dashboards,
// which the migrations create and which may read the dashboard_* views and nothing else.
//
//   DATABASE_URL=postgres://owner:…@db:5432/tg_sync GRAFANA_DB_USER=grafana GRAFANA_DB_PASSWORD=… \
//     node deploy/postgres/create-dashboards-login.mjs
//
// DATABASE_URL must be a user with CREATEROLE (the database owner of docker-compose.yml is a
// superuser). Idempotent: a second run sets the password again and keeps the membership. The login
// is made read-only by default (default_transaction_read_only) and gets no other privilege.
// The `dashboards-user` service of docker-compose.yml runs it before Grafana starts.
// With `?schema=` in DATABASE_URL (the job's tables and views live in that schema), the login's
// search_path in this database is set to it, so Grafana's queries find the views by their plain names.
import pg from 'pg';

const ROLE = 'tgsync_dashboards';

function fail(message) {
  process.stderr.write(`create-dashboards-login: ${message}\n`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL?.trim();
const user = process.env.GRAFANA_DB_USER?.trim() || 'grafana';
const password = process.env.GRAFANA_DB_PASSWORD ?? '';

if (!databaseUrl) fail('DATABASE_URL is not set (the database owner, who may create roles)');
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(user)) fail(`GRAFANA_DB_USER must be a lower-case SQL identifier (got "${user}")`);
if (password.length < 12) fail('GRAFANA_DB_PASSWORD must be set, at least 12 characters (e.g. openssl rand -hex 24)');

let schema = null;
try {
  schema = new URL(databaseUrl).searchParams.get('schema') || null;
} catch {
  // not a URL: pg reports it below
}

const client = new pg.Client({ connectionString: databaseUrl, application_name: 'tg-dialog-sync dashboards login' });
try {
  await client.connect();
  const owner = (await client.query('SELECT current_user AS name')).rows[0].name;
  if (owner === user) fail(`GRAFANA_DB_USER must differ from the database owner (${owner})`);
  const group = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ROLE]);
  if (group.rowCount === 0)
    fail(`role ${ROLE} does not exist: run the migrations first (node src/cli/bin.mjs db migrate)`);
  const existing = await client.query(
    'SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1',
    [user],
  );
  const privileged = existing.rows[0];
  if (
    privileged &&
    (privileged.rolsuper || privileged.rolcreaterole || privileged.rolcreatedb || privileged.rolbypassrls)
  ) {
    fail(`role ${user} already exists with administrative rights: choose another GRAFANA_DB_USER`);
  }
  const verb = existing.rowCount === 0 ? 'CREATE' : 'ALTER';
  // Identifiers and the password are quoted by the server (format %I / %L), never by string pasting.
  const statements = (
    await client.query(
      `SELECT format('%s ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT PASSWORD %L', $1::text, $2::text, $3::text) AS a,
              format('GRANT %I TO %I', $4::text, $2::text) AS b,
              format('ALTER ROLE %I SET default_transaction_read_only = on', $2::text) AS c`,
      [verb, user, password, ROLE],
    )
  ).rows[0];
  await client.query(statements.a);
  await client.query(statements.b);
  await client.query(statements.c);
  if (schema !== null) {
    const searchPath = (
      await client.query(
        `SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = %I', $1::text, current_database(), $2::text) AS d`,
        [user, schema],
      )
    ).rows[0].d;
    await client.query(searchPath);
  }
  process.stdout.write(`${verb === 'CREATE' ? 'created' : 'updated'} login role ${user} (member of ${ROLE})\n`);
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await client.end().catch(() => undefined);
}
