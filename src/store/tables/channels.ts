import type { ChannelRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * channels: broadcast channels and supergroups.
 * - A `min` copy over a stored full one may change only Telegram's display whitelist (title,
 *   usernames, photo presence, type and trust flags); participants_count and the raw object are kept.
 * - A ChannelForbidden copy knows title and type only: everything else stored is kept.
 */
const partialCopy = '(i.is_min AND NOT s.is_min) OR i.is_forbidden';
const keepForPartial = (column: string) => keepStoredWhen(partialCopy, column, 'id');
const keepForForbidden = (column: string) => keepStoredWhen('i.is_forbidden', column, 'id');

export const channelsUpsert: UpsertSpec<ChannelRow> = {
  table: 'channels',
  timestamps: 'created-and-updated',
  inputFlags: [{ name: 'is_forbidden', sqlType: 'boolean', value: (row) => row.isForbidden }],
  columns: [
    { column: 'id', sqlType: 'bigint', role: 'key', value: (row) => row.id },
    { column: 'title', sqlType: 'text', role: 'content', value: (row) => row.title },
    {
      column: 'username',
      sqlType: 'text',
      role: 'content',
      value: (row) => row.username,
      merge: keepForForbidden('username'),
    },
    {
      column: 'usernames',
      sqlType: 'text[]',
      role: 'content',
      value: (row) => row.usernames,
      merge: keepForForbidden('usernames'),
    },
    { column: 'is_broadcast', sqlType: 'boolean', role: 'content', value: (row) => row.isBroadcast },
    { column: 'is_megagroup', sqlType: 'boolean', role: 'content', value: (row) => row.isMegagroup },
    {
      column: 'is_gigagroup',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isGigagroup,
      merge: keepForForbidden('is_gigagroup'),
    },
    {
      column: 'is_forum',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isForum,
      merge: keepForForbidden('is_forum'),
    },
    {
      column: 'is_verified',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isVerified,
      merge: keepForForbidden('is_verified'),
    },
    {
      column: 'is_scam',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isScam,
      merge: keepForForbidden('is_scam'),
    },
    {
      column: 'is_fake',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isFake,
      merge: keepForForbidden('is_fake'),
    },
    {
      column: 'is_restricted',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isRestricted,
      merge: keepForForbidden('is_restricted'),
    },
    {
      column: 'has_photo',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.hasPhoto,
      merge: keepForForbidden('has_photo'),
    },
    {
      column: 'participants_count',
      sqlType: 'integer',
      role: 'content',
      value: (row) => row.participantsCount,
      merge: keepForPartial('participants_count'),
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
      merge: keepForPartial('tl_object'),
    },
  ],
};
