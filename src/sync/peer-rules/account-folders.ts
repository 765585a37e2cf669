import type { Api } from 'telegram';
import type { PeerKey } from '../../model/rows.ts';
import { METHODS } from '../../telegram/gateway.ts';
import { callTelegram } from '../call-policy.ts';
import type { RunContext } from '../run-context.ts';
import { RunDeferredError } from '../run-errors.ts';
import type { FolderDefinition } from './expand-peer-rules.ts';

/**
 * The account's folders (messages.getDialogFilters, one call), or null when the method is deferred
 * by a long flood wait or refused: folder rules are then not expanded this run (their peers stay).
 */
export async function readAccountFolders(context: RunContext): Promise<FolderDefinition[] | null> {
  if (context.deferredMethods.has(METHODS.getDialogFilters)) return null;
  try {
    const outcome = await callTelegram(context.policy, METHODS.getDialogFilters, () =>
      context.gateway.getDialogFilters(),
    );
    if (!outcome.ok) {
      context.logger.warn(
        { error: outcome.failure.errorMessage },
        "could not read the account's folders; folder rules keep their peers this run",
      );
      return null;
    }
    return outcome.value.filters.flatMap((filter) => folderOf(filter, context.selfUserId));
  } catch (error) {
    if (error instanceof RunDeferredError) {
      context.deferredMethods.add(METHODS.getDialogFilters);
      return null;
    }
    throw error;
  }
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
