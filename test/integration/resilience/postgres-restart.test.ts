/**
 * PostgreSQL restarted in the middle of a run (its own embedded server, since the shared one serves
 * other test files): the run's process fails cleanly — it stops using Telegram when its lock
 * connection dies, exits non-zero on its own, with no unhandled rejection — prints a result line for
 * every account (the one that had already succeeded too), records why the run ended in sync_runs
 * once the database is back (16.4), and the next run succeeds.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/dev/embedded-postgres/server.ts';
import { silentLogger } from '../../../src/observability/app-logger.ts';
import { migrateDatabase } from '../../../src/db/migrate.ts';
import { createPrismaClient } from '../../../src/db/prisma-client.ts';
import { ensureAccount, recordLogin, type AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { prismaExecutor } from '../../../src/store/prisma-executor.ts';
import { connectPg } from '../../helpers/database.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import { startSyncHarness, syncablePeers, type SyncHarness, wantedPeersOfMarked } from '../../helpers/sync-harness.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { TEST_SYNC_SETTINGS } from '../../helpers/sync-harness.ts';
import { startCli } from '../../helpers/cli-process.ts';
import { freePort } from '../../helpers/free-port.ts';

const PEERS = 1500;

describe('PostgreSQL restarted during a run', () => {
  let harness: SyncHarness;
  let folder: string;
  let postgres: EmbeddedPostgres;
  let port: number;
  /** Synced first (succeeds before the restart), then the account whose run the restart cuts. */
  let accounts: AccountRecord[];
  let env: NodeJS.ProcessEnv;
  /** The peers both accounts sync. */
  let shared: bigint[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_pg_restart',
      world: { seed: 'resilience-pg-restart', peers: 5000, accounts: 2 },
    });
    // The server runs as another OS user: the folder must be traversable.
    folder = await mkdtemp(join(tmpdir(), 'tg-sync-pg-restart-'));
    await chmod(folder, 0o755);
    port = await freePort();
    postgres = await startEmbeddedPostgres({
      dataDir: join(folder, 'data'),
      port,
      logger: silentLogger,
      durability: 'fast',
    });
    await migrateDatabase({
      databaseUrl: postgres.url,
      migrationsDir: join(import.meta.dirname, '../../../prisma/migrations'),
      logger: silentLogger,
    });
    const prisma = createPrismaClient(postgres.url, { applicationName: 'tg-dialog-sync tests', maxConnections: 2 });
    try {
      accounts = [];
      for (const [index, label] of ['first', 'main'].entries()) {
        const user = harness.world.userAccounts[index]!.userId;
        const created = await ensureAccount(prismaExecutor(prisma), label);
        await recordLogin(prismaExecutor(prisma), created.id, user);
        accounts.push({ ...created, telegramUserId: user, status: 'active', statusReason: null });
      }
    } finally {
      await prisma.$disconnect();
    }
    // One peers file for both accounts: each account syncs the peers it has a dialog with.
    const peersOf = (account: AccountRecord) => syncablePeers(harness.world, account.telegramUserId!);
    const first = new Set(peersOf(accounts[0]!));
    shared = peersOf(accounts[1]!)
      .filter((marked) => first.has(marked))
      .slice(0, PEERS);
    assert.equal(shared.length, PEERS);
    env = await jobEnvironment(harness, {
      accounts: accounts.map((account) => ({ account, session: harness.server.sessionFor(account.telegramUserId!) })),
      peers: shared.map(String),
      extra: {
        DATABASE_URL: postgres.url,
        SYNC_TRANSIENT_RETRIES: '3',
        SYNC_TRANSIENT_BACKOFF_BASE_MS: '50',
        SYNC_TRANSIENT_BACKOFF_MAX_MS: '200',
        LOG_LEVEL: 'info',
      },
    });
  });
  after(async () => {
    await postgres?.stop().catch(() => undefined);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    if (env !== undefined) await rm(join(env.SYNC_PEERS_FILE as string, '..'), { recursive: true, force: true });
    await harness?.close();
  });

  it('fails the running sync cleanly (non-zero exit, no unhandled rejection, no hang), says and records why, and the next run succeeds', async () => {
    // Hold the second account's run in the middle of its pass while the database goes away and comes back.
    const barrier = harness.server.faults.barrier({
      method: 'messages.getPeerDialogs',
      account: accounts[1]!.telegramUserId!,
      nthCall: 5,
    });
    const job = startCli(['sync'], env);
    await Promise.race([
      barrier.waitUntilHeld(1),
      job.exited.then((exit) => assert.fail(`the job exited early: ${JSON.stringify(exit)}`)),
    ]);
    const held = harness.server.callLog.calls('messages.GetPeerDialogs').at(-1)!;

    await postgres.stop();
    postgres = await startEmbeddedPostgres({
      dataDir: join(folder, 'data'),
      port,
      logger: silentLogger,
      durability: 'fast',
    });
    const exit = await job.exitWithin(90_000);
    barrier.release();
    const output = exit.stdout + exit.stderr;
    assert.notEqual(exit.code, 0, output);
    assert.equal(exit.signal, null, 'it exited by itself');
    // No crash: node reports an unhandled rejection or uncaught exception with a stack and its version line.
    assert.doesNotMatch(output, /unhandled|ERR_UNHANDLED_REJECTION|uncaught|^Node\.js v\d+/im, output);
    assert.match(output, /account lock lost; destroying the Telegram client/);
    // A result line for every account: the one that had succeeded, and the one the restart cut, with why.
    assert.match(exit.stdout, new RegExp(`^first: succeeded — ${PEERS} synced, 0 failed`, 'm'), output);
    const cut = /^main: (failed|interrupted) — \d+ synced, 0 failed, 0 in backoff — (.+)$/m.exec(exit.stdout);
    assert.ok(cut !== null, output);
    assert.match(cut[2]!, /account lock was lost|database/i);
    await harness.server.callLog.waitFor((call) => call.id === held.id && call.outcome.kind !== 'pending');
    assert.deepEqual(held.outcome, { kind: 'dropped', when: 'client-disconnected' }, 'it stopped using Telegram');

    const sql = await connectPg(postgres.url);
    try {
      // The database came back within the retries: the run's end and its reason are in sync_runs.
      const cutRun = await sql.query(
        `SELECT r.status::text AS status, r.error_text FROM sync_runs r JOIN accounts a ON a.id = r.account_id WHERE a.label = 'main' ORDER BY r.id`,
      );
      assert.equal(cutRun.rows.length, 1);
      assert.equal(cutRun.rows[0].status, cut[1], 'recorded as printed, not left to be closed as abandoned');
      assert.equal(cutRun.rows[0].error_text, cut[2]);

      const next = await startCli(['sync'], env).exitWithin(60_000);
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.match(next.stdout, /^main: succeeded — \d+ synced, 0 failed/m);
      const runs = await sql.query(
        `SELECT a.label, r.status::text AS status FROM sync_runs r JOIN accounts a ON a.id = r.account_id ORDER BY r.id`,
      );
      assert.deepEqual(
        runs.rows.map((row) => `${row.label} ${row.status}`),
        ['first succeeded', `main ${cut[1]}`, 'first succeeded', 'main succeeded'],
      );
      const dialogs = await sql.query(
        `SELECT a.label, count(*)::int AS n FROM dialogs d JOIN accounts a ON a.id = d.account_id GROUP BY a.label ORDER BY a.label`,
      );
      assert.deepEqual(
        dialogs.rows.map((row) => [row.label, row.n]),
        [
          ['first', PEERS],
          ['main', PEERS],
        ],
      );
    } finally {
      await sql.end();
    }
  });

  it('when the database stays away, the result says the run could not be recorded; the next run closes it as abandoned, naming the runner and its last progress', async () => {
    const prisma = createPrismaClient(postgres.url, { applicationName: 'tg-dialog-sync tests', maxConnections: 2 });
    try {
      // Pauses that return at once: the retries of the final update run out without waiting 30 s.
      const deps = { ...harness.dependencies({ sleep: async () => undefined }), prisma, databaseUrl: postgres.url };
      const barrier = harness.server.faults.barrier({
        method: 'messages.getPeerDialogs',
        account: accounts[1]!.telegramUserId!,
        nthCall: 4,
      });
      const running = syncAccount(deps, {
        account: accounts[1]!,
        settings: TEST_SYNC_SETTINGS,
        trigger: 'test',
        configuredPeers: wantedPeersOfMarked(shared),
      });
      await barrier.waitUntilHeld(1);
      await postgres.stop();
      const result = await running;
      barrier.release();
      if (result.status === 'skipped') assert.fail(result.reason);
      assert.equal(result.status, 'failed');
      assert.equal(result.recorded, false);
      assert.equal(result.errorKind, 'not_recorded');
      assert.match(result.errorText ?? '', /^.+; this could not be recorded in sync_runs \(.+\)$/);
      assert.ok(result.counters.peersSynced >= 100, 'what was done is still reported');

      postgres = await startEmbeddedPostgres({
        dataDir: join(folder, 'data'),
        port,
        logger: silentLogger,
        durability: 'fast',
      });
      const next = await syncAccount(
        { ...harness.dependencies({}), prisma, databaseUrl: postgres.url },
        {
          account: accounts[1]!,
          settings: TEST_SYNC_SETTINGS,
          trigger: 'test',
          configuredPeers: wantedPeersOfMarked(shared),
        },
      );
      assert.equal(
        next.status,
        'succeeded',
        next.status === 'skipped' ? next.reason : `${next.errorKind}: ${next.errorText}`,
      );
      const sql = await connectPg(postgres.url);
      try {
        const { rows } = await sql.query(`SELECT status::text AS status, error_text FROM sync_runs WHERE id = $1`, [
          result.runId.toString(),
        ]);
        assert.equal(rows[0].status, 'abandoned');
        assert.match(
          rows[0].error_text,
          /^the process running it \(.+:\d+\) stopped without recording how the run ended: .*could not reach the database.*; its last progress was saved at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
        );
      } finally {
        await sql.end();
      }
    } finally {
      await prisma.$disconnect();
    }
  });
});
