/**
 * messages.getDialogs with Telegram's offset pagination.
 *
 * The list is the folder's (folder_id absent = main list, 1 = archive), pinned first, then newest
 * first; the first page of the main list also carries a DialogFolder for a non-empty archive
 * (an extra entry, not counted in `limit` or `count`). The page starts after `offset_peer` when it is one of the list's dialogs (GramJS always
 * sends it), otherwise after the position of (offset_date, offset_id); `exclude_pinned` drops the
 * pinned ones. `messages.dialogs` when the whole list fits in the first page, else
 * `messages.dialogsSlice` with the list's total in `count`. limit is clamped to 0..100.
 */
import { Api } from 'telegram';
import { dialogList } from '../dialog-lists.ts';
import type { DialogRecord } from '../model.ts';
import { ReplyBuilder } from '../reply.ts';
import { MAX_DIALOGS_LIMIT, assertUserAccount, resolveInputPeer } from '../rules.ts';
import type { AccountState, DialogList, WorldState } from '../state.ts';

function startByDate(acc: AccountState, list: DialogList, offsetDate: number, offsetId: number): number {
  // Binary search over the unpinned part, which is sorted by (topDate desc, topMessage desc).
  let lo = list.pinnedCount;
  let hi = list.peers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const d = acc.dialogs.get(list.peers[mid] as number) as DialogRecord;
    const before = d.topDate > offsetDate || (d.topDate === offsetDate && offsetId > 0 && d.topMessage >= offsetId);
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function getDialogs(
  state: WorldState,
  acc: AccountState,
  request: Api.messages.GetDialogs,
): Api.messages.TypeDialogs {
  assertUserAccount(acc);
  const list = dialogList(state, acc, request.folderId ?? 0);
  const limit = Math.max(0, Math.min(MAX_DIALOGS_LIMIT, request.limit));

  let start = 0;
  const hasOffsetPeer = request.offsetPeer !== undefined && !(request.offsetPeer instanceof Api.InputPeerEmpty);
  const offsetPosition = hasOffsetPeer
    ? list.position.get(resolveInputPeer(state, acc, request.offsetPeer as Api.TypeInputPeer).index)
    : undefined;
  if (offsetPosition !== undefined) start = offsetPosition + 1;
  else if (request.offsetDate > 0) start = startByDate(acc, list, request.offsetDate, request.offsetId);
  if (request.excludePinned) start = Math.max(start, list.pinnedCount);

  const reply = new ReplyBuilder(state, acc);
  // The main list's first page starts with the archive's DialogFolder row (not counted in limit).
  if ((request.folderId === undefined || request.folderId === null) && start === 0 && limit > 0) reply.addFolder(1);
  const end = Math.min(list.peers.length, start + limit);
  for (let i = start; i < end; i++) reply.addDialog(acc.dialogs.get(list.peers[i] as number) as DialogRecord);

  const parts = { dialogs: reply.dialogs, messages: reply.messages, chats: reply.chats, users: reply.users };
  const wholeList = start === 0 && end === list.peers.length;
  return wholeList
    ? new Api.messages.Dialogs(parts)
    : new Api.messages.DialogsSlice({ count: list.peers.length, ...parts });
}
