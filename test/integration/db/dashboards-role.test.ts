/**
 * The dashboards' role sees the dashboard_* views and nothing else: no table, so no session, access
 * hash, phone number or raw Telegram object — checked by logging in as a member of that role.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { connectPg, createTestDatabase, testServerUrl, type TestDatabase } from '../../helpers/database.ts';

const VIEWS = [
  'dashboard_peer_info',
  'dashboard_dialogs',
  'dashboard_peers',
  'dashboard_sync_runs',
  'dashboard_dialog_history',
  'dashboard_peer_errors',
  'dashboard_update_states',
  'dashboard_accounts',
  'dashboard_account_queue',
];

describe('the dashboards role', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let reader: pg.Client;
  // Roles are cluster-wide: a name of this test's own, dropped afterwards.
  const login = `dash_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');

  before(async () => {
    database = await createTestDatabase('dashboards_role');
    admin = await connectPg(database.url);
    await admin.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE tgsync_dashboards`);
    await admin.query(`INSERT INTO accounts (id, label, status) VALUES (1, 'main', 'active')`);
    await admin.query(
      `INSERT INTO channels (id, title, username, is_broadcast, tl_object) VALUES (5, 'News', 'news', true, '{}')`,
    );
    await admin.query(`INSERT INTO account_channels (account_id, channel_id, access_hash) VALUES (1, 5, 123456789)`);
    await admin.query(`INSERT INTO users (id, first_name, tl_object) VALUES (7, 'Ann', '{}')`);
    await admin.query(
      `INSERT INTO account_users (account_id, user_id, access_hash, phone) VALUES (1, 7, 42, '15550007')`,
    );
    await admin.query(`INSERT INTO dialogs (account_id, peer_type, peer_id, top_message_id, read_inbox_max_id, read_outbox_max_id, unread_count, unread_mentions_count, unread_reactions_count)
                       VALUES (1, 'channel', 5, 10, 9, 0, 3, 0, 0)`);
    await admin.query(`INSERT INTO configured_peers (account_id, input, normalized_input, source, peer_type, peer_id, status) VALUES (1, '@news', 'username:news', 'file', 'channel', 5, 'synced'),
                       (1, 't.me/+SecretInviteHash', 'invite:SecretInviteHash', 'file', NULL, NULL, 'pending')`);
    const url = new URL(database.url);
    url.username = login;
    url.password = password;
    reader = new pg.Client({ connectionString: url.toString() });
    await reader.connect();
  });
  after(async () => {
    await reader?.end().catch(() => undefined);
    await admin?.query(`DROP OWNED BY ${login}`).catch(() => undefined);
    await admin?.end();
    await database?.drop();
    const server = await connectPg(testServerUrl());
    await server.query(`DROP ROLE IF EXISTS ${login}`).catch(() => undefined);
    await server.end();
  });

  it('reads every dashboard view', async () => {
    for (const view of VIEWS) await reader.query(`SELECT * FROM ${view} LIMIT 1`);
    const { rows } = await reader.query(
      'SELECT account_label, title, peer_kind, peer_marked_id::text, unread_count, sync_status FROM dashboard_dialogs',
    );
    assert.deepEqual(rows, [
      {
        account_label: 'main',
        title: 'News',
        peer_kind: 'channel',
        peer_marked_id: '-1000000000005',
        unread_count: 3,
        sync_status: 'synced',
      },
    ]);
  });

  it('cannot select secrets or personal data from the tables', async () => {
    for (const query of [
      'SELECT access_hash FROM account_channels',
      'SELECT phone FROM account_users',
      'SELECT ciphertext FROM account_sessions',
      'SELECT tl_object FROM users',
      'SELECT text FROM messages',
      'SELECT input FROM configured_peers',
      'SELECT * FROM _prisma_migrations',
    ]) {
      await assert.rejects(reader.query(query), /permission denied/, query);
    }
  });

  it('cannot call the batch writer function', async () => {
    await assert.rejects(
      reader.query(
        `SELECT * FROM tgsync_write_batch('[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', NULL)`,
      ),
      /permission denied for function tgsync_write_batch/,
    );
  });

  it('exposes no secret or personal column through the views, and masks invite links', async () => {
    const { rows } = await reader.query(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_name LIKE 'dashboard\\_%'
       AND column_name IN ('access_hash', 'phone', 'tl_object', 'text', 'ciphertext', 'first_name', 'last_name')`,
    );
    assert.deepEqual(rows, []);
    const peers = await reader.query('SELECT input FROM dashboard_peers ORDER BY configured_peer_id');
    assert.deepEqual(
      peers.rows.map((row) => row.input),
      ['@news', 'invite link (hidden)'],
    );
  });
});
