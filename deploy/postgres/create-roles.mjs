#!/usr/bin/env node
// Creates (or updates) the database roles of a least-privilege deployment, as an administrator:
//
//   DB_OWNER_USER   (default tg_sync_owner)  LOGIN, owns the database and every object of the job:
//                   it runs `db migrate`. No superuser, CREATEDB, CREATEROLE or BYPASSRLS.
//   DB_WORKER_USER  (default tg_sync_worker) LOGIN, a member of tgsync_worker: what the running job
//                   needs and nothing more (DML on the job's tables, EXECUTE on the batch writer,
//                   and the job queue's grants; see prisma/migrations/20261204130200_worker_role).
//   tgsync_worker, tgsync_dashboards         NOLOGIN groups, created here so the owner needs no
//                   CREATEROLE; the migrations grant them their privileges.
//
//   DATABASE_URL=postgres://admin:…@db:5432/tg_sync DB_OWNER_PASSWORD=… DB_WORKER_PASSWORD=… \
//     node deploy/postgres/create-roles.mjs
//
// DATABASE_URL is a role with CREATEROLE that may change the database's owner (in docker-compose.yml
// the image's superuser POSTGRES_USER). Idempotent: later runs set the passwords again. An existing
// installation whose objects were created by another role (the superuser, before this script) has
// them handed to the owner, so the owner can migrate them. With `?schema=` the job's schema is the one
// handed over, and the logins' search_path in this database is set to it.
import pg from 'pg';

const GROUPS = ['tgsync_worker', 'tgsync_dashboards'];

function fail(message) {
  process.stderr.write(`create-roles: ${message}\n`);
  process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL?.trim();
const owner = {
  user: process.env.DB_OWNER_USER?.trim() || 'tg_sync_owner',
  password: process.env.DB_OWNER_PASSWORD ?? '',
  variable: 'DB_OWNER',
};
const worker = {
  user: process.env.DB_WORKER_USER?.trim() || 'tg_sync_worker',
  password: process.env.DB_WORKER_PASSWORD ?? '',
  variable: 'DB_WORKER',
};

if (!databaseUrl)
  fail('DATABASE_URL is not set (an administrator who may create roles, e.g. the superuser of the postgres image)');
for (const login of [owner, worker]) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(login.user))
    fail(`${login.variable}_USER must be a lower-case SQL identifier (got "${login.user}")`);
  // The password becomes part of a DATABASE_URL: letters and digits keep it free of URL escaping.
  if (!/^[A-Za-z0-9]{12,}$/.test(login.password))
    fail(`${login.variable}_PASSWORD must be set: at least 12 letters and digits (e.g. openssl rand -hex 24)`);
}
if (owner.user === worker.user) fail('DB_OWNER_USER and DB_WORKER_USER must differ');

let schema = null;
try {
  schema = new URL(databaseUrl).searchParams.get('schema') || null;
} catch {
  // not a URL: pg reports it below
}

const client = new pg.Client({ connectionString: databaseUrl, application_name: 'tg-dialog-sync create roles' });
/** Runs a statement built by the server's format() (%I identifiers, %L literals), never by string pasting. */
async function run(template, ...values) {
  const casts = values.map((_, index) => `$${index + 1}::text`).join(', ');
  const { rows } = await client.query(`SELECT format('${template}', ${casts}) AS sql`, values);
  await client.query(rows[0].sql);
}

try {
  await client.connect();
  const admin = (await client.query('SELECT current_user AS name')).rows[0].name;
  for (const login of [owner, worker]) {
    if (login.user === admin)
      fail(`${login.variable}_USER must differ from the administrator of DATABASE_URL (${admin})`);
    const existing = (
      await client.query('SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = $1', [
        login.user,
      ])
    ).rows[0];
    if (existing && (existing.rolsuper || existing.rolcreaterole || existing.rolcreatedb || existing.rolbypassrls)) {
      fail(`role ${login.user} already exists with administrative rights: choose another ${login.variable}_USER`);
    }
    await run(
      `${existing ? 'ALTER' : 'CREATE'} ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS INHERIT PASSWORD %L`,
      login.user,
      login.password,
    );
  }
  for (const group of GROUPS) {
    const exists = (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [group])).rowCount > 0;
    if (!exists) await run('CREATE ROLE %I NOLOGIN', group);
  }
  await run('GRANT %I TO %I', 'tgsync_worker', worker.user);
  // The owner of the database may create the job's schema and, in PostgreSQL 15, owns `public`.
  await run(
    'ALTER DATABASE %I OWNER TO %I',
    (await client.query('SELECT current_database() AS name')).rows[0].name,
    owner.user,
  );
  const target = schema ?? 'public';
  const schemaRow = (
    await client.query('SELECT nspowner::regrole::text AS owner FROM pg_namespace WHERE nspname = $1', [target])
  ).rows[0];
  if (schemaRow && schema !== null) await run('ALTER SCHEMA %I OWNER TO %I', target, owner.user);
  let handed = schemaRow ? await handOver(target) : 0;
  // The job queue's schema (graphile-worker, installed by `db migrate`): the owner upgrades it too.
  const queueSchema = schema === null || schema === 'public' ? 'graphile_worker' : `${schema}_graphile_worker`;
  if ((await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [queueSchema])).rowCount > 0) {
    await run('ALTER SCHEMA %I OWNER TO %I', queueSchema, owner.user);
    handed += await handOver(queueSchema);
  }
  if (schema !== null) {
    for (const login of [owner, worker])
      await run(
        'ALTER ROLE %I IN DATABASE %I SET search_path = %I',
        login.user,
        (await client.query('SELECT current_database() AS name')).rows[0].name,
        schema,
      );
  }
  process.stdout.write(
    `roles ready: owner ${owner.user}, worker ${worker.user} (member of tgsync_worker)${handed > 0 ? `; ${handed} existing object(s) handed to ${owner.user}` : ''}\n`,
  );
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  await client.end().catch(() => undefined);
}

/**
 * Gives the owner every object of the schema that another role owns: tables, views, sequences that
 * belong to no column, functions, composite and enum types and domains. Returns how many.
 */
async function handOver(target) {
  const { rows } = await client.query(
    `SELECT format('ALTER %s %s OWNER TO %I', kind, name, $2::text) AS sql FROM (
       SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END AS kind,
              CASE c.relkind WHEN 'c' THEN c.reltype::regtype::text ELSE c.oid::regclass::text END AS name, c.relowner AS owner_oid
       FROM pg_class c
       WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c')
         AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
       UNION ALL
       SELECT 'FUNCTION', p.oid::regprocedure::text, p.proowner FROM pg_proc p WHERE p.pronamespace = $1::regnamespace
       UNION ALL
       SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype::text, t.typowner FROM pg_type t WHERE t.typnamespace = $1::regnamespace AND t.typtype IN ('e', 'd')
     ) o WHERE o.owner_oid <> (SELECT oid FROM pg_roles WHERE rolname = $2::text)`,
    [target, owner.user],
  );
  for (const { sql } of rows) await client.query(sql);
  return rows.length;
}
