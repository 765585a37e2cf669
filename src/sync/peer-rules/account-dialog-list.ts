import type { Api } from 'telegram';
import type { DialogKind } from '../../peers/peer-rule.ts';
import { peerKeyOf } from '../../telegram/mapping/peer-ref.ts';
import type { PeerKey } from '../../model/rows.ts';
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
    const users = new Map(
      page.users.flatMap((user) => (user.className === 'User' ? [[user.id.toString(), user] as const] : [])),
    );
    const chats = new Map(page.chats.map((chat) => [chat.id.toString(), chat] as const));
    const listed = page.dialogs.filter((dialog): dialog is Api.Dialog => dialog.className === 'Dialog');
    for (const dialog of listed) {
      const peer = peerKeyOf(dialog.peer);
      const key = `${peer.peerType}:${peer.peerId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const entity = peer.peerType === 'user' ? users.get(peer.peerId.toString()) : chats.get(peer.peerId.toString());
      const muteUntil = dialog.notifySettings.muteUntil;
      dialogs.push({
        peer,
        kind: kindOf(peer, entity),
        archived: folderId === 1,
        muted: muteUntil != null && muteUntil > now,
        contact: entity?.className === 'User' && entity.contact === true,
        usernames: usernamesOf(entity),
      });
    }
  });
  // A scan made earlier in the run (not seen page by page here) cannot tell kinds: treat it as partial.
  const complete = scan.complete && (observed > 0 || scan.dialogs.length === 0);
  return { dialogs, complete };
}

function kindOf(peer: PeerKey, entity: Api.TypeUser | Api.TypeChat | undefined): DialogKind {
  if (peer.peerType === 'user') return entity?.className === 'User' && entity.bot === true ? 'bots' : 'users';
  if (peer.peerType === 'chat') return 'groups';
  if (entity?.className === 'Channel' || entity?.className === 'ChannelForbidden')
    return entity.broadcast === true ? 'channels' : 'groups';
  return 'channels';
}

function usernamesOf(entity: Api.TypeUser | Api.TypeChat | undefined): string[] {
  if (entity === undefined || (entity.className !== 'User' && entity.className !== 'Channel')) return [];
  const names = new Set<string>();
  if (entity.username) names.add(entity.username.toLowerCase());
  for (const entry of entity.usernames ?? []) if (entry.active === true) names.add(entry.username.toLowerCase());
  return [...names];
}
