/** users.getUsers, channels.getChannels, messages.getChats, updates.getState. */
import { Api } from 'telegram';
import type { PeerRecord } from '../model.ts';
import { ReplyBuilder } from '../reply.ts';
import { resolveChatId, resolveInputChannel, resolveInputUser } from '../rules.ts';
import type { AccountState, WorldState } from '../state.ts';
import { accountStateToTl } from './common.ts';

/** Vector<User>: returned as a plain array (the server wraps it in a Vector). */
export function getUsers(state: WorldState, acc: AccountState, request: Api.users.GetUsers): Api.TypeUser[] {
  const users = request.id.map((input) => resolveInputUser(state, acc, input as Api.TypeInputUser));
  const reply = new ReplyBuilder(state, acc);
  for (const u of users) reply.addPeer(u, false);
  return reply.users;
}

/** Channels the account may not see come back as channelForbidden; wrong hashes fail the call. */
export function getChannels(
  state: WorldState,
  acc: AccountState,
  request: Api.channels.GetChannels,
): Api.messages.Chats {
  const channels: PeerRecord[] = request.id.map((input) =>
    resolveInputChannel(state, acc, input as Api.TypeInputChannel),
  );
  const reply = new ReplyBuilder(state, acc);
  for (const c of channels) reply.addPeer(c, false);
  return new Api.messages.Chats({ chats: reply.chats });
}

export function getChats(state: WorldState, acc: AccountState, request: Api.messages.GetChats): Api.messages.Chats {
  const chats: PeerRecord[] = request.id.map((id) => resolveChatId(state, acc, id));
  const reply = new ReplyBuilder(state, acc);
  for (const c of chats) reply.addPeer(c, false);
  return new Api.messages.Chats({ chats: reply.chats });
}

export function getState(state: WorldState, acc: AccountState): Api.updates.State {
  return accountStateToTl(state, acc);
}
