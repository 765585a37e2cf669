import type { MessageRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * messages: stored per (account, peer, id). A messageEmpty tombstone never replaces a stored message:
 * when one exists, every column keeps its stored value (so the row does not even count as changed).
 */
const keepForTombstone = (column: string) => keepStoredWhen("i.kind = 'empty'", column, 'id');

export const messagesUpsert: UpsertSpec<MessageRow> = {
  table: 'messages',
  timestamps: 'created-and-updated',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'peer_type', sqlType: 'peer_type', role: 'key', value: (row) => row.peerType },
    { column: 'peer_id', sqlType: 'bigint', role: 'key', value: (row) => row.peerId },
    { column: 'id', sqlType: 'integer', role: 'key', value: (row) => row.id },
    ...(
      [
        ['kind', 'message_kind', 'content', (row: MessageRow) => row.kind],
        ['sender_type', 'peer_type', 'content', (row: MessageRow) => row.senderType],
        ['sender_id', 'bigint', 'content', (row: MessageRow) => row.senderId],
        ['text', 'text', 'content', (row: MessageRow) => row.text],
        ['media_kind', 'text', 'content', (row: MessageRow) => row.mediaKind],
        ['service_action', 'text', 'content', (row: MessageRow) => row.serviceAction],
        ['reply_to_message_id', 'integer', 'content', (row: MessageRow) => row.replyToMessageId],
        ['reply_to_top_id', 'integer', 'content', (row: MessageRow) => row.replyToTopId],
        ['is_outgoing', 'boolean', 'content', (row: MessageRow) => row.isOutgoing],
        ['is_post', 'boolean', 'content', (row: MessageRow) => row.isPost],
        ['is_pinned', 'boolean', 'content', (row: MessageRow) => row.isPinned],
        ['is_forwarded', 'boolean', 'content', (row: MessageRow) => row.isForwarded],
        ['grouped_id', 'bigint', 'content', (row: MessageRow) => row.groupedId],
        ['views', 'integer', 'volatile', (row: MessageRow) => row.views],
        ['forwards', 'integer', 'volatile', (row: MessageRow) => row.forwards],
        ['tl_object', 'jsonb', 'volatile', (row: MessageRow) => row.tlObject],
      ] as const
    ).map(([column, sqlType, role, value]) => ({ column, sqlType, role, value, merge: keepForTombstone(column) })),
    {
      column: 'sent_at',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.sentAt,
      merge: keepForTombstone('sent_at'),
    },
    {
      column: 'edited_at',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.editedAt,
      merge: keepForTombstone('edited_at'),
    },
  ],
};
