/**
 * messages.getDialogFilters: the account's folders, "All chats" (dialogFilterDefault) first as
 * Telegram lists it, peers as InputPeer with the account's own access hashes.
 */
import { Api } from 'telegram';
import type { DialogFilterRecord } from '../model.ts';
import { toBigInteger, unmark } from '../ids.ts';
import { assertUserAccount } from '../rules.ts';
import type { AccountState, WorldState } from '../state.ts';
import { fullAccessHash } from '../views.ts';

export function getDialogFilters(state: WorldState, acc: AccountState): Api.messages.DialogFilters {
  assertUserAccount(acc);
  const filters: Api.TypeDialogFilter[] = [new Api.DialogFilterDefault()];
  for (const filter of acc.dialogFilters) filters.push(filterToTl(state, acc, filter));
  return new Api.messages.DialogFilters({ filters });
}

function filterToTl(state: WorldState, acc: AccountState, filter: DialogFilterRecord): Api.TypeDialogFilter {
  const inputs = (peers: readonly bigint[]) => peers.map((marked) => inputPeer(state, acc, marked));
  const title = new Api.TextWithEntities({ text: filter.title, entities: [] });
  if (filter.chatlist === true) {
    return new Api.DialogFilterChatlist({
      id: filter.id,
      title,
      pinnedPeers: inputs(filter.pinnedPeers),
      includePeers: inputs(filter.includePeers),
    });
  }
  return new Api.DialogFilter({
    id: filter.id,
    title,
    pinnedPeers: inputs(filter.pinnedPeers),
    includePeers: inputs(filter.includePeers),
    excludePeers: inputs(filter.excludePeers),
    contacts: filter.contacts,
    nonContacts: filter.nonContacts,
    groups: filter.groups,
    broadcasts: filter.broadcasts,
    bots: filter.bots,
    excludeMuted: filter.excludeMuted,
    excludeRead: filter.excludeRead,
    excludeArchived: filter.excludeArchived,
  });
}

function inputPeer(state: WorldState, acc: AccountState, marked: bigint): Api.TypeInputPeer {
  const { kind, id } = unmark(marked);
  if (!state.byMarkedId.has(marked)) throw new Error(`world: folder peer ${marked} does not exist`);
  const hash = toBigInteger(fullAccessHash(state, acc.account.userId, kind, id));
  if (kind === 'user') return new Api.InputPeerUser({ userId: toBigInteger(id), accessHash: hash });
  if (kind === 'chat') return new Api.InputPeerChat({ chatId: toBigInteger(id) });
  return new Api.InputPeerChannel({ channelId: toBigInteger(id), accessHash: hash });
}
