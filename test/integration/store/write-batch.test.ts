/**
 * The batch writer on a real PostgreSQL through Prisma: content-only writes (volatile fields never
 * rewrite a row), min and forbidden copies never erase fuller data, duplicates and NUL are handled,
 * and two accounts writing the same entities at once do not deadlock.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import type pg from 'pg';
import { mapPeerDialogs } from '../../../src/telegram/mapping/map-peer-dialogs.ts';
import { prismaTransactor } from '../../../src/store/transaction.ts';
import { writeBatch } from '../../../src/store/write-batch.ts';
import { connectPg, createTestDatabase, createTestPrismaClient, type TestDatabase } from '../../helpers/database.ts';

type Prisma = ReturnType<typeof createTestPrismaClient>;

const channelPeer = (id: number) => new Api.PeerChannel({ channelId: bigInt(id) });

interface ReplyOptions {
  readonly call: number;
  readonly title?: string;
  readonly userMin?: boolean;
  readonly channelForbidden?: boolean;
  readonly text?: string;
  readonly state?: {
    readonly pts: number;
    readonly qts?: number;
    readonly seq?: number;
    readonly date: number;
    readonly unreadCount?: number;
  };
}

/** A reply like Telegram's: the volatile fields (status, views, state date, file reference) move with `call`. */
function reply(options: ReplyOptions): Api.messages.PeerDialogs {
  const channel = options.channelForbidden
    ? new Api.ChannelForbidden({
        id: bigInt(500),
        accessHash: bigInt(-77),
        title: options.title ?? 'News',
        broadcast: true,
      })
    : new Api.Channel({
        id: bigInt(500),
        accessHash: bigInt(-77),
        title: options.title ?? 'News',
        username: 'news_channel',
        broadcast: true,
        participantsCount: 1234,
        photo: new Api.ChatPhoto({ photoId: bigInt(1), dcId: 2, strippedThumb: Buffer.from([options.call]) }),
        date: 1_600_000_000,
      });
  const author = new Api.User({
    id: bigInt(42),
    firstName: 'Ann',
    username: 'ann_writer',
    langCode: 'en',
    status: new Api.UserStatusOffline({ wasOnline: 1_700_000_000 + options.call }),
    ...(options.userMin ? { min: true } : { accessHash: bigInt(4242), phone: '15550042' }),
  });
  return new Api.messages.PeerDialogs({
    dialogs: [
      new Api.Dialog({
        peer: channelPeer(500),
        topMessage: 10,
        readInboxMaxId: 9,
        readOutboxMaxId: 0,
        unreadCount: 1,
        unreadMentionsCount: 0,
        unreadReactionsCount: 0,
        notifySettings: new Api.PeerNotifySettings({}),
        pts: 99,
      }),
    ],
    messages: [
      new Api.Message({
        id: 10,
        peerId: channelPeer(500),
        fromId: new Api.PeerUser({ userId: bigInt(42) }),
        date: 1_700_000_000,
        message: options.text ?? 'hello',
        views: 100 + options.call,
      }),
    ],
    chats: [channel],
    // Telegram repeats entities: the same user twice in one reply.
    users: [author, author],
    state: options.state
      ? new Api.updates.State({ qts: 0, seq: 1, unreadCount: 1, ...options.state })
      : new Api.updates.State({ pts: 7, qts: 0, date: 1_700_000_000 + options.call, seq: 1, unreadCount: 1 }),
  });
}

