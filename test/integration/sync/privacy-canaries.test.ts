/**
 * What one account sees stays with that account, and the dashboards see nothing private (issue 13).
 *
 * Two accounts sync a world sown with canaries — a contact saved under a private name with a phone,
 * per-account access hashes, invite links (joined, not joined, expired, invalid), encrypted sessions
 * and the api_hash — through the real client and the local data center. Then every column of every
 * dashboard view is read as a member of `tgsync_dashboards`, and every column of every shared table
 * (`users`, `chats`, `channels`) as the owner: no canary may be found where it does not belong.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { databaseSessionStore } from '../../../src/sessions/database-session-store.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { prismaExecutor } from '../../../src/store/prisma-executor.ts';
import type { WantedPeer } from '../../../src/store/peers/reconcile-configured-peers.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { connectPg, testServerUrl } from '../../helpers/database.ts';
import { peerKeyOfMarked, startSyncHarness, TEST_SYNC_SETTINGS, type SyncHarness } from '../../helpers/sync-harness.ts';
import { parsePeerSpec } from '../../../src/peers/parse-peer-spec.ts';

const CONTACT_NAME = 'Mom-Canary-Private-Label';
const CONTACT_ONLY_NAME = 'Boss-Canary-Private-Label';
const CANARY_PHONE = '15550104242';
const CANARY_INVITE = 'ACanaryInviteHash0042xyz';

/** Per-account fields of Telegram's User and Channel constructors (GramJS property names). */
const PER_ACCOUNT_TL_KEYS = [
  'accessHash',
  'phone',
  'contact',
  'mutualContact',
  'closeFriend',
  'self',
  'min',
  'creator',
  'left',
  'adminRights',
  'bannedRights',
  'untilDate',
  'status',
];

