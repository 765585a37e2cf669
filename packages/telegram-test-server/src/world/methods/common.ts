/** Pieces shared by the method handlers. */
import { Api } from 'telegram';
import { unreadTotal } from '../dialog-lists.ts';
import type { AccountState, WorldState } from '../state.ts';

/** updates.State for the account; `date` moves forward on every call (volatile). */
export function accountStateToTl(state: WorldState, acc: AccountState): Api.updates.State {
  const date = Math.max(state.clock(), acc.lastStateDate + 1);
  acc.lastStateDate = date;
  return new Api.updates.State({
    pts: acc.pts,
    qts: acc.qts,
    date,
    seq: acc.seq,
    unreadCount: unreadTotal(state, acc),
  });
}
