import type { AccountChatRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

const keepForForbidden = (column: string) => keepStoredWhen('i.is_forbidden', column, 'chat_id');

/** account_chats: one account's membership of a basic group; forbidden_since marks when access was lost. */
export const accountChatsUpsert: UpsertSpec<AccountChatRow> = {
  table: 'account_chats',
  timestamps: 'created-and-updated',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'chat_id', sqlType: 'bigint', role: 'key', value: (row) => row.chatId },
    {
      column: 'is_creator',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isCreator,
      merge: keepForForbidden('is_creator'),
    },
    {
      column: 'is_admin',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isAdmin,
      merge: keepForForbidden('is_admin'),
    },
    { column: 'is_left', sqlType: 'boolean', role: 'content', value: (row) => row.isLeft },
    { column: 'is_forbidden', sqlType: 'boolean', role: 'content', value: (row) => row.isForbidden },
    {
      column: 'forbidden_since',
      sqlType: 'timestamptz',
      role: 'content',
      value: () => null,
      merge: 'CASE WHEN i.is_forbidden THEN COALESCE(s.forbidden_since, now()) END',
    },
  ],
};
