import type { ChatRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

/** chats: basic groups. A ChatForbidden copy knows only the title: everything else stored is kept. */
const keepForForbidden = (column: string) => keepStoredWhen('i.is_forbidden', column, 'id');

export const chatsUpsert: UpsertSpec<ChatRow> = {
  table: 'chats',
  timestamps: 'created-and-updated',
  inputFlags: [{ name: 'is_forbidden', sqlType: 'boolean', value: (row) => row.isForbidden }],
  columns: [
    { column: 'id', sqlType: 'bigint', role: 'key', value: (row) => row.id },
    { column: 'title', sqlType: 'text', role: 'content', value: (row) => row.title },
    {
      column: 'participants_count',
      sqlType: 'integer',
      role: 'content',
      value: (row) => row.participantsCount,
      merge: keepForForbidden('participants_count'),
    },
    {
      column: 'is_deactivated',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.isDeactivated,
      merge: keepForForbidden('is_deactivated'),
    },
    {
      column: 'has_photo',
      sqlType: 'boolean',
      role: 'content',
      value: (row) => row.hasPhoto,
      merge: keepForForbidden('has_photo'),
    },
    {
      column: 'migrated_to_channel_id',
      sqlType: 'bigint',
      role: 'content',
      value: (row) => row.migratedToChannelId,
      merge: keepForForbidden('migrated_to_channel_id'),
    },
    {
      column: 'created_on_telegram_at',
      sqlType: 'timestamptz',
      role: 'content',
      encoding: 'epoch-seconds',
      value: (row) => row.createdOnTelegramAt,
      merge: keepForForbidden('created_on_telegram_at'),
    },
    {
      column: 'tl_object',
      sqlType: 'jsonb',
      role: 'volatile',
      value: (row) => row.tlObject,
      merge: keepForForbidden('tl_object'),
    },
  ],
};
