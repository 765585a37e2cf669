/**
 * Two accounts writing the same users and channels at the same moment, interleaved on purpose through
 * PostgreSQL's own locks (a session is let go only once the other is seen waiting on it):
 *  - the min / forbidden merge rules hold against the row actually updated, not against the snapshot
 *    a statement started with (READ COMMITTED: another transaction may commit the row meanwhile);
 *  - overlapping multi-row batches sent in opposite orders cannot deadlock, because the writer locks
 *    rows in key order whatever order they arrive in.
 * Each session is a plain pg client with its own transaction and no retry, so a deadlock or a lost
 * update is seen as what it is.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bigInt from 'big-integer';
import type pg from 'pg';
import { Api } from 'telegram';
import { mapEntities } from '../../../src/telegram/mapping/map-peer-dialogs.ts';
import type { BatchRows } from '../../../src/model/rows.ts';
import { writeBatch, type BatchWriteResult } from '../../../src/store/write-batch.ts';
import { connectPg, createTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { backendPid, pgExecutor, waitUntilBlocked } from '../../helpers/pg-sessions.ts';

const fullUser = (id: number, overrides: Partial<ConstructorParameters<typeof Api.User>[0]> = {}) =>
  new Api.User({
    id: bigInt(id),
    accessHash: bigInt(id * 3),
    firstName: 'Full',
    username: `user${id}`,
    langCode: 'en',
    phone: '15550000',
    ...overrides,
  });
const minUser = (id: number, overrides: Partial<ConstructorParameters<typeof Api.User>[0]> = {}) =>
  new Api.User({
    id: bigInt(id),
    min: true,
    accessHash: bigInt(-1),
    firstName: 'Full',
    username: `user${id}`,
    ...overrides,
  });
const fullChannel = (id: number, overrides: Partial<ConstructorParameters<typeof Api.Channel>[0]> = {}) =>
  new Api.Channel({
    id: bigInt(id),
    accessHash: bigInt(id * 5),
    title: 'Forum',
    username: `forum${id}`,
    megagroup: true,
    forum: true,
    participantsCount: 4321,
    photo: new Api.ChatPhotoEmpty(),
    date: 1_600_000_000,
    ...overrides,
  });
const forbiddenChannel = (id: number, title = 'Forum') =>
  new Api.ChannelForbidden({ id: bigInt(id), accessHash: bigInt(id * 7), title, megagroup: true });

interface Session {
  readonly client: pg.Client;
  readonly pid: number;
}

describe('two accounts writing the same entities at once', () => {
  let database: TestDatabase;
  let observer: pg.Client;
  const sessions: Session[] = [];

  before(async () => {
    database = await createTestDatabase('concurrent_writers');
    observer = await connectPg(database.url);
    await observer.query("INSERT INTO accounts (id, label, status) VALUES (1, 'one', 'active'), (2, 'two', 'active')");
  });
  after(async () => {
    for (const session of sessions) await session.client.end().catch(() => undefined);
    await observer?.end();
    await database?.drop();
  });

  const session = async (): Promise<Session> => {
    const client = await connectPg(database.url);
    const opened = { client, pid: await backendPid(client) };
    sessions.push(opened);
    return opened;
  };
  const begin = async (...opened: Session[]) => {
    for (const { client } of opened) await client.query('BEGIN');
  };
  const write = (on: Session, rows: BatchRows): Promise<BatchWriteResult> =>
    writeBatch(pgExecutor(on.client), rows, { runId: null });
  const entities = (accountId: number, users: Api.TypeUser[], chats: Api.TypeChat[]) =>
    mapEntities(accountId, users, chats);
  const committed = async (sql: string, params: unknown[]) => (await observer.query(sql, params)).rows;

  it('keeps the full copies when a min user and a ChannelForbidden wait on their uncommitted insert', async () => {
    const [a, b] = [await session(), await session()];
    await begin(a, b);
    await write(a, entities(1, [fullUser(7001)], [fullChannel(7002)]));
    // B's snapshot has neither row: it merges as if they were new, then waits on A's insert.
    const late = write(b, entities(2, [minUser(7001)], [forbiddenChannel(7002)]));
    await waitUntilBlocked(observer, b.pid, { by: a.pid });
    await a.client.query('COMMIT');
    await late;
    await b.client.query('COMMIT');

    assert.deepEqual(
      await committed("SELECT is_min, lang_code, first_name, tl_object->>'_' AS raw FROM users WHERE id = 7001", []),
      [{ is_min: false, lang_code: 'en', first_name: 'Full', raw: 'User' }],
    );
    assert.deepEqual(
      await committed(
        "SELECT username, is_forum, participants_count, tl_object->>'_' AS raw FROM channels WHERE id = 7002",
        [],
      ),
      [{ username: 'forum7002', is_forum: true, participants_count: 4321, raw: 'Channel' }],
    );
    // Each account's own view is its own: A's full access, B's loss of it.
    assert.deepEqual(
      await committed('SELECT account_id, is_forbidden FROM account_channels WHERE channel_id = 7002 ORDER BY 1', []),
      [
        { account_id: 1, is_forbidden: false },
        { account_id: 2, is_forbidden: true },
      ],
    );
    assert.deepEqual(
      await committed('SELECT account_id, access_hash, phone FROM account_users WHERE user_id = 7001 ORDER BY 1', []),
      [{ account_id: 1, access_hash: String(7001 * 3), phone: '15550000' }],
    );
  });

  it('applies a partial copy to the row another account updated meanwhile, not to the one it read', async () => {
    const [a, b] = [await session(), await session()];
    await write(
      a,
      entities(
        1,
        [minUser(7101, { firstName: 'Old' })],
        [fullChannel(7102, { username: 'old_name', participantsCount: 10 })],
      ),
    );
    await begin(a, b);
    // A learns the full user and the channel's new username and size (not committed yet)…
    await write(
      a,
      entities(
        1,
        [fullUser(7101, { firstName: 'Old' })],
        [fullChannel(7102, { username: 'new_name', participantsCount: 20 })],
      ),
    );
    // …while B, reading the old rows, sees a renamed min copy and a renamed ChannelForbidden.
    const late = write(
      b,
      entities(2, [minUser(7101, { firstName: 'Renamed' })], [forbiddenChannel(7102, 'Forum (renamed)')]),
    );
    await waitUntilBlocked(observer, b.pid, { by: a.pid });
    await a.client.query('COMMIT');
    const result = await late;
    await b.client.query('COMMIT');

    assert.deepEqual([result.users.updated, result.channels.updated], [1, 1]);
    // The min copy's display name applies; the full copy's lang_code, is_min = false and raw object stay.
    assert.deepEqual(
      await committed(
        "SELECT first_name, is_min, lang_code, tl_object->>'min' AS raw_min FROM users WHERE id = 7101",
        [],
      ),
      [{ first_name: 'Renamed', is_min: false, lang_code: 'en', raw_min: null }],
    );
    // The forbidden copy's title applies; what A committed (username, size, raw object) stays.
    assert.deepEqual(
      await committed(
        "SELECT title, username, usernames, participants_count, tl_object->>'_' AS raw FROM channels WHERE id = 7102",
        [],
      ),
      [
        {
          title: 'Forum (renamed)',
          username: 'new_name',
          usernames: ['new_name'],
          participants_count: 20,
          raw: 'Channel',
        },
      ],
    );
  });

  it('never deadlocks on overlapping multi-row batches sent in opposite orders', async () => {
    const ids = Array.from({ length: 10 }, (_, index) => 8001 + index);
    const users = (name: string) => ids.map((id) => fullUser(id, { firstName: name }));
    const channels = (title: string) => ids.map((id) => fullChannel(id + 1000, { title }));
    const reversed = (rows: BatchRows): BatchRows => ({
      ...rows,
      users: [...rows.users].reverse(),
      accountUsers: [...rows.accountUsers].reverse(),
      channels: [...rows.channels].reverse(),
      accountChannels: [...rows.accountChannels].reverse(),
    });
    const [a, b, holder] = [await session(), await session(), await session()];
    await write(a, entities(1, users('Before'), channels('Before')));

    // The holder locks a row in the middle, so that both writers are inside their batch at once:
    // A arrives with its rows in ascending order, B in descending order.
    await begin(holder, a, b);
    await holder.client.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [ids[4]]);
    const first = write(a, entities(1, users('A'), channels('A')));
    await waitUntilBlocked(observer, a.pid);
    const second = write(b, reversed(entities(2, users('B'), channels('B'))));
    await waitUntilBlocked(observer, b.pid);
    // A holds the rows below the held one; B (locking in key order) waits for A's first row. Had B
    // locked in its own order, it would now hold the rows above and both would wait for each other.
    await holder.client.query('COMMIT');
    const outcomes = await Promise.allSettled([
      first.then(() => a.client.query('COMMIT')),
      second.then(() => b.client.query('COMMIT')),
    ]);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected')
        await Promise.all([a, b].map(({ client }) => client.query('ROLLBACK').catch(() => undefined)));
    assert.deepEqual(
      outcomes.map((outcome) =>
        outcome.status === 'fulfilled' ? 'committed' : String((outcome.reason as Error).message),
      ),
      ['committed', 'committed'],
    );
    assert.deepEqual(
      (await committed('SELECT DISTINCT first_name FROM users WHERE id = ANY($1)', [ids])).map((row) => row.first_name),
      ['B'],
    );
  });
});
