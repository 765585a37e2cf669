/**
 * A tiny stand-in for the simulated world, for tests of the protocol layer alone: two user accounts
 * (one with 2FA) and a bot, users.getUsers(self), updates.getState, and a getPeerDialogs that
 * answers with empty lists. Real data tests use the world in world/.
 */
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { TelegramRpcError } from '../rpc-error.ts';
import { WORLD_NOT_HANDLED, type BackendAccount, type CallerContext, type WorldBackend } from '../world-backend.ts';

export const STAND_IN_ACCOUNTS: readonly BackendAccount[] = [
  { userId: 1000001n, phone: '15550000001', isBot: false, loginCode: '12345', firstName: 'Alice' },
  {
    userId: 1000002n,
    phone: '15550000002',
    isBot: false,
    loginCode: '54321',
    password: 'correct horse',
    firstName: 'Bob',
  },
  {
    userId: 1000003n,
    phone: '15550000003',
    isBot: true,
    loginCode: '00000',
    botToken: '1000003:stand-in-token',
    firstName: 'Bot',
  },
];

function selfUser(account: BackendAccount): Api.User {
  return new Api.User({
    self: true,
    bot: account.isBot,
    id: bigInt(account.userId.toString()),
    accessHash: bigInt(42),
    firstName: account.firstName ?? 'Account',
    phone: account.isBot ? undefined : account.phone,
  });
}

export function standInWorld(): WorldBackend & { calls: Array<{ ctx: CallerContext; method: string }> } {
  const calls: Array<{ ctx: CallerContext; method: string }> = [];
  return {
    accounts: STAND_IN_ACCOUNTS,
    calls,
    call(ctx, request) {
      calls.push({ ctx, method: (request as { className?: string }).className ?? '?' });
      const account = STAND_IN_ACCOUNTS.find((a) => a.userId === ctx.accountUserId);
      if (!account) throw new TelegramRpcError(401, 'AUTH_KEY_UNREGISTERED');
      if (request instanceof Api.users.GetUsers) return [selfUser(account)];
      if (request instanceof Api.updates.GetState) {
        return new Api.updates.State({ pts: 1, qts: 0, date: Math.floor(Date.now() / 1000), seq: 0, unreadCount: 0 });
      }
      if (request instanceof Api.messages.GetPeerDialogs) {
        if (ctx.isBot) throw new TelegramRpcError(400, 'BOT_METHOD_INVALID');
        if (request.peers.length === 0) throw new TelegramRpcError(400, 'INPUT_PEERS_EMPTY');
        return new Api.messages.PeerDialogs({
          dialogs: [],
          messages: [],
          chats: [],
          users: [],
          state: new Api.updates.State({ pts: 1, qts: 0, date: Math.floor(Date.now() / 1000), seq: 0, unreadCount: 0 }),
        });
      }
      return WORLD_NOT_HANDLED;
    },
  };
}
