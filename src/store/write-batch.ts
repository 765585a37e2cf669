import type { BatchRows } from '../model/rows.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { buildUpsertCtes } from './upsert/build-upsert-sql.ts';
import { encodeRows } from './upsert/encode-rows.ts';
import { jsonbParam, jsonParam, pushJsonParam } from './upsert/json-param.ts';
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

/** The function's parameters: $1…$9 the tables' rows (JSON as bytes, in TABLES order), $10 the snapshot input, $11 the run id. */
const SNAPSHOT_ROWS_PARAM = TABLES.length + 1;
const RUN_ID_PARAM = TABLES.length + 2;

/**
 * The whole batch as ONE statement: every table's upsert as data-modifying CTEs, so a batch costs one
 * round trip (and one pass through Prisma's query path, ~1 ms each) instead of ten.
 * All CTEs read the snapshot taken before the statement: each table's merge sees its stored rows, and
 * the dialog snapshots compare with the dialogs as they were before this batch, as before. Foreign keys
 * are checked at the end of the statement, when the parents written by sibling CTEs are visible.
 * The final SELECT reads the written CTEs in TABLES order, which runs them to completion in that
 * order: every writer locks tables in the same order and rows in key order (no deadlocks).
 */
function buildBatchSql(): string {
  const ctes = TABLES.map(({ name, spec }, index) =>
    buildUpsertCtes(spec as UpsertSpec<unknown>, { prefix: `${name}_`, param: index + 1 }),
  );
  const snapshots = `snapshots_written AS (${insertDialogSnapshotsSql
    .replace(jsonbParam(1), jsonbParam(SNAPSHOT_ROWS_PARAM))
    .replace('$2::bigint', `$${RUN_ID_PARAM}::bigint`)} RETURNING 1)`;
  // Where the snapshots stand does not change what they see (the pre-statement dialogs); kept next to
  // the dialogs for the reader.
  const dialogsIndex = TABLES.findIndex((table) => table.name === 'dialogs');
  ctes.splice(dialogsIndex, 0, snapshots);
  const counts = COUNT_COLUMNS.map(({ name, inserted }) =>
    name === 'dialogSnapshots'
      ? '(SELECT count(*) FROM snapshots_written)::int'
      : `(SELECT count(*) FILTER (WHERE ${inserted ? '' : 'NOT '}inserted) FROM ${name}_written)::int`,
  );
  return `WITH ${ctes.join(',\n')}\nSELECT ${counts.join(',\n  ')}`;
}

/** The function's result columns, in order: inserted and updated rows per table, then snapshots written. */
const COUNT_COLUMNS: readonly {
  readonly name: TableName | 'dialogSnapshots';
  readonly inserted: boolean;
  readonly column: string;
}[] = [
  ...TABLES.flatMap(({ name }) => [
    { name, inserted: true, column: `${snakeCase(name)}_inserted` },
    { name, inserted: false, column: `${snakeCase(name)}_updated` },
  ]),
  { name: 'dialogSnapshots', inserted: true, column: 'dialog_snapshots_written' },
];

/** The database function that runs the batch statement; created by a migration from writeBatchFunctionSql(). */
export const WRITE_BATCH_FUNCTION = 'tgsync_write_batch';

/**
 * The DDL of the batch writer function, generated from the table specs. A migration holds its text and
 * a test fails when the specs and the latest migration's copy disagree (`npm run db:write-batch-function`
 * prints the new text for a new migration).
 *
 * Why a PL/pgSQL function: it keeps the statement's plan for the whole session (parsing and planning
 * this ten-CTE statement cost ~3 ms per batch, as much as writing it), through Prisma, which cannot
 * name prepared statements.
 * Why the planner settings: every lookup touches at most ~100 keys per table, so index lookups are
 * right at every table size. Without them the plan cached while the tables were still small
 * (hash joins over sequential scans) is kept while the tables grow, and every batch then scans them
 * whole. The settings hold only while the function runs.
 */
export function writeBatchFunctionSql(): string {
  const parameters = [
    ...TABLES.map(({ name }) => `${snakeCase(name)}_rows bytea`),
    'dialog_snapshot_rows bytea',
    'run_id bigint',
  ];
  return `CREATE OR REPLACE FUNCTION ${WRITE_BATCH_FUNCTION}(${parameters.join(', ')})
RETURNS TABLE (${COUNT_COLUMNS.map(({ column }) => `${column} integer`).join(', ')})
LANGUAGE plpgsql
SET enable_seqscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
AS $function$
#variable_conflict use_column
BEGIN
RETURN QUERY
${buildBatchSql()};
END
$function$;

-- Only the job writes: not callable by PUBLIC (the dashboards role among others).
REVOKE ALL ON FUNCTION ${WRITE_BATCH_FUNCTION}(${parameters.map((parameter) => parameter.split(' ')[1]).join(', ')}) FROM PUBLIC;
`;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

type BatchCounts = Record<string, number>;

const EMPTY = jsonParam('[]');

export interface WriteBatchOptions {
  /** The run the batch belongs to, recorded on history rows. */
  readonly runId: bigint | null;
}

/**
 * Writes everything one reply contributed, inside the caller's transaction. Parents before children
 * (users before account_users…), always in the same table order, each table in key order, so that two
 * accounts writing overlapping users and channels at once cannot deadlock.
 */
export async function writeBatch(
  db: SqlExecutor,
  rows: BatchRows,
  options: WriteBatchOptions,
): Promise<BatchWriteResult> {
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
  const values: unknown[] = [];
  const args = TABLES.map(({ name, spec }) => {
    const list = tableRows[name];
    return pushJsonParam(values, list.length === 0 ? EMPTY : encodeRows(spec as UpsertSpec<unknown>, list));
  });
  args.push(pushJsonParam(values, rows.dialogs.length === 0 ? EMPTY : encodeSnapshotInput(rows.dialogs)));
  values.push(options.runId === null ? null : options.runId.toString());
  args.push(`$${values.length}::bigint`);
  // Only this call is planned per batch (trivially); the batch's statement keeps its plan in the function.
  const [counts] = await db.query<BatchCounts>(`SELECT * FROM ${WRITE_BATCH_FUNCTION}(${args.join(', ')})`, values);
  const count = (name: TableName | 'dialogSnapshots', inserted: boolean) =>
    counts?.[COUNT_COLUMNS.find((entry) => entry.name === name && entry.inserted === inserted)?.column ?? ''] ?? 0;
  const of = (name: TableName): TableWriteCounts => ({ inserted: count(name, true), updated: count(name, false) });
  const state = of('state');
  const written: BatchWriteResult = {
    users: of('users'),
    accountUsers: of('accountUsers'),
    chats: of('chats'),
    accountChats: of('accountChats'),
    channels: of('channels'),
    accountChannels: of('accountChannels'),
    dialogs: of('dialogs'),
    messages: of('messages'),
    dialogSnapshots: count('dialogSnapshots', true),
    stateChanged: state.inserted + state.updated > 0,
  };
  db.onBatchWritten?.(written);
  return written;
}
