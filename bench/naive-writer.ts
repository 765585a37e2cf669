/**
 * (c) of the write-path benchmark: the naive ORM approach — one Prisma `upsert` per row, one interactive
 * transaction per batch. To leave the same tables as the job (merge rules for min / personal-name /
 * forbidden / tombstone copies, content-only updates, snapshots of changed counters) it first reads the
 * stored rows of the batch (one findMany per table, generous to this approach) and applies the same
 * rules in JavaScript; then every row gets its own upsert (with an empty update when unchanged).
 * Column lists, roles and encodings come from the job's upsert specs (src/store/tables).
 */
import type { PrismaClient } from '../src/db/prisma-client.ts';
import type { BatchRows } from '../src/model/rows.ts';
import { accountChannelsUpsert } from '../src/store/tables/account-channels.ts';
import { accountChatsUpsert } from '../src/store/tables/account-chats.ts';
import { accountUpdateStatesUpsert } from '../src/store/tables/account-update-states.ts';
import { accountUsersUpsert } from '../src/store/tables/account-users.ts';
import { channelsUpsert } from '../src/store/tables/channels.ts';
import { chatsUpsert } from '../src/store/tables/chats.ts';
import { dialogsUpsert } from '../src/store/tables/dialogs.ts';
import { messagesUpsert } from '../src/store/tables/messages.ts';
import { usersUpsert } from '../src/store/tables/users.ts';
import type { UpsertSpec } from '../src/store/upsert/upsert-spec.ts';

type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
type Record_ = Record<string, unknown>;
/** Merge of one column: incoming value, stored record (camelCase fields) or null, the input row. */
type Merge = (incoming: unknown, stored: Record_ | null, row: any) => unknown;

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

interface Table {
  spec: UpsertSpec<any>;
  model: string;
  /** Prisma's compound-unique name (or the single key field). */
  uniqueName: string;
  merges: Record<string, Merge>;
}

const keepWhen =
  (condition: (stored: Record_, row: any) => boolean, field: string): Merge =>
  (incoming, stored, row) =>
    stored !== null && condition(stored, row) ? stored[field] : incoming;
const isMinMerge: Merge = (incoming, stored) =>
  stored === null ? incoming : (stored.isMin as boolean) && (incoming as boolean);
const forbiddenSince: Merge = (_incoming, stored, row) =>
  row.isForbidden ? ((stored?.forbiddenSince as Date | null) ?? new Date()) : null;
const coalesce =
  (field: string): Merge =>
  (incoming, stored) =>
    incoming ?? stored?.[field] ?? null;

const minOverFull = (stored: Record_, row: any) => row.isMin && !stored.isMin;
const forbidden = (_stored: Record_, row: any) => row.isForbidden === true;
const tombstone = (_stored: Record_, row: any) => row.kind === 'empty';

const TABLES: Record<string, Table> = {
  users: {
    spec: usersUpsert,
    model: 'user',
    uniqueName: 'id',
    merges: {
      first_name: keepWhen((_s, row) => row.namesArePersonal, 'firstName'),
      last_name: keepWhen((_s, row) => row.namesArePersonal, 'lastName'),
      lang_code: keepWhen(minOverFull, 'langCode'),
      tl_object: keepWhen(minOverFull, 'tlObject'),
      is_min: isMinMerge,
    },
  },
  accountUsers: {
    spec: accountUsersUpsert,
    model: 'accountUser',
    uniqueName: 'accountId_userId',
    merges: { access_hash: coalesce('accessHash'), phone: coalesce('phone') },
  },
  chats: {
    spec: chatsUpsert,
    model: 'chat',
    uniqueName: 'id',
    merges: Object.fromEntries(
      [
        'participants_count',
        'is_deactivated',
        'has_photo',
        'migrated_to_channel_id',
        'created_on_telegram_at',
        'tl_object',
      ].map((column) => [column, keepWhen(forbidden, camel(column))]),
    ),
  },
  accountChats: {
    spec: accountChatsUpsert,
    model: 'accountChat',
    uniqueName: 'accountId_chatId',
    merges: {
      is_creator: keepWhen(forbidden, 'isCreator'),
      is_admin: keepWhen(forbidden, 'isAdmin'),
      forbidden_since: forbiddenSince,
    },
  },
  channels: {
    spec: channelsUpsert,
    model: 'channel',
    uniqueName: 'id',
    merges: {
      ...Object.fromEntries(
        [
          'username',
          'usernames',
          'is_gigagroup',
          'is_forum',
          'is_verified',
          'is_scam',
          'is_fake',
          'is_restricted',
          'has_photo',
        ].map((column) => [column, keepWhen(forbidden, camel(column))]),
      ),
      participants_count: keepWhen((s, row) => minOverFull(s, row) || row.isForbidden, 'participantsCount'),
      tl_object: keepWhen((s, row) => minOverFull(s, row) || row.isForbidden, 'tlObject'),
      is_min: isMinMerge,
    },
  },
  accountChannels: {
    spec: accountChannelsUpsert,
    model: 'accountChannel',
    uniqueName: 'accountId_channelId',
    merges: {
      access_hash: coalesce('accessHash'),
      is_creator: keepWhen(forbidden, 'isCreator'),
      is_admin: keepWhen(forbidden, 'isAdmin'),
      joined_at: keepWhen(forbidden, 'joinedAt'),
      forbidden_since: forbiddenSince,
    },
  },
  dialogs: { spec: dialogsUpsert, model: 'dialog', uniqueName: 'accountId_peerType_peerId', merges: {} },
  messages: {
    spec: messagesUpsert,
    model: 'message',
    uniqueName: 'accountId_peerType_peerId_id',
    merges: Object.fromEntries(
      messagesUpsert.columns
        .filter((c) => c.role !== 'key')
        .map((c) => [c.column, keepWhen(tombstone, camel(c.column))]),
    ),
  },
  state: { spec: accountUpdateStatesUpsert, model: 'accountUpdateState', uniqueName: 'accountId', merges: {} },
};

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((value, index) => same(value, b[index]));
  return a === b;
}

