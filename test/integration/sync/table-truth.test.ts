/**
 * The tables say what Telegram says now, through real syncs against the local data center:
 *  - a channel the account was banned from (a successful reply carrying a ChannelForbidden) is marked
 *    forbidden, and stays so without being rewritten on every run;
 *  - an unchanged re-sync writes no tuple in any table of synced data, forbidden rows included;
 *  - a dialog that vanished (the account deleted or left it; the peer still resolves) stops counting
 *    in the dashboards and the README's queries, and counts again when it comes back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  peerKeyOfMarked,
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';
import { ROW_VERSIONS_SQL } from '../../helpers/row-versions.ts';
import { readmeExampleQueries } from '../../unit/deploy/deploy-files.ts';

const BAN_UNTIL = 1_900_000_000;

describe('the synced tables tell the truth', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let configured: bigint[];
  let banned: bigint;
  let kickedGroup: bigint;
  let vanishedUser: bigint;
  let vanishedChannel: bigint;
  const runs: SyncAccountResult[] = [];

  const sync = async () => {
    const result = await syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(configured),
    });
    if (result.status === 'skipped') assert.fail(result.reason);
    assert.equal(result.status, 'succeeded', `${result.errorKind} ${result.errorText}`);
    runs.push(result);
    return result;
  };
  const key = (marked: bigint) => peerKeyOfMarked(marked);
  /** What the world says the unread total of the account's dialogs is (configured peers with a dialog). */
  const worldUnread = () =>
    configured.reduce((sum, marked) => sum + (harness.world.dialog(me, marked)?.unreadCount ?? 0), 0);
  const worldDialogs = () => configured.filter((marked) => harness.world.dialog(me, marked) !== null).length;
  const readmeQuery = (title: string) => readmeExampleQueries().find((query) => query.title === title)!.sql;

  before(async () => {
    harness = await startSyncHarness({
      label: 'table_truth',
      world: { seed: 'table-truth', peers: 1500, accounts: 1, resolveFlood: { freeCalls: 100_000 } },
    });
    const world = harness.world;
    me = world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    configured = syncablePeers(world, me).slice(0, 150);
    const kind = (marked: bigint) => world.peer(marked)?.kind;
    const isMember = (marked: bigint) => world.chatAsSeenBy(me, marked).kind === 'channel';
    banned = configured.find((marked) => kind(marked) === 'channel' && isMember(marked))!;
    vanishedChannel = configured.find(
      (marked) =>
        marked !== banned &&
        kind(marked) === 'channel' &&
        isMember(marked) &&
        world.usernamesOf(marked).some((name) => name.active),
    )!;
    vanishedUser = configured.find(
      (marked) =>
        kind(marked) === 'user' &&
        world.usernamesOf(marked).some((name) => name.active) &&
        world.dialog(me, marked)!.unreadCount > 0 &&
        !world.userAsSeenBy(me, marked).bot,
    )!;
    kickedGroup = configured.find(
      (marked) => kind(marked) === 'chat' && world.chatAsSeenBy(me, marked).kind === 'chat',
    )!;
    assert.ok(
      banned && vanishedChannel && vanishedUser && kickedGroup,
      'the world has every kind of peer this test needs',
    );
    assert.ok(world.dialog(me, vanishedChannel)!.unreadCount + world.dialog(me, vanishedUser)!.unreadCount > 0);

    await sync();
    // Between two runs: banned from a channel (the dialog stays), kicked from a basic group, one chat
    // deleted and one public channel left (both still resolve).
    world.banAccount(me, banned, { untilDate: BAN_UNTIL });
    world.kickAccount(me, kickedGroup);
    world.deleteDialog(me, vanishedUser);
    world.deleteDialog(me, vanishedChannel);
    await sync();
  });
  after(() => harness?.close());

  it('marks a channel that answers as ChannelForbidden forbidden for the account, keeping what was known', async () => {
    const { peerId } = key(banned);
    const access = await harness.sql.query(
      `SELECT is_forbidden, is_banned, forbidden_since IS NOT NULL AS has_since, extract(epoch FROM forbidden_until)::int AS until
       FROM account_channels WHERE account_id = $1 AND channel_id = $2`,
      [account.id, peerId.toString()],
    );
    assert.deepEqual(access.rows, [{ is_forbidden: true, is_banned: true, has_since: true, until: BAN_UNTIL }]);
    const channel = await harness.sql.query(
      'SELECT username, participants_count IS NOT NULL AS has_count FROM channels WHERE id = $1',
      [peerId.toString()],
    );
    assert.deepEqual(channel.rows, [
      { username: harness.world.usernamesOf(banned).find((name) => name.active)?.username ?? null, has_count: true },
    ]);
    const dashboard = await harness.sql.query(
      'SELECT is_forbidden, forbidden_since IS NOT NULL AS has_since, sync_status FROM dashboard_dialogs WHERE peer_marked_id = $1',
      [banned.toString()],
    );
    assert.deepEqual(dashboard.rows, [{ is_forbidden: true, has_since: true, sync_status: 'synced' }]);
    const group = await harness.sql.query('SELECT is_forbidden FROM dashboard_dialogs WHERE peer_marked_id = $1', [
      kickedGroup.toString(),
    ]);
    assert.deepEqual(group.rows, [{ is_forbidden: true }]);
  });

  it('leaves vanished dialogs out of the dashboards and the README queries, marking them absent', async () => {
    const [unread] = (await harness.sql.query(readmeQuery('Unread messages per account'))).rows;
    assert.deepEqual(unread, { account_label: 'main', unread: String(worldUnread()) });
    const [glance] = (await harness.sql.query(readmeQuery('Accounts at a glance'))).rows;
    assert.equal(glance.dialogs, String(worldDialogs()));
    const shown = await harness.sql.query(
      'SELECT peer_marked_id FROM dashboard_dialogs WHERE peer_marked_id = ANY($1)',
      [[vanishedUser, vanishedChannel].map(String)],
    );
    assert.deepEqual(shown.rows, []);
    const { rows } = await harness.sql.query(
      `SELECT d.peer_type, d.peer_id, d.absent_since IS NOT NULL AS absent, c.status
       FROM dialogs d JOIN configured_peers c ON c.account_id = d.account_id AND c.peer_type = d.peer_type AND c.peer_id = d.peer_id
       WHERE d.account_id = $1 AND (d.absent_since IS NOT NULL OR c.status <> 'synced') ORDER BY d.peer_type, d.peer_id`,
      [account.id],
    );
    assert.deepEqual(
      rows,
      [vanishedUser, vanishedChannel]
        .map(key)
        .sort((a, b) => (a.peerType === b.peerType ? Number(a.peerId - b.peerId) : a.peerType === 'user' ? -1 : 1))
        .map(({ peerType, peerId }) => ({
          peer_type: peerType,
          peer_id: peerId.toString(),
          absent: true,
          status: 'no_dialog',
        })),
    );
  });

  it('writes no tuple on an unchanged re-sync, in any table, forbidden and absent rows included', async () => {
    const before = (await harness.sql.query(ROW_VERSIONS_SQL)).rows;
    for (const kind of ['account_channels', 'account_chats', 'dialogs']) {
      assert.ok(
        before.some((row) => row.t === kind && / (forbidden|absent)$/.test(row.k)),
        `a forbidden or absent ${kind} row is among the rows compared`,
      );
    }
    const result = await sync();
    assert.deepEqual((await harness.sql.query(ROW_VERSIONS_SQL)).rows, before);
    const { counters } = result;
    assert.deepEqual(
      [
        counters.usersInserted,
        counters.usersUpdated,
        counters.chatsInserted,
        counters.chatsUpdated,
        counters.channelsInserted,
        counters.channelsUpdated,
      ],
      [0, 0, 0, 0, 0, 0],
    );
    assert.deepEqual(
      [counters.dialogsInserted, counters.dialogsUpdated, counters.messagesInserted, counters.messagesUpdated],
      [0, 0, 0, 0],
    );
    assert.equal(counters.peersNoDialog, 2);
  });

  it('counts a dialog again once it is back, and a channel again once the ban is lifted', async () => {
    harness.world.postMessage(vanishedUser, { text: 'back again', accountUserId: me });
    harness.world.restoreAccess(banned, me);
    await sync();
    const [unread] = (await harness.sql.query(readmeQuery('Unread messages per account'))).rows;
    assert.deepEqual(unread, { account_label: 'main', unread: String(worldUnread()) });
    const back = await harness.sql.query(
      'SELECT unread_count, sync_status FROM dashboard_dialogs WHERE peer_marked_id = $1',
      [vanishedUser.toString()],
    );
    assert.deepEqual(back.rows, [
      { unread_count: harness.world.dialog(me, vanishedUser)!.unreadCount, sync_status: 'synced' },
    ]);
    const absent = await harness.sql.query(
      'SELECT peer_id FROM dialogs WHERE account_id = $1 AND absent_since IS NOT NULL',
      [account.id],
    );
    assert.deepEqual(absent.rows, [{ peer_id: key(vanishedChannel).peerId.toString() }]);
    const access = await harness.sql.query(
      'SELECT is_forbidden, forbidden_since, forbidden_until, is_banned FROM account_channels WHERE account_id = $1 AND channel_id = $2',
      [account.id, key(banned).peerId.toString()],
    );
    assert.deepEqual(access.rows, [
      { is_forbidden: false, forbidden_since: null, forbidden_until: null, is_banned: false },
    ]);
    assert.equal(runs.length, 4);
  });
});