describe('what one account sees stays with that account', () => {
  let harness: SyncHarness;
  let accounts: AccountRecord[];
  let reader: pg.Client;
  let publicContactId: bigint;
  let contactOnlyId: bigint;
  const sessions: string[] = [];
  const login = `privacy_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');

  before(async () => {
    harness = await startSyncHarness({
      label: 'privacy_canaries',
      world: { seed: 'privacy-canaries', peers: 400, accounts: 2, resolveFlood: { freeCalls: 100_000 } },
    });
    const world = harness.world;
    const [me0, me1] = [world.userAccounts[0]!.userId, world.userAccounts[1]!.userId];
    // A user both accounts talk to; account 0 saved it as a contact under a private label.
    publicContactId = world.addUser({
      firstName: 'Public',
      lastName: 'Person',
      phone: CANARY_PHONE,
      usernames: ['public_person_canary'],
    });
    world.addDialog(me0, publicContactId);
    world.addDialog(me1, publicContactId);
    world.saveContact(me0, publicContactId, { firstName: CONTACT_NAME, lastName: '(private label)', mutual: true });
    // A user only account 0 knows, and only as a contact: its first copy is the contact's.
    contactOnlyId = world.addUser({ firstName: 'Only', lastName: 'Contact', phone: '15550109999' });
    world.addDialog(me0, contactOnlyId);
    world.saveContact(me0, contactOnlyId, { firstName: CONTACT_ONLY_NAME });

    accounts = [await harness.account(me0, 'first'), await harness.account(me1, 'second')];
    const store = databaseSessionStore(prismaExecutor(harness.prisma), {
      current: { keyId: 'canary-key', key: randomBytes(32) },
      previous: [],
    });
    for (const account of accounts) {
      const session = harness.server.sessionFor(account.telegramUserId!);
      sessions.push(session);
      await store.save(account.label, account.id, session);
    }

    const invites = (userId: bigint) => {
      const joined = world.inviteLinks.find((link) => !link.expired && world.dialog(userId, link.peerId) !== null);
      const notJoined = world.inviteLinks.find((link) => !link.expired && world.dialog(userId, link.peerId) === null);
      const expired = world.inviteLinks.find((link) => link.expired);
      return [joined, notJoined, expired].flatMap((link) =>
        link === undefined ? [] : [world.inviteSpecStrings(link)[0]!],
      );
    };
    const wanted = (userId: bigint): WantedPeer[] => [
      ...world.peerDialogPeers(userId).map((marked) => {
        const { peerType, peerId } = peerKeyOfMarked(marked);
        return { input: String(marked), normalizedInput: `id:${peerType}:${peerId}` };
      }),
      ...[...invites(userId), `https://t.me/+${CANARY_INVITE}`, `t.me/joinchat/${CANARY_INVITE}B`].map((input) => {
        const parsed = parsePeerSpec(input);
        assert.ok(parsed.ok, input);
        return { input, normalizedInput: parsed.spec.normalized };
      }),
    ];
    // Account 0 first (the contact-only user's first copy is a contact's), then 1, then 0 again (a
    // contact's copy over the public one).
    for (const index of [0, 1, 0]) {
      const account = accounts[index]!;
      const result = await syncAccount(harness.deps, {
        account,
        settings: TEST_SYNC_SETTINGS,
        trigger: 'test',
        configuredPeers: wanted(account.telegramUserId!),
      });
      assert.equal(
        result.status,
        'succeeded',
        result.status === 'skipped' ? result.reason : `${result.errorKind}: ${result.errorText}`,
      );
    }

    await harness.sql.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}' IN ROLE tgsync_dashboards`);
    const url = new URL(harness.database.url);
    url.username = login;
    url.password = password;
    reader = new pg.Client({ connectionString: url.toString() });
    await reader.connect();
  });
  after(async () => {
    await reader?.end().catch(() => undefined);
    await harness?.close();
    const server = await connectPg(testServerUrl());
    await server.query(`DROP ROLE IF EXISTS ${login}`).catch(() => undefined);
    await server.end();
  });

  /** Every value that belongs to one account (or to the operator), by what it is. */
  async function canaries(): Promise<Map<string, string>> {
    const world = harness.world;
    const found = new Map<string, string>();
    const hashes = await harness.sql.query<{ hash: string }>(
      `SELECT access_hash::text AS hash FROM account_users WHERE access_hash IS NOT NULL
       UNION SELECT access_hash::text FROM account_channels WHERE access_hash IS NOT NULL`,
    );
    assert.ok(hashes.rows.length > 100, `${hashes.rows.length} access hashes`);
    for (const { hash } of hashes.rows) found.set(hash.replace(/^-/, ''), 'an access hash');
    for (const link of world.inviteLinks) found.set(link.hash, 'an invite hash');
    found.set(CANARY_INVITE, 'the canary invite hash');
    for (const peer of world.allPeers)
      if (peer.kind === 'user' && peer.phone) found.set(peer.phone, `the phone of user ${peer.id}`);
    found.set(CANARY_PHONE, 'the canary phone');
    for (const account of world.state.accounts) {
      for (const [index, contact] of account.contacts) {
        const peer = world.state.peers[index]!;
        if (peer.kind === 'user' && contact.firstName !== peer.firstName)
          found.set(contact.firstName, `a contact name (of user ${peer.id})`);
      }
    }
    found.set(CONTACT_NAME, 'the canary contact name');
    found.set(CONTACT_ONLY_NAME, 'the canary contact-only name');
    for (const session of sessions) found.set(session, 'a session string');
    found.set(harness.server.apiHash, 'the api_hash');
    return found;
  }

  function leaks(text: string, values: Map<string, string>): string[] {
    const hits: string[] = [];
    for (const [value, what] of values) if (text.includes(value)) hits.push(`${what} (${value})`);
    return hits;
  }

  it('the dashboards role finds no canary in any column of any view', async () => {
    const values = await canaries();
    const views = await reader.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.views WHERE table_schema = current_schema() AND table_name LIKE 'dashboard\\_%' ORDER BY 1`,
    );
    assert.ok(views.rows.length >= 8, `${views.rows.length} views`);
    const problems: string[] = [];
    for (const { name } of views.rows) {
      const { rows } = await reader.query<{ row: string }>(`SELECT row_to_json(v)::text AS row FROM "${name}" v`);
      assert.ok(rows.length > 0, `${name} has rows to look at`);
      for (const hit of leaks(rows.map((row) => row.row).join('\n'), values)) problems.push(`${name}: ${hit}`);
    }
    assert.equal(problems.length, 0, `${problems.length} leak(s):\n${problems.join('\n')}`);
  });

  it('no shared table (users, chats, channels) holds what one account sees', async () => {
    const values = await canaries();
    const problems: string[] = [];
    for (const table of ['users', 'chats', 'channels']) {
      const { rows } = await harness.sql.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      for (const hit of leaks(rows.map((row) => row.row).join('\n'), values)) problems.push(`${table}: ${hit}`);
      const keys = await harness.sql.query<{ key: string; rows: number }>(
        `SELECT key, count(*)::int AS rows FROM "${table}" t, jsonb_object_keys(t.tl_object) AS key WHERE key = ANY($1) GROUP BY key ORDER BY key`,
        [PER_ACCOUNT_TL_KEYS],
      );
      for (const { key, rows: count } of keys.rows) problems.push(`${table}.tl_object carries ${key} in ${count} rows`);
    }
    assert.equal(problems.length, 0, `${problems.length} leak(s):\n${problems.join('\n')}`);
  });

  it('keeps the public name in users and the private label in account_users', async () => {
    const { rows } = await harness.sql.query(
      `SELECT u.id::text, u.first_name, u.last_name, au.account_id, au.first_name AS contact_first_name, au.phone, au.is_contact
       FROM users u JOIN account_users au ON au.user_id = u.id WHERE u.id = ANY($1) ORDER BY u.id, au.account_id`,
      [[publicContactId, contactOnlyId]],
    );
    const row = (id: bigint, accountId: number) => rows.find((r) => r.id === String(id) && r.account_id === accountId);
    assert.equal(row(publicContactId, accounts[0]!.id)?.first_name, 'Public');
    assert.equal(row(publicContactId, accounts[0]!.id)?.last_name, 'Person');
    assert.equal(row(publicContactId, accounts[0]!.id)?.contact_first_name, CONTACT_NAME);
    assert.equal(row(publicContactId, accounts[0]!.id)?.phone, CANARY_PHONE);
    assert.equal(row(publicContactId, accounts[1]!.id)?.contact_first_name, 'Public');
    // Only a contact's copy was ever seen: the public name is unknown, never the private label.
    assert.equal(row(contactOnlyId, accounts[0]!.id)?.first_name, null);
    assert.equal(row(contactOnlyId, accounts[0]!.id)?.contact_first_name, CONTACT_ONLY_NAME);
  });

  it('writes no invite hash into an error text, even for the owner', async () => {
    const values = new Map([
      ...harness.world.inviteLinks.map((link) => [link.hash, 'an invite hash'] as const),
      [CANARY_INVITE, 'the canary invite hash'] as const,
    ]);
    const texts = await harness.sql.query<{ text: string }>(
      `SELECT last_error_text AS text FROM configured_peers WHERE last_error_text IS NOT NULL
       UNION ALL SELECT error_text FROM peer_sync_errors WHERE error_text IS NOT NULL
       UNION ALL SELECT error_text FROM sync_runs WHERE error_text IS NOT NULL`,
    );
    assert.ok(
      texts.rows.some((row) => /invite link/.test(row.text)),
      JSON.stringify(texts.rows.slice(0, 5)),
    );
    const found = leaks(texts.rows.map((row) => row.text).join('\n'), values);
    assert.equal(found.length, 0, found.join('\n'));
  });
});
