/** messages.checkChatInvite: chatInviteAlready for members, chatInvite (no id) otherwise. */
import { Api } from 'telegram';
import { toBigInteger } from '../ids.ts';
import { ReplyBuilder } from '../reply.ts';
import { rpcError } from '../rules.ts';
import type { AccountState, WorldState } from '../state.ts';

export function checkChatInvite(
  state: WorldState,
  acc: AccountState,
  request: Api.messages.CheckChatInvite,
): Api.TypeChatInvite {
  const hash = request.hash.replace(/^\+/, '');
  if (hash === '') throw rpcError(400, 'INVITE_HASH_EMPTY');
  const link = state.inviteByHash.get(hash);
  if (!link) throw rpcError(400, 'INVITE_HASH_INVALID');
  const peer = state.peers[link.peerIndex];
  if (!peer || peer.kind === 'user') throw rpcError(400, 'INVITE_HASH_INVALID');
  if (link.expired || (peer.kind === 'channel' && peer.deleted)) throw rpcError(406, 'INVITE_HASH_EXPIRED');
  const dialog = acc.dialogs.get(peer.index);
  if (dialog?.membership === 'member') {
    const reply = new ReplyBuilder(state, acc);
    reply.addPeer(peer, false);
    return new Api.ChatInviteAlready({ chat: reply.chats[0] as Api.TypeChat });
  }
  const isChannel = peer.kind === 'channel';
  return new Api.ChatInvite({
    channel: isChannel || undefined,
    broadcast: (isChannel && peer.broadcast) || undefined,
    megagroup: (isChannel && !peer.broadcast) || undefined,
    public: (isChannel && peer.usernames.some((u) => u.active)) || undefined,
    title: peer.title,
    photo: new Api.PhotoEmpty({ id: toBigInteger(0n) }),
    participantsCount: peer.participantsCount,
    color: 0,
  });
}
