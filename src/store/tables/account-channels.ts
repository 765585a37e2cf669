import type { AccountChannelRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * account_channels: one account's access hash, membership and rights in a channel. A forbidden copy
 * marks the loss of access (forbidden_since keeps the first time) without erasing what was known.
 */
const keepForForbidden = (column: string) => keepStoredWhen('i.is_forbidden', column, 'channel_id');

export const accountChannelsUpsert: UpsertSpec<AccountChannelRow> = {
  table: 'account_channels',
  timestamps: 'created-and-updated',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'channel_id', sqlType: 'bigint', role: 'key', value: (row) => row.channelId },
    {
      column: 'access_hash',
      sqlType: 'bigint',
      role: 'content',
      value: (row) => row.accessHash,
      merge: 'COALESCE(i.access_hash, s.access_hash)',
    },
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
    { column: 'is_banned', sqlType: 'boolean', role: 'content', value: (row) => row.isBanned },
    {
      column: 'joined_at',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.joinedAt,
      merge: keepForForbidden('joined_at'),
    },
    { column: 'is_forbidden', sqlType: 'boolean', role: 'content', value: (row) => row.isForbidden },
    {
      column: 'forbidden_since',
      sqlType: 'timestamptz',
      role: 'content',
      value: () => null,
      merge: 'CASE WHEN i.is_forbidden THEN COALESCE(s.forbidden_since, now()) END',
    },
    {
      column: 'forbidden_until',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.forbiddenUntil,
    },
  ],
};
