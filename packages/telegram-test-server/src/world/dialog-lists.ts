/**
 * The account's dialog list in Telegram's order, per folder: pinned dialogs first (by pin rank),
 * then by top message date, newest first (ties: higher top message id, then higher peer index).
 * Built once and reused until a mutation marks it stale, so paging costs O(page), not O(world).
 */
import type { DialogRecord, PeerRecord } from './model.ts';
import type { AccountState, DialogList, FolderSummary, WorldState } from './state.ts';

export type { FolderSummary } from './state.ts';

/** Dialogs of deleted channels disappear from every list. */
export function isListed(state: WorldState, dialog: DialogRecord): boolean {
  const peer = state.peers[dialog.peerIndex] as PeerRecord;
  return !(peer.kind === 'channel' && peer.deleted);
}

export function compareDialogs(a: DialogRecord, b: DialogRecord): number {
  const pa = a.pinnedRank > 0;
  const pb = b.pinnedRank > 0;
  if (pa !== pb) return pa ? -1 : 1;
  if (pa) return a.pinnedRank - b.pinnedRank || b.peerIndex - a.peerIndex;
  return b.topDate - a.topDate || b.topMessage - a.topMessage || b.peerIndex - a.peerIndex;
}

export function dialogLists(state: WorldState, acc: AccountState): Map<number, DialogList> {
  if (acc.lists) return acc.lists;
  const byFolder = new Map<number, DialogRecord[]>([
    [0, []],
    [1, []],
  ]);
  for (const d of acc.dialogs.values()) if (isListed(state, d)) byFolder.get(d.folderId)?.push(d);
  const lists = new Map<number, DialogList>();
  for (const [folder, records] of byFolder) {
    records.sort(compareDialogs);
    const peers = records.map((d) => d.peerIndex);
    const position = new Map<number, number>();
    peers.forEach((p, i) => position.set(p, i));
    lists.set(folder, { peers, position, pinnedCount: records.filter((d) => d.pinnedRank > 0).length });
  }
  acc.lists = lists;
  return lists;
}

export function dialogList(state: WorldState, acc: AccountState, folderId: number): DialogList {
  return dialogLists(state, acc).get(folderId) ?? { peers: [], position: new Map(), pinnedCount: 0 };
}

/** Summary of a folder, or null when it is empty. O(folder size) once per clock second and mutation. */
export function folderSummary(state: WorldState, acc: AccountState, folderId: number): FolderSummary | null {
  const now = state.clock();
  const cached = acc.folderSummaries.get(folderId);
  if (cached && cached.now === now) return cached.summary;
  const summary = computeFolderSummary(state, acc, folderId, now);
  acc.folderSummaries.set(folderId, { now, summary });
  return summary;
}

function computeFolderSummary(
  state: WorldState,
  acc: AccountState,
  folderId: number,
  now: number,
): FolderSummary | null {
  const list = dialogList(state, acc, folderId);
  const top = list.peers[0];
  if (top === undefined) return null;
  const summary: FolderSummary = {
    folderId,
    topPeerIndex: top,
    unreadMutedPeersCount: 0,
    unreadUnmutedPeersCount: 0,
    unreadMutedMessagesCount: 0,
    unreadUnmutedMessagesCount: 0,
  };
  for (const index of list.peers) {
    const d = acc.dialogs.get(index) as DialogRecord;
    if (d.unreadCount === 0 && !d.unreadMark) continue;
    const muted = d.muteUntil !== null && d.muteUntil > now;
    if (muted) {
      summary.unreadMutedPeersCount++;
      summary.unreadMutedMessagesCount += d.unreadCount;
    } else {
      summary.unreadUnmutedPeersCount++;
      summary.unreadUnmutedMessagesCount += d.unreadCount;
    }
  }
  return summary;
}

/** Marks cached orderings and totals stale after a mutation. */
export function invalidateAccount(acc: AccountState): void {
  acc.lists = null;
  acc.unreadTotal = null;
  acc.folderSummaries.clear();
}

/** updates.State.unread_count: total unread messages over the account's listed dialogs. */
export function unreadTotal(state: WorldState, acc: AccountState): number {
  if (acc.unreadTotal === null) {
    let total = 0;
    for (const d of acc.dialogs.values()) if (isListed(state, d)) total += d.unreadCount;
    acc.unreadTotal = total;
  }
  return acc.unreadTotal;
}
