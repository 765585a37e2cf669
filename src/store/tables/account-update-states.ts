import type { UpdateStateRow } from '../../model/rows.ts';
import { keepStoredWhen, type UpsertSpec } from '../upsert/upsert-spec.ts';

/**
 * account_update_states: the account's newest updates.State. Its date moves on every call, so it is
 * volatile: the row is rewritten only when pts, qts, seq or the unread count move.
 * Newest wins: with several calls in flight (SYNC_CONCURRENCY > 1) replies arrive in any order, so a
 * state replaces the stored one only when it is newer — greater pts, then qts, seq, date — and an
 * older one that arrives last changes nothing. (When it was last fetched is the run's
 * sync_runs.state_fetched_at: recording it here would rewrite this row on every run.)
 */
const olderThanStored = 'NOT (ROW(i.pts, i.qts, i.seq, i.state_date) > ROW(s.pts, s.qts, s.seq, s.state_date))';
const keepUnlessNewer = (column: string) => keepStoredWhen(olderThanStored, column, 'account_id');

export const accountUpdateStatesUpsert: UpsertSpec<UpdateStateRow> = {
  table: 'account_update_states',
  timestamps: 'updated-only',
  columns: [
    { column: 'account_id', sqlType: 'integer', role: 'key', value: (row) => row.accountId },
    { column: 'pts', sqlType: 'integer', role: 'content', value: (row) => row.pts, merge: keepUnlessNewer('pts') },
    { column: 'qts', sqlType: 'integer', role: 'content', value: (row) => row.qts, merge: keepUnlessNewer('qts') },
    { column: 'seq', sqlType: 'integer', role: 'content', value: (row) => row.seq, merge: keepUnlessNewer('seq') },
    {
      column: 'unread_count',
      sqlType: 'integer',
      role: 'content',
      value: (row) => row.unreadCount,
      merge: keepUnlessNewer('unread_count'),
    },
    {
      column: 'state_date',
      sqlType: 'timestamptz',
      role: 'volatile',
      encoding: 'epoch-seconds',
      value: (row) => row.stateDate,
      merge: keepUnlessNewer('state_date'),
    },
  ],
};
