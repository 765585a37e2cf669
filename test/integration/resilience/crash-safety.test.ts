/**
 * Crash safety: the job process is SIGKILLed in the middle of a 10,000-peer run, at three points.
 * What it wrote is whole batches only (each batch is one transaction: a dialog row always comes with
 * its top message and its peer's status), the next normal run closes the killed run as abandoned,
 * continues the pass without writing any batch twice, and leaves the tables equal to the world.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  syncablePeers,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  peerKey,
} from '../../helpers/sync-harness.ts';
import { startCli } from '../../helpers/cli-process.ts';
import { eventually, prepareCli, type CliWorld } from './support.ts';

const PEERS = 10_000;
const KILL_AFTER_CALLS = [10, 40, 80];

describe('SIGKILL in the middle of a 10,000-peer run', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let peers: bigint[];
  let cli: CliWorld;

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_crash',
      world: { seed: 'resilience-crash', peers: 17_500, accounts: 1 },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    peers = syncablePeers(harness.world, me).slice(0, PEERS);
    assert.equal(peers.length, PEERS);
    cli = await prepareCli(harness, account, peers, { LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await harness?.close();
    if (cli !== undefined) await rm(cli.directory, { recursive: true, force: true });
  });

  const count = async (sql: string) => (await harness.sql.query(sql, [account.id])).rows[0].n as number;
  /** Whole batches only: every dialog has its top message and its peer marked synced in the same transaction. */
  const assertWholeBatches = async () => {
    const dialogs = await count('SELECT count(*)::int AS n FROM dialogs WHERE account_id = $1');
    const withoutTop = await count(
      `SELECT count(*)::int AS n FROM dialogs d LEFT JOIN messages m
         ON m.account_id = d.account_id AND m.peer_type = d.peer_type AND m.peer_id = d.peer_id AND m.id = d.top_message_id
       WHERE d.account_id = $1 AND m.id IS NULL`,
    );
    const synced = await count(
      `SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND status = 'synced'`,
    );
    const syncedWithoutDialog = await count(
      `SELECT count(*)::int AS n FROM configured_peers c LEFT JOIN dialogs d ON d.account_id = c.account_id AND d.peer_type = c.peer_type AND d.peer_id = c.peer_id
       WHERE c.account_id = $1 AND c.status = 'synced' AND d.peer_id IS NULL`,
    );
    assert.equal(withoutTop, 0, 'no dialog without its top message');
    assert.equal(syncedWithoutDialog, 0, 'no peer marked synced without its dialog');
    assert.equal(synced, dialogs, 'every written dialog has its peer marked synced');
    assert.equal(dialogs % 100, 0, `${dialogs} dialogs: whole 100-peer batches only`);
    return dialogs;
  };
  const assertEqualsWorld = async () => {
    const { rows } = await harness.sql.query(
      `SELECT d.peer_type || ':' || d.peer_id AS key, d.top_message_id, d.unread_count, m.id AS message_id
       FROM dialogs d LEFT JOIN messages m ON m.account_id = d.account_id AND m.peer_type = d.peer_type AND m.peer_id = d.peer_id AND m.id = d.top_message_id
       WHERE d.account_id = $1`,
      [account.id],
    );
    assert.equal(rows.length, PEERS);
    const stored = new Map(rows.map((row) => [row.key, row]));
    for (const marked of peers) {
      const expected = harness.world.dialog(me, marked)!;
      const row = stored.get(peerKey(marked));
      assert.ok(row !== undefined, `dialog ${marked} stored`);
      assert.deepEqual(
        [row.top_message_id, row.unread_count, row.message_id],
        [expected.topMessage, expected.unreadCount, expected.topMessage],
        `dialog ${marked}`,
      );
    }
  };

  const killedRuns: string[] = [];
  let writtenBeforeLastKill = 0;

  for (const calls of KILL_AFTER_CALLS) {
    it(`SIGKILL at the ${calls}th getPeerDialogs call of the pass leaves whole batches only`, async () => {
      const log = harness.server.callLog;
      const job = startCli(['sync'], cli.env);
      // Each process continues the pass the killed one left, so the pass's calls add up.
      await Promise.race([
        log.waitFor((call) => call.method === 'messages.GetPeerDialogs', calls),
        job.exited.then((exit) => assert.fail(`the job exited before it was killed: ${JSON.stringify(exit)}`)),
      ]);
      job.child.kill('SIGKILL');
      const exit = await job.exitWithin(10_000);
      assert.equal(exit.signal, 'SIGKILL');

      // PostgreSQL drops the dead process's sessions (its open transaction rolls back, its lock goes).
      await eventually('the killed process to leave PostgreSQL', async () => {
        const { rows } = await harness.sql.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'tg-dialog-sync%'`,
          [harness.database.name],
        );
        return rows[0].n === 0 ? true : undefined;
      });
      const written = await assertWholeBatches();
      assert.ok(written < PEERS, 'killed mid-run');
      const earlier = writtenBeforeLastKill;
      writtenBeforeLastKill = written;
      assert.ok(written > earlier, 'the pass went on, and nothing written earlier was lost');
      // Each kill loses at most the calls in flight and the reply being written (re-requested later).
      assert.ok(
        written >= (calls - 3 * (killedRuns.length + 1)) * 100,
        `${written} dialogs written before the kill at call ${calls}`,
      );

      const runs = await harness.sql.query(`SELECT id::text, status FROM sync_runs WHERE account_id = $1 ORDER BY id`, [
        account.id,
      ]);
      assert.deepEqual(
        runs.rows.map((row) => row.status),
        [...killedRuns.map(() => 'abandoned'), 'running'],
        'earlier killed runs were closed as abandoned by the next one',
      );
      killedRuns.push(runs.rows.at(-1).id);
    });
  }

  it('a normal run then closes the killed run as abandoned, continues the pass without a batch twice, and the tables equal the world', async () => {
    const log = harness.server.callLog;
    const dialogCallsBefore = log.calls('messages.GetPeerDialogs').length;
    assert.equal(dialogCallsBefore, KILL_AFTER_CALLS.at(-1));
    const result = assertRan(
      await syncAccount(harness.deps, { account, settings: TEST_SYNC_SETTINGS, trigger: 'test' }),
      'succeeded',
    );
    assert.equal(
      result.counters.peersSynced,
      PEERS - writtenBeforeLastKill,
      'only what the killed runs had not written',
    );
    assert.equal(
      log.calls('messages.GetPeerDialogs').length - dialogCallsBefore,
      (PEERS - writtenBeforeLastKill) / 100,
    );
    const killed = await harness.sql.query(
      'SELECT status, error_kind, finished_at IS NOT NULL AS closed FROM sync_runs WHERE id = ANY($1::bigint[]) ORDER BY id',
      [killedRuns],
    );
    assert.deepEqual(
      killed.rows,
      killedRuns.map(() => ({ status: 'abandoned', error_kind: 'abandoned', closed: true })),
    );
    const cycles = await harness.sql.query(
      'SELECT count(DISTINCT cycle_started_at)::int AS n FROM sync_runs WHERE account_id = $1',
      [account.id],
    );
    assert.equal(cycles.rows[0].n, 1, 'the killed runs and this one are one pass');
    // Every peer was answered once in the whole pass, apart from replies a kill kept from being written
    // (at most the one being written and the one waiting behind it, per kill).
    const answered = log
      .calls('messages.GetPeerDialogs')
      .filter((call) => call.outcome.kind === 'ok')
      .flatMap((call) => call.peers ?? []);
    assert.ok(answered.length <= PEERS + 2 * 100 * KILL_AFTER_CALLS.length, `${answered.length} peers answered`);
    assert.deepEqual(new Set(answered.map((peer) => `${peer.type}:${peer.id}`)), new Set(peers.map(peerKey)));
    await assertWholeBatches();
    await assertEqualsWorld();
  });
});
