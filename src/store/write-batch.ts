import type { BatchRows } from './rows.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { buildUpsertSql } from './upsert/build-upsert-sql.ts';
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

/** A prepared statement per table, built once: the SQL only depends on the spec. */
class TableWriter<Row> {
  private readonly sql: string;

  constructor(private readonly spec: UpsertSpec<Row>) {
    this.sql = buildUpsertSql(spec);
  }

  async write(db: SqlExecutor, rows: readonly Row[]): Promise<TableWriteCounts> {
    if (rows.length === 0) return NOTHING_WRITTEN;
    const [counts] = await db.query<TableWriteCounts>(this.sql, [encodeRows(this.spec, rows)]);
    return counts ?? NOTHING_WRITTEN;
  }
}

const NOTHING_WRITTEN: TableWriteCounts = { inserted: 0, updated: 0 };

const writers = {
  users: new TableWriter(usersUpsert),
  accountUsers: new TableWriter(accountUsersUpsert),
  chats: new TableWriter(chatsUpsert),
  accountChats: new TableWriter(accountChatsUpsert),
  channels: new TableWriter(channelsUpsert),
  accountChannels: new TableWriter(accountChannelsUpsert),
  dialogs: new TableWriter(dialogsUpsert),
  messages: new TableWriter(messagesUpsert),
  state: new TableWriter(accountUpdateStatesUpsert),
};

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
  const users = await writers.users.write(db, rows.users);
  const accountUsers = await writers.accountUsers.write(db, rows.accountUsers);
  const chats = await writers.chats.write(db, rows.chats);
  const accountChats = await writers.accountChats.write(db, rows.accountChats);
  const channels = await writers.channels.write(db, rows.channels);
  const accountChannels = await writers.accountChannels.write(db, rows.accountChannels);
  const dialogSnapshots = await writeDialogSnapshots(db, rows, options.runId);
  const dialogs = await writers.dialogs.write(db, rows.dialogs);
  const messages = await writers.messages.write(db, rows.messages);
  const state = rows.state === null ? NOTHING_WRITTEN : await writers.state.write(db, [rows.state]);
  return {
    users,
    accountUsers,
    chats,
    accountChats,
    channels,
    accountChannels,
    dialogs,
    messages,
    dialogSnapshots,
    stateChanged: state.inserted + state.updated > 0,
  };
}

async function writeDialogSnapshots(db: SqlExecutor, rows: BatchRows, runId: bigint | null): Promise<number> {
  if (rows.dialogs.length === 0) return 0;
  const inserted = await db.query<{ count: number }>(
    `WITH written AS (${insertDialogSnapshotsSql} RETURNING 1) SELECT count(*)::int AS count FROM written`,
    [encodeSnapshotInput(rows.dialogs), runId === null ? null : runId.toString()],
  );
  return inserted[0]?.count ?? 0;
}
