/**
 * The account's folders (Telegram's dialog filters): storage and Telegram's membership rule, which
 * tests use to compute what a "folder" peers rule must expand to. Membership, as the apps show it:
 * pinned and included peers always; else a dialog of a flagged category (contacts, non-contacts,
 * groups, broadcast channels, bots) that is not excluded, not muted (exclude_muted), not read
 * (exclude_read) and not archived (exclude_archived).
 */
import { isListed } from './dialog-lists.ts';
import { markedId } from './ids.ts';
import type { DialogFilterRecord, DialogRecord, PeerRecord } from './model.ts';
import type { AccountState, WorldState } from './state.ts';

export function setDialogFilter(acc: AccountState, filter: DialogFilterRecord): void {
  if (filter.id < 2) throw new Error('world.setDialogFilter: folder ids start at 2 (0 and 1 are Telegram’s own)');
  const at = acc.dialogFilters.findIndex((existing) => existing.id === filter.id);
  const copy = {
    ...filter,
    includePeers: [...filter.includePeers],
    pinnedPeers: [...filter.pinnedPeers],
    excludePeers: [...filter.excludePeers],
  };
  if (at === -1) acc.dialogFilters.push(copy);
  else acc.dialogFilters[at] = copy;
}

export function removeDialogFilter(acc: AccountState, id: number): void {
  const at = acc.dialogFilters.findIndex((existing) => existing.id === id);
  if (at === -1) throw new Error(`world.removeDialogFilter: no folder ${id}`);
  acc.dialogFilters.splice(at, 1);
}

/** Marked ids of the account's listed dialogs that the folder shows. */
export function dialogFilterPeers(state: WorldState, acc: AccountState, filter: DialogFilterRecord): bigint[] {
  const now = state.clock();
  const always = new Set([...filter.includePeers, ...filter.pinnedPeers]);
  const excluded = new Set(filter.excludePeers);
  const out: bigint[] = [];
  for (const dialog of acc.dialogs.values()) {
    if (!isListed(state, dialog)) continue;
    const peer = state.peers[dialog.peerIndex] as PeerRecord;
    const marked = markedId(peer.kind, peer.id);
    if (always.has(marked)) out.push(marked);
    else if (
      filter.chatlist !== true &&
      !excluded.has(marked) &&
      inCategory(acc, filter, peer) &&
      passesConditions(filter, dialog, now)
    )
      out.push(marked);
  }
  return out;
}

function inCategory(acc: AccountState, filter: DialogFilterRecord, peer: PeerRecord): boolean {
  if (peer.kind === 'user') {
    if (peer.bot) return filter.bots === true;
    return acc.contacts.has(peer.index) ? filter.contacts === true : filter.nonContacts === true;
  }
  if (peer.kind === 'chat') return filter.groups === true;
  return peer.broadcast ? filter.broadcasts === true : filter.groups === true;
}

function passesConditions(filter: DialogFilterRecord, dialog: DialogRecord, now: number): boolean {
  if (filter.excludeArchived === true && dialog.folderId === 1) return false;
  if (filter.excludeMuted === true && dialog.muteUntil !== null && dialog.muteUntil > now) return false;
  if (filter.excludeRead === true && dialog.unreadCount === 0 && !dialog.unreadMark) return false;
  return true;
}
