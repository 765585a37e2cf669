/**
 * The account's folders (messages.getDialogFilters) as plain definitions for the peers rules: which
 * peers a folder includes and excludes, and its kind flags. The run never reads Telegram's objects.
 */
import type { Api } from 'telegram';
import type { PeerKey } from '../../model/rows.ts';

/**
 * One of the account's folders (a Telegram dialog filter). exclude_read is deliberately not kept:
 * a folder that hides read chats would drop a chat from the sync each time it is read.
 */
export interface FolderDefinition {
  readonly id: number;
  readonly title: string;
  /** Shared-folder (chat list) links hold only their included and pinned chats. */
  readonly chatlist: boolean;
  readonly include: readonly PeerKey[];
  readonly exclude: readonly PeerKey[];
  readonly contacts: boolean;
  readonly nonContacts: boolean;
  readonly groups: boolean;
  readonly broadcasts: boolean;
  readonly bots: boolean;
  readonly excludeMuted: boolean;
  readonly excludeArchived: boolean;
}

/** The folders of a reply; the default "All chats" filter is not a folder. `selfUserId` stands for InputPeerSelf. */
export function mapDialogFilters(reply: Api.messages.DialogFilters, selfUserId: bigint): FolderDefinition[] {
  return reply.filters.flatMap((filter) => folderOf(filter, selfUserId));
}

function folderOf(filter: Api.TypeDialogFilter, selfUserId: bigint): FolderDefinition[] {
  if (filter.className === 'DialogFilterDefault') return [];
  const peers = (inputs: readonly Api.TypeInputPeer[]) => inputs.flatMap((input) => peerOf(input, selfUserId));
  const include = [...peers(filter.pinnedPeers), ...peers(filter.includePeers)];
  if (filter.className === 'DialogFilterChatlist') {
    return [
      {
        id: filter.id,
        title: filter.title.text,
        chatlist: true,
        include,
        exclude: [],
        contacts: false,
        nonContacts: false,
        groups: false,
        broadcasts: false,
        bots: false,
        excludeMuted: false,
        excludeArchived: false,
      },
    ];
  }
  return [
    {
      id: filter.id,
      title: filter.title.text,
      chatlist: false,
      include,
      exclude: peers(filter.excludePeers),
      contacts: filter.contacts === true,
      nonContacts: filter.nonContacts === true,
      groups: filter.groups === true,
      broadcasts: filter.broadcasts === true,
      bots: filter.bots === true,
      excludeMuted: filter.excludeMuted === true,
      excludeArchived: filter.excludeArchived === true,
    },
  ];
}

function peerOf(input: Api.TypeInputPeer, selfUserId: bigint): PeerKey[] {
  switch (input.className) {
    case 'InputPeerSelf':
      return [{ peerType: 'user', peerId: selfUserId }];
    case 'InputPeerUser':
      return [{ peerType: 'user', peerId: BigInt(input.userId.toString()) }];
    case 'InputPeerChat':
      return [{ peerType: 'chat', peerId: BigInt(input.chatId.toString()) }];
    case 'InputPeerChannel':
      return [{ peerType: 'channel', peerId: BigInt(input.channelId.toString()) }];
    default:
      return [];
  }
}
