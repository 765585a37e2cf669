/**
 * The account's update state and the run's counters, through real syncs against the local data center:
 *  - with several getPeerDialogs calls in flight, replies arrive in any order; the stored state is
 *    the newest one (greatest pts, then qts, seq, date), never an older one that arrived last;
 *  - when the state was last fetched is recorded (per run, and for dashboards) without rewriting the
 *    state row when nothing in it changed;
 *  - a batch transaction that PostgreSQL makes the job retry (a serialization failure) is counted
 *    once: the run's counters equal the rows the run committed, checked against the tables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';

const BATCH = 10;

describe('update state and run counters', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let configured: bigint[];

  const sync = async (settings = TEST_SYNC_SETTINGS): Promise<SyncAccountResult & { status: 'succeeded' }> => {
    const result = await syncAccount(harness.deps, {
      account,
      settings,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(configured),
    });
    if (result.status === 'skipped') assert.fail(result.reason);
    assert.equal(result.status, 'succeeded', `${result.errorKind} ${result.errorText}`);
    return result as SyncAccountResult & { status: 'succeeded' };
  };
  const storedState = async () =>
    (
      await harness.sql.query(
        'SELECT pts, qts, seq, xmin::text AS version FROM account_update_states WHERE account_id = $1',
        [account.id],
      )
    ).rows[0];
  const dialogCalls = () => harness.server.callLog.calls('messages.GetPeerDialogs');

  before(async () => {
    harness = await startSyncHarness({
      label: 'state_counters',
      world: { seed: 'state-and-counters', peers: 1200, accounts: 1, resolveFlood: { freeCalls: 100_000 } },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    configured = syncablePeers(harness.world, me).slice(0, 3 * BATCH);
    await sync({ ...TEST_SYNC_SETTINGS, batchSize: BATCH });
  });
  after(() => harness?.close());

  it('keeps the newest update state when an older reply arrives last (SYNC_CONCURRENCY 2)', async () => {
    const world = harness.world;
    const callsBefore = dialogCalls().length;
    // Both first calls of the run are answered only when released; their replies carry the state as
    // it was when they were built.
    const first = harness.server.faults.barrier({ method: 'messages.GetPeerDialogs', nthCall: 1 });
    const second = harness.server.faults.barrier({ method: 'messages.GetPeerDialogs', nthCall: 2 });
    const run = sync({ ...TEST_SYNC_SETTINGS, batchSize: BATCH, concurrency: 2 });
    await Promise.all([first.waitUntilHeld(), second.waitUntilHeld()]);
    // The account's state moves on (a private message: account-wide pts + 1)…
    const user = configured.find((marked) => marked > 0n && world.peer(marked)?.kind === 'user')!;
    world.postMessage(user, { text: 'while the replies were held', accountUserId: me });
    const newest = world.accountUpdateState(me);
    // …the second reply goes, then the third call (built with the new state) is answered, and only
    // then the first reply, with the state from before, arrives.
    second.release();
    await harness.server.callLog.waitFor(
      (entry) => entry.method === 'messages.GetPeerDialogs' && entry.outcome.kind === 'ok',
      callsBefore + 2,
    );
    first.release();
    await run;
    assert.equal(dialogCalls().length, callsBefore + 3);
    assert.deepEqual(await storedState().then(({ pts, qts, seq }) => ({ pts, qts, seq })), {
      pts: newest.pts,
      qts: newest.qts,
      seq: newest.seq,
    });
    const history = await harness.sql.query(
      'SELECT pts FROM update_state_history WHERE account_id = $1 ORDER BY recorded_at DESC, run_id DESC LIMIT 1',
      [account.id],
    );
    assert.deepEqual(history.rows, [{ pts: newest.pts }]);
  });

  it('records when the state was last fetched, without rewriting an unchanged state row', async () => {
    await sync({ ...TEST_SYNC_SETTINGS, batchSize: BATCH });
    const before = await storedState();
    const result = await sync({ ...TEST_SYNC_SETTINGS, batchSize: BATCH });
    const after = await storedState();
    assert.equal(after.version, before.version, 'the state row was not rewritten');
    const { rows } = await harness.sql.query(
      `SELECT r.started_at <= r.state_fetched_at AND r.state_fetched_at <= r.finished_at AS within_run,
              h.fetched_at = r.state_fetched_at AS in_history,
              a.state_fetched_at = r.state_fetched_at AS on_dashboard,
              u.fetched_at = r.state_fetched_at AS in_update_states_view
       FROM sync_runs r
       JOIN update_state_history h ON h.run_id = r.id
       JOIN dashboard_accounts a ON a.account_id = r.account_id
       JOIN dashboard_update_states u ON u.run_id = r.id
       WHERE r.id = $1`,
      [result.runId.toString()],
    );
    assert.deepEqual(rows, [{ within_run: true, in_history: true, on_dashboard: true, in_update_states_view: true }]);
  });

  it('counts a batch that PostgreSQL made the job retry once: the counters equal the rows committed', async () => {
    const world = harness.world;
    // Content changes across every counted table, in more than one batch.
    const of = (kind: string) => configured.filter((marked) => world.peer(marked)?.kind === kind);
    const [channel, otherChannel] = of('channel');
    const [group] = of('chat').filter((marked) => world.chatAsSeenBy(me, marked).kind === 'chat');
    const [user] = of('user');
    const stored = new Set((await harness.sql.query('SELECT id FROM users')).rows.map((row) => BigInt(row.id)));
    const stranger = world.users(true).find((peer) => peer.kind === 'user' && !stored.has(peer.id) && !peer.bot)!;
    assert.ok(channel && otherChannel && group && user && stranger);
    world.postMessage(channel, { text: 'news' });
    world.renamePeer(otherChannel, { title: 'Renamed channel' });
    world.renamePeer(group, { title: 'Renamed group' });
    world.postMessage(group, { text: 'hello from a new face', fromUserId: stranger.id });
    world.renamePeer(user, { firstName: 'Renamed' });
    world.postMessage(user, { text: 'hi', accountUserId: me });

    // The first batch transaction fails once, at its last statement (the run's progress, saved after
    // the batch was written), with a serialization failure; the job's transactor runs it again.
    // (A sequence is not rolled back: only the first attempt fails.)
    await harness.sql.query(`CREATE SEQUENCE test_fail_once;
      CREATE FUNCTION test_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('test_fail_once') = 1 THEN
          RAISE EXCEPTION 'could not serialize access due to concurrent update (injected by the test)' USING ERRCODE = 'serialization_failure';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_fail_once BEFORE UPDATE ON sync_runs FOR EACH ROW EXECUTE FUNCTION test_fail_once();`);
    let result;
    try {
      result = await sync({ ...TEST_SYNC_SETTINGS, batchSize: BATCH });
    } finally {
      await harness.sql.query('DROP TRIGGER test_fail_once ON sync_runs; DROP FUNCTION test_fail_once();');
    }
    const { rows: failed } = await harness.sql.query('SELECT last_value > 1 AS retried FROM test_fail_once');
    assert.deepEqual(failed, [{ retried: true }], 'the injected failure happened and the batch was retried');
    await harness.sql.query('DROP SEQUENCE test_fail_once');

    const committed = async (table: string) =>
      (
        await harness.sql.query(
          `SELECT count(*) FILTER (WHERE t.created_at >= r.started_at)::int AS inserted,
                  count(*) FILTER (WHERE t.created_at < r.started_at AND t.updated_at >= r.started_at)::int AS updated
           FROM ${table} t, sync_runs r WHERE r.id = $1`,
          [result.runId.toString()],
        )
      ).rows[0];
    const { rows } = await harness.sql.query(
      `SELECT dialogs_inserted, dialogs_updated, messages_inserted, messages_updated, users_inserted, users_updated,
              chats_inserted, chats_updated, channels_inserted, channels_updated, peers_synced
       FROM sync_runs WHERE id = $1`,
      [result.runId.toString()],
    );
    const expected: Record<string, number> = { peers_synced: configured.length };
    for (const table of ['dialogs', 'messages', 'users', 'chats', 'channels']) {
      const counts = await committed(table);
      expected[`${table}_inserted`] = counts.inserted;
      expected[`${table}_updated`] = counts.updated;
    }
    assert.deepEqual(rows[0], expected);
    assert.ok(
      expected.messages_inserted! >= 3 && expected.dialogs_updated! >= 4 && expected.users_inserted! >= 1,
      JSON.stringify(expected),
    );
    assert.deepEqual(result.counters.dialogsUpdated, expected.dialogs_updated, 'the run result says the same');
  });
});
