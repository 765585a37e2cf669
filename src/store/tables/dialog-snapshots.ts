import type { DialogRow } from '../../model/rows.ts';
import { columnKey } from '../upsert/encode-rows.ts';
import { jsonbParam, jsonParam, type JsonParam } from '../upsert/json-param.ts';

/**
 * dialog_snapshots: history for trends. A snapshot is written only when a dialog is new or one of its
 * counters differs from the stored dialog, so the history grows with change, not with runs. It runs
 * before the dialogs upsert in the same transaction, so "stored" means the values before this batch.
 */
/** The snapshot input's columns, in order; in the JSON rows each value is keyed by its position (columnKey). */
const INPUT_COLUMNS: readonly {
  readonly name: string;
  readonly sqlType: string;
  readonly value: (row: DialogRow) => unknown;
}[] = [
  { name: 'account_id', sqlType: 'integer', value: (row) => row.accountId },
  { name: 'peer_type', sqlType: 'peer_type', value: (row) => row.peerType },
  { name: 'peer_id', sqlType: 'bigint', value: (row) => row.peerId.toString() },
  { name: 'top_message_id', sqlType: 'integer', value: (row) => row.topMessageId },
  { name: 'read_inbox_max_id', sqlType: 'integer', value: (row) => row.readInboxMaxId },
  { name: 'read_outbox_max_id', sqlType: 'integer', value: (row) => row.readOutboxMaxId },
  { name: 'unread_count', sqlType: 'integer', value: (row) => row.unreadCount },
  { name: 'unread_mentions_count', sqlType: 'integer', value: (row) => row.unreadMentionsCount },
  { name: 'unread_reactions_count', sqlType: 'integer', value: (row) => row.unreadReactionsCount },
];

export const insertDialogSnapshotsSql = `INSERT INTO dialog_snapshots (
  account_id, peer_type, peer_id, run_id, captured_at, top_message_id, read_inbox_max_id,
  read_outbox_max_id, unread_count, unread_mentions_count, unread_reactions_count)
SELECT i.account_id, i.peer_type, i.peer_id, $2::bigint, now(), i.top_message_id, i.read_inbox_max_id,
  i.read_outbox_max_id, i.unread_count, i.unread_mentions_count, i.unread_reactions_count
FROM (
  SELECT ${INPUT_COLUMNS.map((column, index) => `r.${columnKey(index)} AS ${column.name}`).join(', ')}
  FROM jsonb_to_recordset(${jsonbParam(1)}) AS r(${INPUT_COLUMNS.map((column, index) => `${columnKey(index)} ${column.sqlType}`).join(', ')})
) AS i
LEFT JOIN dialogs d ON d.account_id = i.account_id AND d.peer_type = i.peer_type AND d.peer_id = i.peer_id
WHERE d.account_id IS NULL
   OR ROW(d.top_message_id, d.read_inbox_max_id, d.read_outbox_max_id, d.unread_count,
          d.unread_mentions_count, d.unread_reactions_count)
      IS DISTINCT FROM
      ROW(i.top_message_id, i.read_inbox_max_id, i.read_outbox_max_id, i.unread_count,
          i.unread_mentions_count, i.unread_reactions_count)
ORDER BY i.account_id, i.peer_type, i.peer_id`;

export function encodeSnapshotInput(rows: readonly DialogRow[]): JsonParam {
  return jsonParam(
    JSON.stringify(
      rows.map((row) =>
        Object.fromEntries(INPUT_COLUMNS.map((column, index) => [columnKey(index), column.value(row)])),
      ),
    ),
  );
}
