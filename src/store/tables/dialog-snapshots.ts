import type { DialogRow } from '../rows.ts';
import { jsonbParam, jsonParam, type JsonParam } from '../upsert/json-param.ts';

/**
 * dialog_snapshots: history for trends. A snapshot is written only when a dialog is new or one of its
 * counters differs from the stored dialog, so the history grows with change, not with runs. It runs
 * before the dialogs upsert in the same transaction, so "stored" means the values before this batch.
 */
export const insertDialogSnapshotsSql = `INSERT INTO dialog_snapshots (
  account_id, peer_type, peer_id, run_id, captured_at, top_message_id, read_inbox_max_id,
  read_outbox_max_id, unread_count, unread_mentions_count, unread_reactions_count)
SELECT i.account_id, i.peer_type, i.peer_id, $2::bigint, now(), i.top_message_id, i.read_inbox_max_id,
  i.read_outbox_max_id, i.unread_count, i.unread_mentions_count, i.unread_reactions_count
FROM jsonb_to_recordset(${jsonbParam(1)}) AS i(account_id integer, peer_type peer_type, peer_id bigint,
  top_message_id integer, read_inbox_max_id integer, read_outbox_max_id integer, unread_count integer,
  unread_mentions_count integer, unread_reactions_count integer)
LEFT JOIN dialogs d ON d.account_id = i.account_id AND d.peer_type = i.peer_type AND d.peer_id = i.peer_id
WHERE d.account_id IS NULL
   OR ROW(d.top_message_id, d.read_inbox_max_id, d.read_outbox_max_id, d.unread_count,
          d.unread_mentions_count, d.unread_reactions_count)
      IS DISTINCT FROM
      ROW(i.top_message_id, i.read_inbox_max_id, i.read_outbox_max_id, i.unread_count,
          i.unread_mentions_count, i.unread_reactions_count)
ORDER BY i.account_id, i.peer_type, i.peer_id`;

export function encodeSnapshotInput(rows: readonly DialogRow[]): JsonParam {
  return jsonParam(JSON.stringify(
    rows.map((row) => ({
      account_id: row.accountId,
      peer_type: row.peerType,
      peer_id: row.peerId.toString(),
      top_message_id: row.topMessageId,
      read_inbox_max_id: row.readInboxMaxId,
      read_outbox_max_id: row.readOutboxMaxId,
      unread_count: row.unreadCount,
      unread_mentions_count: row.unreadMentionsCount,
      unread_reactions_count: row.unreadReactionsCount,
    })),
  ));
}
