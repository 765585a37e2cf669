import type { Api } from 'telegram';
import type { DialogRow } from '../../model/rows.ts';
import { peerKeyOf } from './peer-ref.ts';
import { TELEGRAM_FOREVER } from './tl-values.ts';

/** A Dialog as a row. DialogFolder (only sent when folders are requested) is not a peer's dialog. */
export function mapDialog(accountId: number, dialog: Api.TypeDialog): DialogRow | null {
  if (dialog.className !== 'Dialog') return null;
  const muteUntil = dialog.notifySettings.muteUntil;
  const isMutedForever = muteUntil != null && muteUntil >= TELEGRAM_FOREVER;
  const draft = dialog.draft;
  const hasDraft = draft != null && draft.className === 'DraftMessage';
  return {
    accountId,
    ...peerKeyOf(dialog.peer),
    topMessageId: dialog.topMessage,
    readInboxMaxId: dialog.readInboxMaxId,
    readOutboxMaxId: dialog.readOutboxMaxId,
    unreadCount: dialog.unreadCount,
    unreadMentionsCount: dialog.unreadMentionsCount,
    unreadReactionsCount: dialog.unreadReactionsCount,
    isPinned: dialog.pinned === true,
    isUnreadMarked: dialog.unreadMark === true,
    folderId: dialog.folderId ?? null,
    pts: dialog.pts ?? null,
    ttlPeriod: dialog.ttlPeriod ?? null,
    mutedUntil: isMutedForever || muteUntil == null || muteUntil === 0 ? null : muteUntil,
    isMutedForever,
    hasDraft,
    draftDate: hasDraft ? draft.date : null,
  };
}
