/** messages.getPeerDialogs: the dialogs of up to 100 given peers; non-dialog peers are omitted. */
import { Api } from 'telegram';
import { isListed } from '../dialog-lists.ts';
import type { PeerRecord } from '../model.ts';
import { ReplyBuilder } from '../reply.ts';
import { MAX_PEER_DIALOGS, assertChannelVisible, assertUserAccount, resolveInputPeer, rpcError } from '../rules.ts';
import type { AccountState, WorldState } from '../state.ts';
import { accountStateToTl } from './common.ts';

export function getPeerDialogs(
  state: WorldState,
  acc: AccountState,
  request: Api.messages.GetPeerDialogs,
): Api.messages.PeerDialogs {
  assertUserAccount(acc);
  if (request.peers.length === 0) throw rpcError(400, 'INPUT_PEERS_EMPTY');
  if (request.peers.length > MAX_PEER_DIALOGS) throw rpcError(400, 'LIMIT_INVALID');

  // Validate everything first: one bad peer fails the whole call, and nothing says which.
  const wanted: Array<PeerRecord | { folderId: number }> = [];
  for (const item of request.peers) {
    if (item instanceof Api.InputDialogPeerFolder) {
      wanted.push({ folderId: item.folderId });
      continue;
    }
    const peer = resolveInputPeer(state, acc, (item as Api.InputDialogPeer).peer);
    assertChannelVisible(acc, peer);
    wanted.push(peer);
  }

  const reply = new ReplyBuilder(state, acc);
  const seen = new Set<number | string>();
  for (const item of wanted) {
    if ('folderId' in item) {
      if (!seen.has(`folder${item.folderId}`)) reply.addFolder(item.folderId); // empty folder: nothing
      seen.add(`folder${item.folderId}`);
      continue;
    }
    if (seen.has(item.index)) continue;
    seen.add(item.index);
    const dialog = acc.dialogs.get(item.index);
    if (!dialog || !isListed(state, dialog)) continue; // no dialog with this peer: omitted, no error
    reply.addDialog(dialog);
  }
  return new Api.messages.PeerDialogs({
    dialogs: reply.dialogs,
    messages: reply.messages,
    chats: reply.chats,
    users: reply.users,
    state: accountStateToTl(state, acc),
  });
}
