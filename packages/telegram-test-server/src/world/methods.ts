/**
 * Entry point for the server: runs a Telegram data method against the world for one account.
 * Returns the GramJS TL result (Vector results as plain arrays), or NOT_HANDLED for methods the
 * world does not implement; throws TelegramRpcError for Telegram errors.
 */
import { Api } from 'telegram';
import { TelegramRpcError } from '../rpc-error.ts';
import { getDialogFilters } from './methods/dialog-filters.ts';
import { getDialogs } from './methods/dialogs.ts';
import { getChannels, getChats, getState, getUsers } from './methods/entities.ts';
import { checkChatInvite } from './methods/invites.ts';
import { getPeerDialogs } from './methods/peer-dialogs.ts';
import { resolveUsername } from './methods/resolve.ts';
import type { World } from './world.ts';

export const NOT_HANDLED: unique symbol = Symbol('NOT_HANDLED');

export interface WorldCallContext {
  accountUserId: bigint;
  isBot: boolean;
}

export function callWorldMethod(world: World, ctx: WorldCallContext, request: Api.AnyRequest): unknown {
  const state = world.state;
  const acc = state.accounts.find((a) => a.account.userId === ctx.accountUserId);
  if (!acc) throw new TelegramRpcError(401, 'AUTH_KEY_UNREGISTERED');
  const handler = pick(request);
  if (!handler) return NOT_HANDLED;
  state.tick++; // every handled call moves the volatile fields
  return handler(state, acc);
}

type Handler = (state: World['state'], acc: ReturnType<World['acc']>) => unknown;

function pick(request: Api.AnyRequest): Handler | null {
  if (request instanceof Api.messages.GetPeerDialogs) return (s, a) => getPeerDialogs(s, a, request);
  if (request instanceof Api.messages.GetDialogs) return (s, a) => getDialogs(s, a, request);
  if (request instanceof Api.contacts.ResolveUsername) return (s, a) => resolveUsername(s, a, request);
  if (request instanceof Api.messages.CheckChatInvite) return (s, a) => checkChatInvite(s, a, request);
  if (request instanceof Api.users.GetUsers) return (s, a) => getUsers(s, a, request);
  if (request instanceof Api.channels.GetChannels) return (s, a) => getChannels(s, a, request);
  if (request instanceof Api.messages.GetChats) return (s, a) => getChats(s, a, request);
  if (request instanceof Api.updates.GetState) return (s, a) => getState(s, a);
  if (request instanceof Api.messages.GetDialogFilters) return (s, a) => getDialogFilters(s, a);
  return null;
}
