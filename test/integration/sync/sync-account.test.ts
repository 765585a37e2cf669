/**
 * The sync pipeline end to end: configured peers of every kind and form → resolution → 100-peer
 * getPeerDialogs batches through the real GramJS client and the local data center → PostgreSQL.
 * The expected rows are computed from the world.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parsePeerSpec } from '../../../src/peers/parse-peer-spec.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import type { WantedPeer } from '../../../src/store/peers/reconcile-configured-peers.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { ROW_VERSIONS_SQL } from '../../helpers/row-versions.ts';
import { peerKeyOfMarked, startSyncHarness, TEST_SYNC_SETTINGS, type SyncHarness } from '../../helpers/sync-harness.ts';

const FORMS = 5;

describe('syncAccount against the local data center', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let configured: bigint[];
  /** What the configured peers sync as: a basic group upgraded to a supergroup is followed to it. */
  let expectedPeers: bigint[];
  let wanted: WantedPeer[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'sync_account',
      world: { seed: 'sync-account', peers: 4000, accounts: 2, resolveFlood: { freeCalls: 100_000 } },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    configured = harness.world.peerDialogPeers(me).slice(0, 1000);
    // Followed only where the account sees the upgrade (Chat.migrated_to), not where it lost the old
    // group (ChatForbidden), and only to a supergroup it can reach.
    const migratedTo = new Map(
      harness.world
        .migratedGroups()
        .filter(({ chat, channel }) => {
          const view = harness.world.chatAsSeenBy(me, chat);
          return view.kind === 'chat' && view.migratedTo !== null && harness.world.dialog(me, channel) !== null;
        })
        .map(({ chat, channel }) => [chat, channel]),
    );
    expectedPeers = [...new Set(configured.map((marked) => migratedTo.get(marked) ?? marked))];
    // Every kind, written in every form the world knows for it (usernames as @name, links, tg://…; ids).
    wanted = configured.map((marked, index) => {
      const forms = harness.world.specStrings(marked);
      const input = forms[index % Math.min(FORMS, forms.length)]!;
      const parsed = parsePeerSpec(input);
      assert.ok(parsed.ok, `${input} should parse`);
      return { input, normalizedInput: parsed.spec.normalized };
    });
  });
  after(() => harness?.close());

  const run = () =>
    syncAccount(harness.deps, { account, settings: TEST_SYNC_SETTINGS, trigger: 'test', configuredPeers: wanted });
  const calls = (method: string) => harness.server.callLog.calls(method).length;

  it('syncs 1,000 peers of every kind in exactly 10 getPeerDialogs calls, matching the world', async () => {
    const kinds = new Set(configured.map((marked) => peerKeyOfMarked(marked).peerType));
    assert.deepEqual([...kinds].sort(), ['channel', 'chat', 'user']);
    const result = await run();
    assert.equal(
      result.status,
      'succeeded',
      result.status === 'skipped' ? result.reason : String(result.errorKind) + ' ' + String(result.errorText),
    );
    assert.equal(calls('messages.GetPeerDialogs'), 10);
    assert.ok(
      harness.server.callLog.calls('messages.GetPeerDialogs').every((call) => (call.peers?.length ?? 0) <= 100),
    );

    const { rows } = await harness.sql.query(
      `SELECT peer_type, peer_id::text, top_message_id, read_inbox_max_id, read_outbox_max_id, unread_count,
              unread_mentions_count, unread_reactions_count, is_pinned, is_unread_marked, folder_id, pts
       FROM dialogs WHERE account_id = $1`,
      [account.id],
    );
    const statuses0 = await harness.sql.query(
      `SELECT status, last_error_code, string_agg(input, ' ') AS inputs, count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND status <> 'synced' GROUP BY 1, 2`,
      [account.id],
    );
    assert.equal(rows.length, expectedPeers.length, JSON.stringify(statuses0.rows));
    const stored = new Map(rows.map((row) => [`${row.peer_type}:${row.peer_id}`, row]));
    for (const marked of expectedPeers) {
      const expected = harness.world.dialog(me, marked)!;
      const key = peerKeyOfMarked(marked);
      const row = stored.get(`${key.peerType}:${key.peerId}`);
      if (!row) {
        const chat = harness.world.migratedGroups().find((pair) => pair.channel === marked)?.chat;
        const cp = await harness.sql.query(
          `SELECT input, status, peer_type, peer_id::text FROM configured_peers WHERE input = $1 OR input = $2`,
          [String(chat), String(marked)],
        );
        const chatRow = await harness.sql.query(
          `SELECT id::text, migrated_to_channel_id::text FROM chats WHERE id = $1`,
          [String(-(chat ?? 0n))],
        );
        const ac = await harness.sql.query(`SELECT * FROM account_chats WHERE chat_id = $1`, [String(-(chat ?? 0n))]);
        assert.fail(
          `dialog ${marked} missing; chat ${chat}; ${JSON.stringify(cp.rows)} ${JSON.stringify(chatRow.rows)} ${JSON.stringify(ac.rows)} calls getChats=${calls('messages.GetChats')}`,
        );
      }
      assert.deepEqual(
        [
          row.top_message_id,
          row.read_inbox_max_id,
          row.read_outbox_max_id,
          row.unread_count,
          row.unread_mentions_count,
          row.unread_reactions_count,
          row.is_pinned,
          row.is_unread_marked,
          row.folder_id,
          row.pts,
        ],
        [
          expected.topMessage,
          expected.readInboxMaxId,
          expected.readOutboxMaxId,
          expected.unreadCount,
          expected.unreadMentionsCount,
          expected.unreadReactionsCount,
          expected.pinned,
          expected.unreadMark,
          expected.folderId,
          expected.pts,
        ],
        `dialog ${marked}`,
      );
    }

    const messages = await harness.sql.query(
      `SELECT peer_type, peer_id::text, id, text, kind FROM messages WHERE account_id = $1`,
      [account.id],
    );
    const storedMessages = new Map(messages.rows.map((row) => [`${row.peer_type}:${row.peer_id}:${row.id}`, row]));
    for (const marked of expectedPeers) {
      const top = harness.world.topMessage(me, marked)!;
      const key = peerKeyOfMarked(marked);
      const row = storedMessages.get(`${key.peerType}:${key.peerId}:${top.id}`);
      assert.ok(row, `top message of ${marked} stored`);
      assert.equal(row.kind, top.action === null ? 'message' : 'service');
      if (top.action === null) assert.equal(row.text, top.text.replaceAll('\u0000', ''));
    }

    // The peers' own rows, as this account sees them.
    const channels = new Map(
      (
        await harness.sql.query(
          `SELECT c.id::text, c.title, c.usernames, c.is_broadcast, c.is_megagroup, c.is_forum, ac.access_hash::text
       FROM channels c JOIN account_channels ac ON ac.channel_id = c.id AND ac.account_id = $1`,
          [account.id],
        )
      ).rows.map((row) => [row.id, row]),
    );
    const users = new Map(
      (
        await harness.sql.query(
          `SELECT u.id::text, u.is_bot, au.first_name, au.last_name, au.access_hash::text
       FROM users u JOIN account_users au ON au.user_id = u.id AND au.account_id = $1`,
          [account.id],
        )
      ).rows.map((row) => [row.id, row]),
    );
    const chats = new Map(
      (await harness.sql.query('SELECT id::text, title FROM chats')).rows.map((row) => [row.id, row]),
    );
    for (const marked of expectedPeers) {
      const key = peerKeyOfMarked(marked);
      const id = key.peerId.toString();
      if (key.peerType === 'channel') {
        const view = harness.world.chatAsSeenBy(me, marked);
        assert.equal(view.kind, 'channel');
        if (view.kind !== 'channel') continue;
        const active = (view.usernames ?? []).filter((entry) => entry.active).map((entry) => entry.username);
        const expectedUsernames =
          view.username !== null && !active.includes(view.username) ? [view.username, ...active] : active;
        assert.deepEqual(
          channels.get(id),
          {
            id,
            title: view.title,
            usernames: expectedUsernames,
            is_broadcast: view.broadcast,
            is_megagroup: view.megagroup,
            is_forum: view.forum,
            access_hash: harness.world.accessHash(me, marked).toString(),
          },
          `channel ${marked}`,
        );
      } else if (key.peerType === 'user') {
        const view = harness.world.userAsSeenBy(me, key.peerId);
        assert.deepEqual(
          users.get(id),
          {
            id,
            is_bot: view.bot,
            first_name: view.firstName === '' ? null : view.firstName,
            last_name: view.lastName === '' ? null : view.lastName,
            access_hash: harness.world.accessHash(me, marked).toString(),
          },
          `user ${marked}`,
        );
      } else {
        const view = harness.world.chatAsSeenBy(me, marked);
        assert.equal(
          chats.get(id)?.title,
          view.kind === 'chat' || view.kind === 'chatForbidden' ? view.title : undefined,
          `chat ${marked}`,
        );
      }
    }

    const runRow = await harness.sql.query(
      'SELECT status, peers_total, peers_synced, peers_failed, api_calls FROM sync_runs WHERE account_id = $1',
      [account.id],
    );
    assert.deepEqual(
      [runRow.rows[0].status, runRow.rows[0].peers_total, runRow.rows[0].peers_synced, runRow.rows[0].peers_failed],
      ['succeeded', expectedPeers.length, expectedPeers.length, 0],
    );
    const state = await harness.sql.query('SELECT pts FROM account_update_states WHERE account_id = $1', [account.id]);
    assert.equal(state.rows[0].pts, harness.world.accountUpdateState(me).pts);
    const statuses = await harness.sql.query(
      `SELECT status, count(*)::int AS n FROM configured_peers WHERE account_id = $1 GROUP BY 1 ORDER BY status::text DESC`,
      [account.id],
    );
    const duplicates = 1000 - expectedPeers.length;
    assert.deepEqual(statuses.rows, [
      { status: 'synced', n: expectedPeers.length },
      ...(duplicates > 0 ? [{ status: 'duplicate', n: duplicates }] : []),
    ]);
  });

  it('rewrites no row of any table and resolves nothing on an unchanged second run', async () => {
    const versions = async () => (await harness.sql.query(ROW_VERSIONS_SQL)).rows;
    const before = await versions();
    // Every kind of row is among those compared, forbidden ones included (kicked from basic groups).
    const kinds = new Set(before.map((row) => row.t));
    for (const table of [
      'users',
      'chats',
      'channels',
      'account_users',
      'account_chats',
      'account_channels',
      'dialogs',
      'dialog_snapshots',
      'messages',
      'account_update_states',
    ]) {
      assert.ok(kinds.has(table), `${table} has rows`);
    }
    assert.ok(
      before.some((row) => row.t === 'account_chats' && row.k.endsWith(' forbidden')),
      'a forbidden basic group is compared',
    );
    const resolvesBefore = calls('contacts.ResolveUsername');
    const result = await run();
    assert.equal(result.status, 'succeeded');
    assert.equal(calls('contacts.ResolveUsername'), resolvesBefore);
    assert.deepEqual(await versions(), before);
  });

  it('after the world changes, updates exactly the affected rows', async () => {
    const channel = configured.find((marked) => peerKeyOfMarked(marked).peerType === 'channel')!;
    const key = peerKeyOfMarked(channel);
    const posted = harness.world.postMessage(channel, { text: 'fresh news' });
    // Renaming a channel also posts a service message, which becomes the top message.
    harness.world.renamePeer(channel, { title: 'Renamed channel' });
    const result = await run();
    if (result.status === 'skipped') assert.fail(result.reason);
    assert.equal(result.status, 'succeeded');
    assert.deepEqual(
      [
        result.counters.channelsUpdated,
        result.counters.dialogsUpdated,
        result.counters.messagesInserted,
        result.counters.usersUpdated,
        result.counters.chatsUpdated,
      ],
      [1, 1, 1, 0, 0],
    );
    const title = await harness.sql.query('SELECT title FROM channels WHERE id = $1', [key.peerId.toString()]);
    assert.equal(title.rows[0].title, 'Renamed channel');
    const top = await harness.sql.query(
      'SELECT top_message_id FROM dialogs WHERE account_id = $1 AND peer_type = $2 AND peer_id = $3',
      [account.id, key.peerType, key.peerId.toString()],
    );
    assert.equal(top.rows[0].top_message_id, harness.world.dialog(me, channel)!.topMessage);
    const service = await harness.sql.query(
      'SELECT kind, service_action FROM messages WHERE account_id = $1 AND peer_id = $2 AND id = $3',
      [account.id, key.peerId.toString(), harness.world.dialog(me, channel)!.topMessage],
    );
    assert.deepEqual(service.rows, [{ kind: 'service', service_action: 'chat_edit_title' }]);
    assert.ok(
      posted.channelMessageId !== null && posted.channelMessageId < harness.world.dialog(me, channel)!.topMessage,
    );
  });
});