describe('writeBatch on PostgreSQL', () => {
  let database: TestDatabase;
  let prisma: Prisma;
  let sql: pg.Client;
  const transact = () => prismaTransactor(prisma);

  before(async () => {
    database = await createTestDatabase('write_batch');
    prisma = createTestPrismaClient(database.url);
    sql = await connectPg(database.url);
    await sql.query("INSERT INTO accounts (id, label, status) VALUES (1, 'one', 'active'), (2, 'two', 'active')");
  });
  after(async () => {
    await sql?.end();
    await prisma?.$disconnect();
    await database?.drop();
  });

  const write = (accountId: number, options: ReplyOptions) =>
    transact()((db) => writeBatch(db, mapPeerDialogs({ accountId, selfUserId: 1n }, reply(options)), { runId: null }));

  const contentVersions = async () =>
    (
      await sql.query<{ t: string; xmin: string }>(
        `SELECT 'users' t, xmin::text FROM users UNION ALL SELECT 'account_users', xmin::text FROM account_users
         UNION ALL SELECT 'channels', xmin::text FROM channels UNION ALL SELECT 'account_channels', xmin::text FROM account_channels
         UNION ALL SELECT 'dialogs', xmin::text FROM dialogs UNION ALL SELECT 'messages', xmin::text FROM messages
         UNION ALL SELECT 'account_update_states', xmin::text FROM account_update_states ORDER BY 1, 2`,
      )
    ).rows;

  it('writes a reply once and leaves every row untouched when only volatile fields changed', async () => {
    const first = await write(1, { call: 1 });
    assert.deepEqual(
      [first.users, first.channels, first.dialogs, first.messages],
      [
        { inserted: 1, updated: 0 },
        { inserted: 1, updated: 0 },
        { inserted: 1, updated: 0 },
        { inserted: 1, updated: 0 },
      ],
    );
    assert.equal(first.dialogSnapshots, 1);
    const before = await contentVersions();
    const second = await write(1, { call: 2 });
    assert.deepEqual(await contentVersions(), before, 'no row got a new version');
    assert.equal(second.users.updated + second.channels.updated + second.dialogs.updated + second.messages.updated, 0);
    assert.equal(second.dialogSnapshots, 0);
    assert.equal(second.stateChanged, false);
  });

  it('updates exactly the changed row when content changes', async () => {
    const before = await contentVersions();
    const result = await write(1, { call: 3, title: 'News (renamed)' });
    assert.deepEqual(result.channels, { inserted: 0, updated: 1 });
    const after = await contentVersions();
    const changed = after.filter((row, index) => row.xmin !== before[index]?.xmin).map((row) => row.t);
    assert.deepEqual(changed, ['channels']);
  });

  it('never lets a min user erase stored full data', async () => {
    await write(1, { call: 4, userMin: true });
    const { rows } = await sql.query(
      'SELECT u.is_min, u.lang_code, au.access_hash, au.phone FROM users u JOIN account_users au ON au.user_id = u.id WHERE u.id = 42',
    );
    assert.deepEqual(rows, [{ is_min: false, lang_code: 'en', access_hash: '4242', phone: '15550042' }]);
  });

  it('keeps a forbidden channel and its history, marked forbidden', async () => {
    await write(1, { call: 5, channelForbidden: true, title: 'News (renamed)' });
    const channel = await sql.query('SELECT username, participants_count, is_broadcast FROM channels WHERE id = 500');
    assert.deepEqual(channel.rows, [{ username: 'news_channel', participants_count: 1234, is_broadcast: true }]);
    const access = await sql.query(
      'SELECT is_forbidden, forbidden_since IS NOT NULL AS has_since, access_hash FROM account_channels WHERE channel_id = 500',
    );
    assert.deepEqual(access.rows, [{ is_forbidden: true, has_since: true, access_hash: '-77' }]);
    const kept = await sql.query('SELECT count(*)::int AS n FROM messages WHERE peer_id = 500');
    assert.equal(kept.rows[0].n, 1);
  });

  it('stores text containing NUL without it', async () => {
    await write(1, { call: 6, text: 'a\u0000b' });
    const { rows } = await sql.query('SELECT text FROM messages WHERE id = 10 AND account_id = 1');
    assert.equal(rows[0].text, 'ab');
  });

  it('stores rows exactly when they travel in several parameter pieces cut inside multi-byte characters', async () => {
    // ~300 KB of 3- and 4-byte UTF-8 (text and tl_object): the messages' JSON spans several 64 KiB pieces.
    const text = 'ёж😀'.repeat(30_000);
    await write(1, { call: 7, text });
    const { rows } = await sql.query(
      "SELECT text, tl_object->>'message' AS raw FROM messages WHERE id = 10 AND account_id = 1",
    );
    assert.equal(rows[0].text, text);
    assert.equal(rows[0].raw, text);
  });

  it('keeps the newest update state whatever order the replies are written in', async () => {
    const stored = async () =>
      (
        await sql.query(
          'SELECT pts, qts, seq, unread_count, extract(epoch FROM state_date)::int AS date FROM account_update_states WHERE account_id = 2',
        )
      ).rows[0];
    await write(2, { call: 30, state: { pts: 100, qts: 5, seq: 10, date: 1_800_000_100, unreadCount: 3 } });
    // Older by pts (a reply built earlier, written later): ignored, even with a later date.
    assert.equal(
      (await write(2, { call: 31, state: { pts: 99, qts: 9, seq: 99, date: 1_800_000_500, unreadCount: 9 } }))
        .stateChanged,
      false,
    );
    assert.deepEqual(await stored(), { pts: 100, qts: 5, seq: 10, unread_count: 3, date: 1_800_000_100 });
    // Same pts, older qts: ignored; same pts and qts, greater seq: taken.
    assert.equal(
      (await write(2, { call: 32, state: { pts: 100, qts: 4, seq: 50, date: 1_800_000_600 } })).stateChanged,
      false,
    );
    assert.equal(
      (await write(2, { call: 33, state: { pts: 100, qts: 5, seq: 11, date: 1_800_000_200, unreadCount: 4 } }))
        .stateChanged,
      true,
    );
    assert.deepEqual(await stored(), { pts: 100, qts: 5, seq: 11, unread_count: 4, date: 1_800_000_200 });
    // Equal sequence numbers: the later date decides whether the unread count is newer.
    assert.equal(
      (await write(2, { call: 34, state: { pts: 100, qts: 5, seq: 11, date: 1_800_000_150, unreadCount: 8 } }))
        .stateChanged,
      false,
    );
    assert.equal(
      (await write(2, { call: 35, state: { pts: 100, qts: 5, seq: 11, date: 1_800_000_300, unreadCount: 2 } }))
        .stateChanged,
      true,
    );
    assert.deepEqual(await stored(), { pts: 100, qts: 5, seq: 11, unread_count: 2, date: 1_800_000_300 });
    assert.equal(
      (await write(2, { call: 36, state: { pts: 101, qts: 0, seq: 1, date: 1_800_000_000, unreadCount: 2 } }))
        .stateChanged,
      true,
      'a greater pts wins outright',
    );
    assert.deepEqual(await stored(), { pts: 101, qts: 0, seq: 1, unread_count: 2, date: 1_800_000_000 });
  });

  it('writes the same entities from two accounts concurrently without deadlocks, keeping per-account views apart', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => write(1 + (index % 2), { call: 10 + index, title: `T${index % 3}` })),
    );
    const { rows } = await sql.query('SELECT account_id, count(*)::int AS n FROM dialogs GROUP BY 1 ORDER BY 1');
    assert.deepEqual(rows, [
      { account_id: 1, n: 1 },
      { account_id: 2, n: 1 },
    ]);
    const views = await sql.query('SELECT account_id FROM account_users WHERE user_id = 42 ORDER BY 1');
    assert.deepEqual(
      views.rows.map((row) => row.account_id),
      [1, 2],
    );
  });
});
