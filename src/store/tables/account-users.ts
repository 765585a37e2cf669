import type { AccountUserRow } from '../../model/rows.ts';
import type { UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * account_users: what one account sees of a user. Rows come only from full copies; a stored access
 * hash is never erased by a copy that lacks one.
 */
export const accountUsersUpsert: UpsertSpec<AccountUserRow> = {
  table: 'account_users',
  timestamps: 'created-and-updated',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'user_id', sqlType: 'bigint', role: 'key', value: (row) => row.userId },
    {
      column: 'access_hash',
      sqlType: 'bigint',
      role: 'content',
      value: (row) => row.accessHash,
      merge: 'COALESCE(i.access_hash, s.access_hash)',
    },
    { column: 'is_contact', sqlType: 'boolean', role: 'content', value: (row) => row.isContact },
    { column: 'is_mutual_contact', sqlType: 'boolean', role: 'content', value: (row) => row.isMutualContact },
    { column: 'is_close_friend', sqlType: 'boolean', role: 'content', value: (row) => row.isCloseFriend },
    { column: 'first_name', sqlType: 'text', role: 'content', value: (row) => row.firstName },
    { column: 'last_name', sqlType: 'text', role: 'content', value: (row) => row.lastName },
    {
      column: 'phone',
      sqlType: 'text',
      role: 'content',
      value: (row) => row.phone,
      merge: 'COALESCE(i.phone, s.phone)',
    },
    { column: 'last_status', sqlType: 'text', role: 'volatile', value: (row) => row.lastStatus },
  ],
};
