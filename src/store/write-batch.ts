import type { BatchRows } from './rows.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { buildUpsertCtes } from './upsert/build-upsert-sql.ts';
import { encodeRows } from './upsert/encode-rows.ts';
import type { UpsertSpec } from './upsert/upsert-spec.ts';
import { accountChannelsUpsert } from './tables/account-channels.ts';
import { accountChatsUpsert } from './tables/account-chats.ts';
import { accountUpdateStatesUpsert } from './tables/account-update-states.ts';
import { accountUsersUpsert } from './tables/account-users.ts';
import { channelsUpsert } from './tables/channels.ts';
import { chatsUpsert } from './tables/chats.ts';
import { encodeSnapshotInput, insertDialogSnapshotsSql } from './tables/dialog-snapshots.ts';
import { dialogsUpsert } from './tables/dialogs.ts';
import { messagesUpsert } from './tables/messages.ts';
import { usersUpsert } from './tables/users.ts';

export interface TableWriteCounts {
  readonly inserted: number;
  readonly updated: number;
}

export interface BatchWriteResult {
  readonly users: TableWriteCounts;
  readonly accountUsers: TableWriteCounts;
  readonly chats: TableWriteCounts;
  readonly accountChats: TableWriteCounts;
  readonly channels: TableWriteCounts;
  readonly accountChannels: TableWriteCounts;
  readonly dialogs: TableWriteCounts;
  readonly messages: TableWriteCounts;
  readonly dialogSnapshots: number;
  readonly stateChanged: boolean;
}

/**
 * The tables one batch writes, in the order their statements run: parents before children (users
 * before account_users…), dialog snapshots before the dialogs they compare with.
 */
const TABLES = [
  { name: 'users', spec: usersUpsert },
  { name: 'accountUsers', spec: accountUsersUpsert },
  { name: 'chats', spec: chatsUpsert },
  { name: 'accountChats', spec: accountChatsUpsert },
  { name: 'channels', spec: channelsUpsert },
  { name: 'accountChannels', spec: accountChannelsUpsert },
  { name: 'dialogs', spec: dialogsUpsert },
  { name: 'messages', spec: messagesUpsert },
  { name: 'state', spec: accountUpdateStatesUpsert },
] as const;

type TableName = (typeof TABLES)[number]['name'];

/** Parameters: $1…$9 the tables' rows (jsonb, in TABLES order), $10 the snapshot input, $11 the run id. */
const SNAPSHOT_ROWS_PARAM = TABLES.length + 1;
const RUN_ID_PARAM = TABLES.length + 2;

/**
 * The whole batch as ONE statement (built once): every table's upsert as data-modifying CTEs, so a
 * batch costs one round trip (and one pass through Prisma's query path, ~1 ms each) instead of ten.
 * It is planned on every call, on purpose: caching its plan in a session-local PL/pgSQL function was
 * tried and made the second pass over a filled database markedly slower in `npm run bench` (most
 * likely a plan fixed while the tables were still small).
 * All CTEs read the snapshot taken before the statement: each table's merge sees its stored rows, and
 * the dialog snapshots compare with the dialogs as they were before this batch, as before. Foreign keys
 * are checked at the end of the statement, when the parents written by sibling CTEs are visible.
 * The final SELECT reads the written CTEs in TABLES order, which runs them to completion in that
 * order: every writer locks tables in the same order and rows in key order (no deadlocks).
 */
const BATCH_SQL = (() => {
  const ctes = TABLES.map(({ name, spec }, index) => buildUpsertCtes(spec as UpsertSpec<unknown>, { prefix: `${name}_`, param: index + 1 }));
  const snapshots = `snapshots_written AS (${insertDialogSnapshotsSql
    .replace('$1::jsonb', `$${SNAPSHOT_ROWS_PARAM}::jsonb`)
    .replace('$2::bigint', `$${RUN_ID_PARAM}::bigint`)} RETURNING 1)`;
  // Where the snapshots stand does not change what they see (the pre-statement dialogs); kept next to
  // the dialogs for the reader.
  const dialogsIndex = TABLES.findIndex((table) => table.name === 'dialogs');
  ctes.splice(dialogsIndex, 0, snapshots);
  const counts = TABLES.flatMap(({ name }) => [
    `(SELECT count(*) FILTER (WHERE inserted) FROM ${name}_written)::int AS "${name}Inserted"`,
    `(SELECT count(*) FILTER (WHERE NOT inserted) FROM ${name}_written)::int AS "${name}Updated"`,
  ]);
  counts.push('(SELECT count(*) FROM snapshots_written)::int AS "dialogSnapshots"');
  return `WITH ${ctes.join(',\n')}\nSELECT ${counts.join(',\n  ')}`;
})();

type BatchCounts = Record<`${TableName}${'Inserted' | 'Updated'}` | 'dialogSnapshots', number>;

const EMPTY = '[]';

export interface WriteBatchOptions {
  /** The run the batch belongs to, recorded on history rows. */
  readonly runId: bigint | null;
}

/**
 * Writes everything one reply contributed, inside the caller's transaction. Parents before children
 * (users before account_users…), always in the same table order, each table in key order, so that two
 * accounts writing overlapping users and channels at once cannot deadlock.
 */
export async function writeBatch(db: SqlExecutor, rows: BatchRows, options: WriteBatchOptions): Promise<BatchWriteResult> {
  const tableRows: Record<TableName, readonly unknown[]> = {
    users: rows.users,
    accountUsers: rows.accountUsers,
    chats: rows.chats,
    accountChats: rows.accountChats,
    channels: rows.channels,
    accountChannels: rows.accountChannels,
    dialogs: rows.dialogs,
    messages: rows.messages,
    state: rows.state === null ? [] : [rows.state],
  };
  const params: unknown[] = TABLES.map(({ name, spec }) => {
    const list = tableRows[name];
    return list.length === 0 ? EMPTY : encodeRows(spec as UpsertSpec<unknown>, list);
  });
  params.push(rows.dialogs.length === 0 ? EMPTY : encodeSnapshotInput(rows.dialogs), options.runId === null ? null : options.runId.toString());
  const [counts] = await db.query<BatchCounts>(BATCH_SQL, params);
  const of = (name: TableName): TableWriteCounts => ({ inserted: counts?.[`${name}Inserted`] ?? 0, updated: counts?.[`${name}Updated`] ?? 0 });
  const state = of('state');
  return {
    users: of('users'),
    accountUsers: of('accountUsers'),
    chats: of('chats'),
    accountChats: of('accountChats'),
    channels: of('channels'),
    accountChannels: of('accountChannels'),
    dialogs: of('dialogs'),
    messages: of('messages'),
    dialogSnapshots: counts?.dialogSnapshots ?? 0,
    stateChanged: state.inserted + state.updated > 0,
  };
}
