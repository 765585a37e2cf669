/** contacts.resolveUsername, flood-limited per account (rules.ts › chargeResolveCall). */
import { Api } from 'telegram';
import { ReplyBuilder } from '../reply.ts';
import { chargeResolveCall, isValidUsername, rpcError } from '../rules.ts';
import type { AccountState, WorldState } from '../state.ts';
import { peerToTl } from '../to-tl.ts';
import { peerMarkedId } from '../views.ts';

export function resolveUsername(
  state: WorldState,
  acc: AccountState,
  request: Api.contacts.ResolveUsername,
): Api.contacts.ResolvedPeer {
  const name = request.username.replace(/^@/, '');
  if (!isValidUsername(name)) throw rpcError(400, 'USERNAME_INVALID');
  chargeResolveCall(state, acc);
  const index = state.byUsername.get(name.toLowerCase());
  const peer = index === undefined ? undefined : state.peers[index];
  if (!peer || (peer.kind === 'channel' && peer.deleted)) throw rpcError(400, 'USERNAME_NOT_OCCUPIED');
  const reply = new ReplyBuilder(state, acc);
  reply.addPeer(peer, false);
  return new Api.contacts.ResolvedPeer({ peer: peerToTl(peerMarkedId(peer)), chats: reply.chats, users: reply.users });
}
