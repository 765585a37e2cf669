/**
 * PostgreSQL restarted in the middle of a run (its own embedded server, since the shared one serves
 * other test files): the run's process fails cleanly — it stops using Telegram when its lock
 * connection dies, exits non-zero on its own, with no unhandled rejection — and the next run succeeds.
 */
import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/db/embedded-postgres.ts';
import { silentLogger } from '../../../src/db/logger.ts';
import { migrateDatabase } from '../../../src/db/migrate.ts';
import { createPrismaClient } from '../../../src/db/prisma-client.ts';
import { ensureAccount, recordLogin, type AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { prismaExecutor } from '../../../src/store/prisma-executor.ts';
import { connectPg } from '../../helpers/database.ts';
import { startSyncHarness, type SyncHarness } from '../../helpers/sync-harness.ts';
import { exitWithin, prepareCli, spawnNode, type CliWorld } from './support.ts';

const PEERS = 2000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('PostgreSQL restarted during a run', () => {
  let harness: SyncHarness;
  let folder: string;
  let postgres: EmbeddedPostgres;
  let port: number;
  let account: AccountRecord;
  let cli: CliWorld;

  before(async () => {
    harness = await startSyncHarness({ label: 'res_pg_restart', world: { seed: 'resilience-pg-restart', peers: 5000, accounts: 1 } });
    // The server runs as another OS user: the folder must be traversable.
    folder = await mkdtemp(join(tmpdir(), 'tg-sync-pg-restart-'));
    await chmod(folder, 0o755);
    port = await freePort();
    postgres = await startEmbeddedPostgres({ dataDir: join(folder, 'data'), port, logger: silentLogger, durability: 'fast' });
    await migrateDatabase({ databaseUrl: postgres.url, migrationsDir: join(import.meta.dirname, '../../../prisma/migrations'), logger: silentLogger });
    const prisma = createPrismaClient(postgres.url, { applicationName: 'tg-dialog-sync tests', maxConnections: 2 });
    try {
      const me = harness.world.userAccounts[0]!.userId;
      const created = await ensureAccount(prismaExecutor(prisma), 'main');
      await recordLogin(prismaExecutor(prisma), created.id, me);
      account = { ...created, telegramUserId: me, status: 'active', statusReason: null };
    } finally {
      await prisma.$disconnect();
    }
    const upgraded = new Set(harness.world.migratedGroups().flatMap(({ chat, channel }) => [chat, channel]));
    const peers = harness.world.peerDialogPeers(account.telegramUserId!).filter((marked) => !upgraded.has(marked)).slice(0, PEERS);
    cli = await prepareCli(harness, account, peers, { DATABASE_URL: postgres.url });
  });
  after(async () => {
    await postgres?.stop().catch(() => undefined);
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
    if (cli !== undefined) await rm(cli.directory, { recursive: true, force: true });
    await harness?.close();
  });

  it('fails the running sync cleanly (non-zero exit, no unhandled rejection, no hang), and the next run succeeds', async () => {
    // Hold the run in the middle of its pass while the database goes away and comes back.
    const barrier = harness.server.faults.barrier({ method: 'messages.getPeerDialogs', nthCall: 5 });
    const job = spawnNode(['sync'], cli.env);
    await Promise.race([barrier.waitUntilHeld(1), job.exited.then((exit) => assert.fail(`the job exited early: ${JSON.stringify(exit)}`))]);
    const held = harness.server.callLog.calls('messages.GetPeerDialogs').at(-1)!;

    await postgres.stop();
    postgres = await startEmbeddedPostgres({ dataDir: join(folder, 'data'), port, logger: silentLogger, durability: 'fast' });
    const exit = await exitWithin(job, 60_000);
    barrier.release();
    const output = exit.stdout + exit.stderr;
    assert.notEqual(exit.code, 0, output);
    assert.equal(exit.signal, null, 'it exited by itself');
    // No crash: node reports an unhandled rejection or uncaught exception with a stack and its version line.
    assert.doesNotMatch(output, /unhandled|ERR_UNHANDLED_REJECTION|uncaught|^Node\.js v\d+/im, output);
    assert.match(output, /account lock lost; destroying the Telegram client/);
    // It says why in one line: the run's outcome when the database was back in time to record it, else
    // the command's one-line error naming the database (the run is then closed as abandoned next time).
    const summary = /^main: (failed|interrupted) — \d+ synced, 0 failed, 0 in backoff — .+$/m.test(exit.stdout);
    const fatal = exit.stderr.trim().split('\n').filter((line) => !line.startsWith('{')).some((line) => /database/i.test(line));
    assert.ok(summary || fatal, output);
    await harness.server.callLog.waitFor((call) => call.id === held.id && call.outcome.kind !== 'pending');
    assert.deepEqual(held.outcome, { kind: 'dropped', when: 'client-disconnected' }, 'it stopped using Telegram');

    const next = await exitWithin(spawnNode(['sync'], cli.env), 60_000);
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.match(next.stdout, /main: succeeded — \d+ synced, 0 failed/);
    const sql = await connectPg(postgres.url);
    try {
      const runs = await sql.query(`SELECT status FROM sync_runs ORDER BY id`);
      assert.equal(runs.rows.length, 2);
      assert.ok(['interrupted', 'failed', 'abandoned'].includes(runs.rows[0].status), `the restarted run is closed: ${runs.rows[0].status}`);
      assert.equal(runs.rows[1].status, 'succeeded');
      const dialogs = await sql.query('SELECT count(*)::int AS n FROM dialogs');
      assert.equal(dialogs.rows[0].n, PEERS);
    } finally {
      await sql.end();
    }
  });
});
