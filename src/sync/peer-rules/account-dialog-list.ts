import type { DialogKind } from '../../peers/peer-rule.ts';
import type { PeerKey } from '../../model/rows.ts';
import type { PageDialog } from '../../telegram/mapping/map-dialogs-page.ts';
import type { RunContext } from '../run-context.ts';
import { scanOwnDialogs } from '../scan-own-dialogs.ts';
import type { ListedDialog } from './expand-peer-rules.ts';

export interface AccountDialogList {
  readonly dialogs: readonly ListedDialog[];
  /**
   * Every page of both lists was read. A list cut short (a deferred getDialogs, a failed page) must
   * not disable peers that merely were not reached.
   */
  readonly complete: boolean;
}

/**
 * The account's dialog list for peers rules: a thin adapter over scanOwnDialogs (the run's one scan,
 * which also stores every entity and access hash, so rule peers need no resolveUsername) that keeps
 * what rules ask about each dialog: its kind, folder, mute, contact flag and usernames.
 */
export async function readAccountDialogList(context: RunContext): Promise<AccountDialogList> {
  const dialogs: ListedDialog[] = [];
  const seen = new Set<string>();
  let observed = 0;
  const now = Math.floor(Date.now() / 1000);
  const scan = await scanOwnDialogs(context, (folderId, page) => {
    observed += 1;
    for (const dialog of page.dialogs) {
      const peer = dialog.peer;
      const key = `${peer.peerType}:${peer.peerId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      dialogs.push({
        peer,
        kind: kindOf(peer, dialog),
        archived: folderId === 1,
        muted: dialog.muteUntil !== null && dialog.muteUntil > now,
        contact: dialog.isContact,
        usernames: dialog.usernames,
      });
    }
  });
  // A scan made earlier in the run (not seen page by page here) cannot tell kinds: treat it as partial.
  const complete = scan.complete && (observed > 0 || scan.dialogs.length === 0);
  return { dialogs, complete };
}

/** A channel the page did not carry counts as a broadcast channel. */
function kindOf(peer: PeerKey, dialog: PageDialog): DialogKind {
  if (peer.peerType === 'user') return dialog.isBot ? 'bots' : 'users';
  if (peer.peerType === 'chat') return 'groups';
  return dialog.broadcast === false ? 'groups' : 'channels';
}
