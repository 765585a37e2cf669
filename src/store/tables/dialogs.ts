import type { DialogRow } from '../../model/rows.ts';
import type { UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * dialogs: one account's dialog with a peer. Every column is content. A dialog in a reply is present:
 * absent_since (set by recordPeersSynced when a reply came without it) goes back to NULL.
 */
export const dialogsUpsert: UpsertSpec<DialogRow> = {
  table: 'dialogs',
  timestamps: 'created-and-updated',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'peer_type', sqlType: 'peer_type', role: 'key', value: (row) => row.peerType },
    { column: 'peer_id', sqlType: 'bigint', role: 'key', value: (row) => row.peerId },
    { column: 'top_message_id', sqlType: 'integer', role: 'content', value: (row) => row.topMessageId },
    { column: 'read_inbox_max_id', sqlType: 'integer', role: 'content', value: (row) => row.readInboxMaxId },
    { column: 'read_outbox_max_id', sqlType: 'integer', role: 'content', value: (row) => row.readOutboxMaxId },
    { column: 'unread_count', sqlType: 'integer', role: 'content', value: (row) => row.unreadCount },
    { column: 'unread_mentions_count', sqlType: 'integer', role: 'content', value: (row) => row.unreadMentionsCount },
    { column: 'unread_reactions_count', sqlType: 'integer', role: 'content', value: (row) => row.unreadReactionsCount },
    { column: 'is_pinned', sqlType: 'boolean', role: 'content', value: (row) => row.isPinned },
    { column: 'is_unread_marked', sqlType: 'boolean', role: 'content', value: (row) => row.isUnreadMarked },
    { column: 'folder_id', sqlType: 'integer', role: 'content', value: (row) => row.folderId },
    { column: 'pts', sqlType: 'integer', role: 'content', value: (row) => row.pts },
    { column: 'ttl_period', sqlType: 'integer', role: 'content', value: (row) => row.ttlPeriod },
    {
      column: 'muted_until',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.mutedUntil,
    },
    { column: 'is_muted_forever', sqlType: 'boolean', role: 'content', value: (row) => row.isMutedForever },
    { column: 'has_draft', sqlType: 'boolean', role: 'content', value: (row) => row.hasDraft },
    {
      column: 'draft_date',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.draftDate,
    },
    { column: 'absent_since', sqlType: 'timestamptz', role: 'content', value: () => null },
  ],
};
