/**
 * Issue 12 point 4: a configured basic group that is upgraded to a supergroup after it was resolved
 * (groups are upgraded when they grow) is followed: the run whose reply shows Chat.migrated_to
 * switches the configured peer to the supergroup and syncs it in the same run, keeping the old
 * group's rows (marked by migrated_to).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  peerKeyOfMarked,
  startSyncHarness,
  TEST_SYNC_SETTINGS,
  wantedPeersOfMarked,
  type SyncHarness,
  assertRan,
} from '../../helpers/sync-harness.ts';

describe('groups upgraded after they were resolved', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let group: bigint;
  let configured: bigint[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'upgraded_groups',
      world: { seed: 'upgraded-groups', peers: 600, accounts: 1 },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const upgraded = new Set(harness.world.migratedGroups().map(({ chat }) => chat));
    const dialogs = harness.world.peerDialogPeers(me);
    group = dialogs.find(
      (marked) =>
        harness.world.peer(marked)?.kind === 'chat' &&
        !upgraded.has(marked) &&
        harness.world.chatAsSeenBy(me, marked).kind === 'chat',
    )!;
    assert.ok(group !== undefined, 'the account is a member of a basic group');
    configured = [group, ...dialogs.filter((marked) => marked !== group).slice(0, 20)];
  });
  after(() => harness?.close());

  const sync = () =>
    syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(configured),
    });

  it('switches the configured group to its supergroup and syncs it in the run that sees the upgrade', async () => {
    assertRan(await sync(), 'succeeded');
    const groupKey = peerKeyOfMarked(group);
    const before = await harness.sql.query(
      `SELECT peer_type, peer_id::text FROM configured_peers WHERE account_id = $1 AND input = $2`,
      [account.id, String(group)],
    );
    assert.deepEqual(before.rows, [{ peer_type: 'chat', peer_id: groupKey.peerId.toString() }]);

    // Between the two runs the group grows into a supergroup; a message arrives there.
    const supergroup = harness.world.upgradeGroup(group);
    harness.world.postMessage(supergroup, { text: 'after the upgrade' });
    const superKey = peerKeyOfMarked(supergroup);
    const calls = (method: string) => harness.server.callLog.calls(method).length;
    const resolveCalls = calls('contacts.ResolveUsername');

    assertRan(await sync(), 'succeeded');
    const after = await harness.sql.query(
      `SELECT peer_type, peer_id::text, status FROM configured_peers WHERE account_id = $1 AND input = $2`,
      [account.id, String(group)],
    );
    assert.deepEqual(
      after.rows,
      [{ peer_type: 'channel', peer_id: superKey.peerId.toString(), status: 'synced' }],
      'the configured peer follows the upgrade',
    );
    const dialog = await harness.sql.query(
      `SELECT top_message_id FROM dialogs WHERE account_id = $1 AND peer_type = 'channel' AND peer_id = $2`,
      [account.id, superKey.peerId.toString()],
    );
    assert.deepEqual(
      dialog.rows,
      [{ top_message_id: harness.world.dialog(me, supergroup)!.topMessage }],
      'the supergroup was synced in the same run',
    );
    // The old group's rows stay, marked migrated.
    const old = await harness.sql.query(`SELECT migrated_to_channel_id::text AS migrated FROM chats WHERE id = $1`, [
      groupKey.peerId.toString(),
    ]);
    assert.deepEqual(old.rows, [{ migrated: superKey.peerId.toString() }]);
    const oldDialog = await harness.sql.query(
      `SELECT count(*)::int AS n FROM dialogs WHERE account_id = $1 AND peer_type = 'chat' AND peer_id = $2`,
      [account.id, groupKey.peerId.toString()],
    );
    assert.equal(oldDialog.rows[0].n, 1, "the group's dialog row is kept");
    assert.equal(calls('contacts.ResolveUsername'), resolveCalls, 'no username was resolved for it');

    // A third run syncs the supergroup directly, without asking for the group again.
    const chatsCalls = calls('messages.GetChats');
    assertRan(await sync(), 'succeeded');
    assert.equal(calls('messages.GetChats'), chatsCalls);
    const third = await harness.sql.query(
      `SELECT peer_type FROM configured_peers WHERE account_id = $1 AND input = $2`,
      [account.id, String(group)],
    );
    assert.equal(third.rows[0].peer_type, 'channel');
  });
});
