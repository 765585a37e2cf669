/**
 * Issue 12 point 7: sync_runs counts every row the run committed — those written while resolving
 * peers (contacts.resolveUsername, the scan of the account's dialog list, messages.getChats for
 * upgraded groups) as well as those of the getPeerDialogs replies. On an empty database a first
 * sync's inserted counts are the tables' row counts, and the metric rows_written_total follows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePeerSpec } from '../../../src/peers/parse-peer-spec.ts';
import { SyncMetrics } from '../../../src/observability/metrics.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import type { WantedPeer } from '../../../src/store/peers/reconcile-configured-peers.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { peerKeyOfMarked, startSyncHarness, TEST_SYNC_SETTINGS, type SyncHarness } from '../../helpers/sync-harness.ts';

describe('run counters', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let inputs: string[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'run_counters_truth',
      world: { seed: 'run-counters-truth', peers: 800, accounts: 1, resolveFlood: { freeCalls: 100_000 } },
    });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const world = harness.world;
    const upgraded = world.migratedGroups();
    const skip = new Set(upgraded.flatMap(({ chat, channel }) => [chat, channel]));
    const dialogs = world.peerDialogPeers(me).filter((marked) => !skip.has(marked));
    // Names in the dialogs and numeric ids (the dialog-list scan), channel names outside them
    // (resolveUsername), and an upgraded group by its old id.
    const named = dialogs
      .filter((marked) => peerKeyOfMarked(marked).peerType !== 'chat' && world.usernamesOf(marked).length > 0)
      .slice(0, 40);
    const inDialogs = new Set(world.peerDialogPeers(me));
    const outside = world.allPeers
      .map((peer) => world.markedIdOf(peer))
      .filter(
        (marked) =>
          world.peer(marked)?.kind === 'channel' &&
          !inDialogs.has(marked) &&
          world.usernamesOf(marked).some((entry) => entry.active),
      )
      .slice(0, 20);
    const numeric = dialogs.filter((marked) => !named.includes(marked)).slice(0, 150);
    const nameOf = (marked: bigint) =>
      `@${(world.usernamesOf(marked).find((entry) => entry.active) ?? world.usernamesOf(marked)[0]!).username}`;
    inputs = [
      ...named.map(nameOf),
      ...outside.map(nameOf),
      ...numeric.map(String),
      ...upgraded.slice(0, 2).map(({ chat }) => String(chat)),
    ];
  });
  after(() => harness?.close());

  it('counts the rows written while resolving peers: a first sync inserts exactly what its counters say', async () => {
    const wanted: WantedPeer[] = inputs.map((input) => {
      const parsed = parsePeerSpec(input);
      assert.ok(parsed.ok, input);
      return { input, normalizedInput: parsed.spec.normalized };
    });
    const result = await syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wanted,
    });
    if (result.status === 'skipped') assert.fail(result.reason);
    assert.equal(result.status, 'succeeded', `${result.errorKind}: ${result.errorText}`);
    const calls = (method: string) => harness.server.callLog.calls(method).length;
    assert.ok(calls('contacts.ResolveUsername') >= 10, 'names outside the dialogs were resolved one by one');
    assert.ok(calls('messages.GetDialogs') >= 1, 'the dialog list was scanned');

    const [run] = (
      await harness.sql.query(
        `SELECT users_inserted, chats_inserted, channels_inserted, dialogs_inserted, messages_inserted FROM sync_runs WHERE id = $1`,
        [result.runId.toString()],
      )
    ).rows;
    const [tables] = (
      await harness.sql.query(
        `SELECT (SELECT count(*)::int FROM users) AS users_inserted, (SELECT count(*)::int FROM chats) AS chats_inserted,
                (SELECT count(*)::int FROM channels) AS channels_inserted, (SELECT count(*)::int FROM dialogs) AS dialogs_inserted,
                (SELECT count(*)::int FROM messages) AS messages_inserted`,
        [],
      )
    ).rows;
    assert.deepEqual(run, tables, 'sync_runs counters = the rows the run committed');
    assert.equal(result.counters.usersInserted, tables.users_inserted);

    const metrics = new SyncMetrics({ version: '0.0.0-test', node: process.version });
    metrics.recordRun('main', result, 1);
    const text = await metrics.registry.metrics();
    assert.match(
      text,
      new RegExp(`tgsync_rows_written_total\\{table="users",operation="insert"\\} ${tables.users_inserted}\\b`),
    );
  });
});
