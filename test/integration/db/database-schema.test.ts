/**
 * DATABASE_URL with `?schema=` (Prisma's way of naming a schema): the migrations go into that schema,
 * and so must every connection of the job — Prisma, the plain pg clients, the per-account lock, the
 * executable, the dashboards' login — while `public` stays untouched. Two installations in two schemas
 * of one database do not share their account locks.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { tryAcquireAccountLock } from '../../../src/db/account-lock.ts';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { migrateDatabase } from '../../../src/db/migrate.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { startCli } from '../../helpers/cli-process.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import {
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';
import { connectAs, dropRole, runLoginScript, uniqueRoleName } from '../deploy/run-login-script.ts';

const SCHEMA = 'tg_sync';

describe('a DATABASE_URL with ?schema=', () => {
  let harness: SyncHarness;
  let peers: bigint[];
  let me: bigint;
  const login = uniqueRoleName('grafana_schema');

  before(async () => {
    harness = await startSyncHarness({
      label: 'db_schema',
      schema: SCHEMA,
      world: { seed: 'database-schema', peers: 400, accounts: 1 },
    });
    me = harness.world.userAccounts[0]!.userId;
    peers = syncablePeers(harness.world, me).slice(0, 40);
  });
  after(async () => {
    await harness?.close();
    await dropRole(login);
  });

  const tablesIn = async (schema: string) =>
    (await harness.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1`, [schema]))
      .rows[0]!.n;

  it('syncs into that schema through Prisma, the pg clients and the account lock, leaving public empty', async () => {
    const account = await harness.account(me, 'main');
    const result = await syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peers),
    });
    assert.equal(
      result.status,
      'succeeded',
      result.status === 'skipped' ? result.reason : `${result.errorKind} ${result.errorText}`,
    );
    const { rows } = await harness.sql.query(`SELECT count(*)::int AS n FROM ${SCHEMA}.dialogs`);
    assert.equal(rows[0].n, peers.length);
    assert.equal(await tablesIn('public'), 0, 'nothing was created in public');
    assert.ok((await tablesIn(SCHEMA)) > 10);
    // The tests' own connections (connectPg) land there too.
    assert.deepEqual((await harness.sql.query('SELECT current_schema() AS schema')).rows, [{ schema: SCHEMA }]);
  });

  it('runs the executable against it (sync, then status)', async () => {
    const account = await harness.account(me, 'main');
    const env = await jobEnvironment(harness, {
      accounts: [{ account, session: harness.server.sessionFor(me) }],
      peers: peers.map(String),
    });
    assert.match(env.DATABASE_URL ?? '', /[?&]schema=tg_sync/);
    for (const args of [['sync'], ['status']]) {
      const { code, stdout, stderr } = await startCli(args, env).exited;
      assert.equal(code, 0, `${args.join(' ')}: ${stderr}${stdout}`);
    }
    const { rows } = await harness.sql.query(
      `SELECT count(*)::int AS n FROM ${SCHEMA}.sync_runs WHERE status = 'succeeded'`,
    );
    assert.equal(rows[0].n, 2);
  });

  it('keeps the account locks of two schemas in one database apart', async () => {
    const other = new URL(harness.database.url);
    other.searchParams.set('schema', 'tg_sync_other');
    await migrateDatabase({
      databaseUrl: other.toString(),
      migrationsDir: new URL('../../../prisma/migrations', import.meta.url).pathname,
      logger: silentLogger,
    });
    const mine = await tryAcquireAccountLock({ databaseUrl: harness.database.url, accountId: 1 });
    assert.ok(mine, 'the lock of account 1 in tg_sync');
    try {
      assert.equal(
        await tryAcquireAccountLock({ databaseUrl: harness.database.url, accountId: 1 }),
        null,
        'the same schema: taken',
      );
      const theirs = await tryAcquireAccountLock({ databaseUrl: other.toString(), accountId: 1 });
      assert.ok(theirs, 'account 1 of the other schema is another account');
      await theirs.release();
    } finally {
      await mine.release();
    }
  });

  it("gives the dashboards' login the views of that schema", async () => {
    const password = randomBytes(12).toString('hex');
    const created = await runLoginScript({
      DATABASE_URL: harness.database.url,
      GRAFANA_DB_USER: login,
      GRAFANA_DB_PASSWORD: password,
    });
    assert.equal(created.code, 0, created.stderr);
    // Grafana's data source names host, database and user only: the schema comes from the login's settings.
    const plain = new URL(harness.database.url);
    plain.searchParams.delete('schema');
    const reader = await connectAs(plain.toString(), login, password);
    try {
      const { rows } = await reader.query('SELECT count(*)::int AS n FROM dashboard_dialogs');
      assert.equal(rows[0].n, peers.length);
    } finally {
      await reader.end();
    }
  });
});