const keyOf = (fields: string[], record: Record_) => fields.map((field) => String(record[field])).join(':');

async function writeTable(tx: Tx, table: Table, rows: readonly any[]): Promise<Map<string, Record_>> {
  const { spec } = table;
  const keyFields = spec.columns.filter((c) => c.role === 'key').map((c) => camel(c.column));
  const delegate = (tx as any)[table.model];
  const storedByKey = new Map<string, Record_>();
  if (rows.length === 0) return storedByKey;
  // One read per table per batch: the stored rows the merge rules need.
  const last = keyFields[keyFields.length - 1] as string;
  const where: Record_ =
    keyFields.length === 1
      ? { [last]: { in: rows.map((row) => row[last]) } }
      : {
          ...Object.fromEntries(
            keyFields
              .slice(0, -1)
              .filter((f) => f === 'accountId')
              .map((f) => [f, rows[0][f]]),
          ),
          [keyFields.includes('peerId') ? 'peerId' : last]: {
            in: [...new Set(rows.map((row) => row[keyFields.includes('peerId') ? 'peerId' : last]))],
          },
        };
  for (const record of (await delegate.findMany({ where })) as Record_[])
    storedByKey.set(keyOf(keyFields, record), record);

  for (const row of rows) {
    const key = Object.fromEntries(keyFields.map((field) => [field, row[field]]));
    const stored = storedByKey.get(keyOf(keyFields, key)) ?? null;
    const data: Record_ = {};
    let changed = stored === null;
    for (const column of spec.columns) {
      if (column.role === 'key') continue;
      let incoming = column.value(row);
      if (column.encoding === 'epoch-seconds' || column.column === 'forbidden_since') {
        incoming = incoming === null ? null : new Date((incoming as number) * 1000);
      }
      const merge = table.merges[column.column];
      const value = merge ? merge(incoming, stored, row) : incoming;
      const field = camel(column.column);
      data[field] = value ?? (column.sqlType === 'jsonb' ? {} : null);
      if (column.role === 'content' && stored !== null && !same(value, stored[field])) changed = true;
    }
    const update = stored !== null && changed ? { ...data, updatedAt: new Date() } : {};
    await delegate.upsert({
      where: { [table.uniqueName]: keyFields.length === 1 ? key[last] : key },
      create: { ...key, ...data },
      update,
    });
  }
  return storedByKey;
}

export async function writeBatchNaive(prisma: PrismaClient, rows: BatchRows, runId: bigint | null): Promise<void> {
  await prisma.$transaction(
    async (tx) => {
      await writeTable(tx, TABLES.users!, rows.users);
      await writeTable(tx, TABLES.accountUsers!, rows.accountUsers);
      await writeTable(tx, TABLES.chats!, rows.chats);
      await writeTable(tx, TABLES.accountChats!, rows.accountChats);
      await writeTable(tx, TABLES.channels!, rows.channels);
      await writeTable(tx, TABLES.accountChannels!, rows.accountChannels);
      // Snapshots of new dialogs and changed counters, read before the dialogs are written.
      const counters = [
        'topMessageId',
        'readInboxMaxId',
        'readOutboxMaxId',
        'unreadCount',
        'unreadMentionsCount',
        'unreadReactionsCount',
      ] as const;
      const before = new Map<string, Record_>();
      if (rows.dialogs.length > 0) {
        const stored = await tx.dialog.findMany({
          where: { accountId: rows.dialogs[0]!.accountId, peerId: { in: rows.dialogs.map((d) => d.peerId) } },
        });
        for (const record of stored) before.set(`${record.peerType}:${record.peerId}`, record as unknown as Record_);
      }
      for (const dialog of rows.dialogs) {
        const stored = before.get(`${dialog.peerType}:${dialog.peerId}`);
        if (stored !== undefined && counters.every((field) => stored[field] === dialog[field])) continue;
        await tx.dialogSnapshot.create({
          data: {
            accountId: dialog.accountId,
            peerType: dialog.peerType,
            peerId: dialog.peerId,
            runId,
            ...Object.fromEntries(counters.map((f) => [f, dialog[f]])),
          } as any,
        });
      }
      await writeTable(tx, TABLES.dialogs!, rows.dialogs);
      await writeTable(tx, TABLES.messages!, rows.messages);
      if (rows.state !== null) await writeTable(tx, TABLES.state!, [rows.state]);
    },
    { maxWait: 10_000, timeout: 600_000 },
  );
}
