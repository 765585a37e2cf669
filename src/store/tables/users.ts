import type { UserRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * users: the user as everyone sees it.
 * - A `min` copy may update only display fields (names, usernames, flags, photo presence); the rest,
 *   and a stored full copy's raw object, are kept. is_min stays false once a full copy was seen.
 * - A contact's copy carries the account's custom name: the mapping sends no names for it (they go to
 *   account_users), and the stored names are kept.
 */
const keepForMin = (column: string) => keepStoredWhen('i.is_min AND NOT s.is_min', column, 'id');
const keepForPersonalNames = (column: string) => keepStoredWhen('i.names_are_personal', column, 'id');

export const usersUpsert: UpsertSpec<UserRow> = {
  table: 'users',
  timestamps: 'created-and-updated',
  inputFlags: [{ name: 'names_are_personal', sqlType: 'boolean', value: (row) => row.namesArePersonal }],
  columns: [
    { column: 'id', sqlType: 'bigint', role: 'key', value: (row) => row.id },
    {
      column: 'first_name',
      sqlType: 'text',
      role: 'content',
      value: (row) => row.firstName,
      merge: keepForPersonalNames('first_name'),
    },
    {
      column: 'last_name',
      sqlType: 'text',
      role: 'content',
      value: (row) => row.lastName,
      merge: keepForPersonalNames('last_name'),
    },
    { column: 'username', sqlType: 'text', role: 'content', value: (row) => row.username },
    { column: 'usernames', sqlType: 'text[]', role: 'content', value: (row) => row.usernames },
    { column: 'is_bot', sqlType: 'boolean', role: 'content', value: (row) => row.isBot },
    { column: 'is_verified', sqlType: 'boolean', role: 'content', value: (row) => row.isVerified },
    { column: 'is_premium', sqlType: 'boolean', role: 'content', value: (row) => row.isPremium },
    { column: 'is_scam', sqlType: 'boolean', role: 'content', value: (row) => row.isScam },
    { column: 'is_fake', sqlType: 'boolean', role: 'content', value: (row) => row.isFake },
    { column: 'is_support', sqlType: 'boolean', role: 'content', value: (row) => row.isSupport },
    { column: 'is_restricted', sqlType: 'boolean', role: 'content', value: (row) => row.isRestricted },
    { column: 'is_deleted', sqlType: 'boolean', role: 'content', value: (row) => row.isDeleted },
    { column: 'has_photo', sqlType: 'boolean', role: 'content', value: (row) => row.hasPhoto },
    {
      column: 'lang_code',
      sqlType: 'text',
      role: 'content',
      value: (row) => row.langCode,
      merge: keepForMin('lang_code'),
    },
    {
      column: 'is_min',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isMin,
      merge: 'CASE WHEN s.id IS NULL THEN i.is_min ELSE s.is_min AND i.is_min END',
    },
    {
      column: 'tl_object',
      sqlType: 'jsonb',
      role: 'volatile',
      value: (row) => row.tlObject,
      merge: keepForMin('tl_object'),
    },
  ],
};
