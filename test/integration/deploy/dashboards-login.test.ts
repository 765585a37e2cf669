/**
 * deploy/postgres/create-dashboards-login.mjs, the one-shot that creates Grafana's PostgreSQL login
 * in docker-compose.yml: the login it creates is a member of tgsync_dashboards and nothing more (reads
 * the views, not the tables, writes nothing), a second run changes the password and keeps the rest,
 * and it refuses unsafe input without touching the database.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { connectPg, createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { connectAs, dropRole, runLoginScript, uniqueRoleName } from './run-login-script.ts';

/**
 * Does the role's stored password verifier (pg_authid, superuser only) belong to this password? Checked
 * on the verifier itself, because a test server may trust local connections without any password.
 */
async function storedPasswordIs(admin: pg.Client, role: string, password: string): Promise<boolean> {
  const { rows } = await admin.query('SELECT rolpassword FROM pg_authid WHERE rolname = $1', [role]);
  const verifier = rows[0]?.rolpassword as string | null | undefined;
  if (verifier == null) return false;
  const scram = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (scram !== null) {
    const salted = pbkdf2Sync(
      password.normalize('NFKC'),
      Buffer.from(scram[2]!, 'base64'),
      Number(scram[1]),
      32,
      'sha256',
    );
    const storedKey = createHash('sha256')
      .update(createHmac('sha256', salted).update('Client Key').digest())
      .digest('base64');
    return storedKey === scram[3];
  }
  if (verifier.startsWith('md5'))
    return (
      verifier ===
      `md5${createHash('md5')
        .update(password + role)
        .digest('hex')}`
    );
  throw new Error(`unknown password verifier format for ${role}`);
}

describe('the dashboards login script', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  const login = uniqueRoleName('grafana');
  const firstPassword = randomBytes(12).toString('hex');
  const secondPassword = randomBytes(12).toString('hex');

  before(async () => {
    database = await createTestDatabase('dashboards_login');
    admin = await connectPg(database.url);
  });
  after(async () => {
    await admin?.end().catch(() => undefined);
    await database?.drop();
    await dropRole(login);
  });

  it('creates a login that is a member of tgsync_dashboards only, read-only, with no other right', async () => {
    const result = await runLoginScript({
      DATABASE_URL: database.url,
      GRAFANA_DB_USER: login,
      GRAFANA_DB_PASSWORD: firstPassword,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`created login role ${login} \\(member of tgsync_dashboards\\)`));
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(firstPassword), 'the password is never printed');
    const role = await admin.query(
      `SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolinherit, rolconfig,
              ARRAY(SELECT b.rolname::text FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) AS member_of
       FROM pg_roles r WHERE rolname = $1`,
      [login],
    );
    assert.equal(await storedPasswordIs(admin, login, firstPassword), true, 'the password is set');
    assert.equal(await storedPasswordIs(admin, login, secondPassword), false);
    assert.deepEqual(role.rows, [
      {
        rolcanlogin: true,
        rolsuper: false,
        rolcreaterole: false,
        rolcreatedb: false,
        rolbypassrls: false,
        rolinherit: true,
        rolconfig: ['default_transaction_read_only=on'],
        member_of: ['tgsync_dashboards'],
      },
    ]);

    const reader = await connectAs(database.url, login, firstPassword);
    try {
      await admin.query(`INSERT INTO accounts (id, label, status) VALUES (1, 'main', 'active')`);
      const { rows } = await reader.query('SELECT account_label, status::text FROM dashboard_accounts');
      assert.deepEqual(rows, [{ account_label: 'main', status: 'active' }]);
      await assert.rejects(reader.query('SELECT label FROM accounts'), /permission denied/);
      await assert.rejects(reader.query('SELECT ciphertext FROM account_sessions'), /permission denied/);
      await assert.rejects(reader.query('CREATE TABLE scratch (x int)'), /read-only transaction|permission denied/);
    } finally {
      await reader.end();
    }
  });

  it('updates the password on a second run and keeps the membership', async () => {
    const result = await runLoginScript({
      DATABASE_URL: database.url,
      GRAFANA_DB_USER: login,
      GRAFANA_DB_PASSWORD: secondPassword,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`updated login role ${login}`));
    assert.equal(await storedPasswordIs(admin, login, secondPassword), true, 'the new password is set');
    assert.equal(await storedPasswordIs(admin, login, firstPassword), false, 'the old password no longer works');
    const reader = await connectAs(database.url, login, secondPassword);
    try {
      const { rows } = await reader.query('SELECT count(*)::int AS n FROM dashboard_accounts');
      assert.deepEqual(rows, [{ n: 1 }]);
    } finally {
      await reader.end();
    }
  });

  it('refuses a short password, a bad name, the owner itself, an administrative role and a missing DATABASE_URL', async () => {
    const owner = (await admin.query('SELECT current_user AS name')).rows[0].name as string;
    const privileged = uniqueRoleName('admin');
    await admin.query(`CREATE ROLE ${privileged} LOGIN CREATEDB`);
    try {
      const fresh = [uniqueRoleName('g'), uniqueRoleName('g')];
      const cases: Array<[Record<string, string>, RegExp]> = [
        [
          { DATABASE_URL: database.url, GRAFANA_DB_USER: fresh[0]!, GRAFANA_DB_PASSWORD: 'short' },
          /at least 12 characters/,
        ],
        [
          { DATABASE_URL: database.url, GRAFANA_DB_USER: 'Robert"); DROP', GRAFANA_DB_PASSWORD: firstPassword },
          /lower-case SQL identifier/,
        ],
        [
          { DATABASE_URL: database.url, GRAFANA_DB_USER: owner, GRAFANA_DB_PASSWORD: firstPassword },
          /must differ from the database owner/,
        ],
        [
          { DATABASE_URL: database.url, GRAFANA_DB_USER: privileged, GRAFANA_DB_PASSWORD: firstPassword },
          /already exists with administrative rights/,
        ],
        [{ GRAFANA_DB_USER: fresh[1]!, GRAFANA_DB_PASSWORD: firstPassword }, /DATABASE_URL is not set/],
      ];
      const attributes = `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolconfig FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1`;
      const before = (await admin.query(attributes, [[owner, privileged]])).rows;
      for (const [env, message] of cases) {
        const result = await runLoginScript(env);
        assert.equal(result.code, 1, JSON.stringify(env));
        assert.match(result.stderr, message);
      }
      assert.deepEqual((await admin.query(attributes, [[owner, privileged]])).rows, before, 'existing roles untouched');
      assert.deepEqual(
        (await admin.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [fresh])).rows,
        [],
        'no role was created',
      );
    } finally {
      await admin.query(`DROP ROLE IF EXISTS ${privileged}`);
    }
  });
});
