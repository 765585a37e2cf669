/**
 * One page of messages.getDialogs as plain values: the entity rows to store, and for each dialog what
 * the scan and the peers rules read about it (its peer, where the next page starts, mute, and the
 * facts about its user or chat that tell its kind). The run never reads Telegram's objects itself.
 */
import type { Api } from 'telegram';
import type { BatchRows, PeerKey } from '../../model/rows.ts';
import { activeUsernames } from './map-users.ts';
import { mapEntities } from './map-peer-dialogs.ts';
import { peerKeyOf } from './peer-ref.ts';

export type DialogsPage = { readonly kind: 'not-modified' } | DialogsContent;

export interface DialogsContent {
  /** 'list': messages.dialogs, the whole list in one reply; 'slice': a page of a list of `count` dialogs. */
  readonly kind: 'list' | 'slice';
  /** The list's length Telegram gives with a slice (the page's own dialogs for a whole list). */
  readonly count: number;
  /** The page's users and chats as rows, deduplicated and sorted. */
  readonly entities: BatchRows;
  /** The page's dialogs (folders, `dialogFolder`, left out), in the list's order. */
  readonly dialogs: readonly PageDialog[];
}

export interface PageDialog {
  readonly peer: PeerKey;
  readonly topMessageId: number;
  /** The top message's date when the page carries that message (the next page's offset date). */
  readonly topMessageDate: number | null;
  /** notify_settings.mute_until, Unix seconds. */
  readonly muteUntil: number | null;
  /** The page's user for the peer is a bot. */
  readonly isBot: boolean;
  /** The page's user for the peer is in the account's contacts. */
  readonly isContact: boolean;
  /** For a channel (or a forbidden one) in the page: whether it is a broadcast channel; null otherwise. */
  readonly broadcast: boolean | null;
  /** The active usernames of the page's user or channel for the peer, lower case, each once. */
  readonly usernames: readonly string[];
}

export function mapDialogsPage(accountId: number, reply: Api.messages.TypeDialogs): DialogsPage {
  if (reply.className === 'messages.DialogsNotModified') return { kind: 'not-modified' };
  const users = new Map(
    reply.users.flatMap((user) => (user.className === 'User' ? [[user.id.toString(), user] as const] : [])),
  );
  const chats = new Map(reply.chats.map((chat) => [chat.id.toString(), chat] as const));
  const dates = topMessageDates(reply.messages);
  const dialogs = reply.dialogs
    .filter((dialog): dialog is Api.Dialog => dialog.className === 'Dialog')
    .map((dialog): PageDialog => {
      const peer = peerKeyOf(dialog.peer);
      const entity = peer.peerType === 'user' ? users.get(peer.peerId.toString()) : chats.get(peer.peerId.toString());
      return {
        peer,
        topMessageId: dialog.topMessage,
        topMessageDate: dates.get(`${peer.peerType}:${peer.peerId}:${dialog.topMessage}`) ?? null,
        muteUntil: dialog.notifySettings.muteUntil ?? null,
        isBot: entity?.className === 'User' && entity.bot === true,
        isContact: entity?.className === 'User' && entity.contact === true,
        broadcast:
          entity?.className === 'Channel' || entity?.className === 'ChannelForbidden'
            ? entity.broadcast === true
            : null,
        usernames: usernamesOf(entity),
      };
    });
  return {
    kind: reply.className === 'messages.Dialogs' ? 'list' : 'slice',
    count: reply.className === 'messages.DialogsSlice' ? reply.count : dialogs.length,
    entities: mapEntities(accountId, reply.users, reply.chats),
    dialogs,
  };
}

/** Each message's date by "peer:id" (the first copy of an id counts; an empty message has none). */
function topMessageDates(messages: readonly Api.TypeMessage[]): Map<string, number | null> {
  const dates = new Map<string, number | null>();
  for (const message of messages) {
    if (message.peerId == null) continue;
    const peer = peerKeyOf(message.peerId);
    const key = `${peer.peerType}:${peer.peerId}:${message.id}`;
    if (!dates.has(key)) dates.set(key, message.className === 'MessageEmpty' ? null : message.date);
  }
  return dates;
}

function usernamesOf(entity: Api.TypeUser | Api.TypeChat | undefined): string[] {
  if (entity === undefined || (entity.className !== 'User' && entity.className !== 'Channel')) return [];
  const names = new Set<string>();
  if (entity.username) names.add(entity.username.toLowerCase());
  for (const name of activeUsernames(entity.usernames)) names.add(name.toLowerCase());
  return [...names];
}
