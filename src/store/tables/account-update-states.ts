import type { UpdateStateRow } from '../rows.ts';
import type { UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * account_update_states: the account's current updates.State. Its date moves on every call, so it is
 * volatile: the row is rewritten only when pts, qts, seq or the unread count move.
 */
export const accountUpdateStatesUpsert: UpsertSpec<UpdateStateRow> = {
  table: 'account_update_states',
  timestamps: 'updated-only',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'pts', sqlType: 'integer', role: 'content', value: (row) => row.pts },
    { column: 'qts', sqlType: 'integer', role: 'content', value: (row) => row.qts },
    { column: 'seq', sqlType: 'integer', role: 'content', value: (row) => row.seq },
    { column: 'unread_count', sqlType: 'integer', role: 'content', value: (row) => row.unreadCount },
    { column: 'state_date', sqlType: 'timestamptz', role: 'volatile', encoding: 'epoch-seconds', value: (row) => row.stateDate },
  ],
};
