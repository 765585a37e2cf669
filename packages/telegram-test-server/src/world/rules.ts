/**
 * Telegram's rules as the handlers enforce them: resolving Input* constructors against the
 * caller's access hashes, request limits, and the flood control of contacts.resolveUsername.
 *
 * Error texts (all code 400 unless noted), matching what Telegram answers:
 * - PEER_ID_INVALID: unknown user/basic group, wrong or foreign access hash on a user, inputPeerEmpty.
 * - CHANNEL_INVALID: unknown channel, or an access hash that is not this account's (incl. min hashes).
 * - CHANNEL_PRIVATE: a valid channel the account may not see (kicked, private and not a member,
 *   deleted). Documented as 406, observed as 400; we send 400.
 * - USER_ID_INVALID: users.getUsers with an unknown user or a wrong hash.
 * - CHAT_ID_INVALID: messages.getChats with a basic group the account was never in.
 * - MSG_ID_INVALID: *FromMessage constructors pointing at a message that does not carry the peer.
 * - INPUT_PEERS_EMPTY / LIMIT_INVALID: getPeerDialogs with 0 or more than 100 peers (Telegram
 *   publishes no limit; clients cut at 100, so we reject 101+ with LIMIT_INVALID).
 * - BOT_METHOD_INVALID: a bot calling a user-only method (getPeerDialogs, getDialogs).
 * - FLOOD_WAIT_X (420): resolveUsername over its per-account budget.
 */
import { Api } from 'telegram';
import { TelegramRpcError } from '../rpc-error.ts';
import { fromBigInteger, markedId } from './ids.ts';
import { messageFor } from './messages.ts';
import type { ChannelRecord, ChatRecord, PeerRecord, UserRecord } from './model.ts';
import type { AccountState, WorldState } from './state.ts';
import { canSeeChannel, fullAccessHash, isBannedWithDialog } from './views.ts';

export const MAX_PEER_DIALOGS = 100;
export const MAX_DIALOGS_LIMIT = 100;

export function rpcError(code: number, message: string): TelegramRpcError {
  return new TelegramRpcError(code, message);
}

function peerByKind(
  state: WorldState,
  kind: 'user' | 'chat' | 'channel',
  id: { toString(): string },
): PeerRecord | undefined {
  const index = state.byMarkedId.get(markedId(kind, fromBigInteger(id)));
  return index === undefined ? undefined : state.peers[index];
}

function hashMatches(
  state: WorldState,
  acc: AccountState,
  peer: PeerRecord,
  accessHash: { toString(): string },
): boolean {
  return fullAccessHash(state, acc.account.userId, peer.kind, peer.id) === fromBigInteger(accessHash);
}

/** A *FromMessage input: the peer is valid if the message exists in the given chat and mentions it. */
function resolveFromMessage(
  state: WorldState,
  acc: AccountState,
  container: Api.TypeInputPeer,
  msgId: number,
  target: bigint,
): PeerRecord {
  const holder = resolveInputPeer(state, acc, container);
  const msg = messageFor(state, acc.account.index, holder.index, msgId);
  if (!msg || (msg.from !== target && msg.fwdFrom?.from !== target)) throw rpcError(400, 'MSG_ID_INVALID');
  const index = state.byMarkedId.get(target);
  if (index === undefined) throw rpcError(400, 'MSG_ID_INVALID');
  return state.peers[index] as PeerRecord;
}

/**
 * Resolves an InputPeer for the calling account, or throws the error Telegram gives for it.
 * Existence and hash only; whether a channel is visible is checked by `assertChannelVisible`.
 */
export function resolveInputPeer(state: WorldState, acc: AccountState, input: Api.TypeInputPeer): PeerRecord {
  if (input instanceof Api.InputPeerSelf) return state.peers[acc.userIndex] as UserRecord;
  if (input instanceof Api.InputPeerUser) {
    const peer = peerByKind(state, 'user', input.userId);
    if (!peer || !hashMatches(state, acc, peer, input.accessHash)) throw rpcError(400, 'PEER_ID_INVALID');
    return peer;
  }
  if (input instanceof Api.InputPeerChat) {
    const peer = peerByKind(state, 'chat', input.chatId);
    if (!peer || !acc.dialogs.has(peer.index)) throw rpcError(400, 'PEER_ID_INVALID');
    return peer;
  }
  if (input instanceof Api.InputPeerChannel) {
    const peer = peerByKind(state, 'channel', input.channelId);
    if (!peer || !hashMatches(state, acc, peer, input.accessHash)) throw rpcError(400, 'CHANNEL_INVALID');
    return peer;
  }
  if (input instanceof Api.InputPeerUserFromMessage) {
    return resolveFromMessage(state, acc, input.peer, input.msgId, markedId('user', fromBigInteger(input.userId)));
  }
  if (input instanceof Api.InputPeerChannelFromMessage) {
    return resolveFromMessage(
      state,
      acc,
      input.peer,
      input.msgId,
      markedId('channel', fromBigInteger(input.channelId)),
    );
  }
  throw rpcError(400, 'PEER_ID_INVALID');
}

/**
 * CHANNEL_PRIVATE for channels the account is kicked from, private ones it is not in, deleted ones.
 * A ban that kept the dialog is no error: the reply carries the dialog and a channelForbidden.
 */
export function assertChannelVisible(acc: AccountState, peer: PeerRecord): void {
  if (peer.kind === 'channel' && !canSeeChannel(acc, peer) && !isBannedWithDialog(acc, peer))
    throw rpcError(400, 'CHANNEL_PRIVATE');
}

export function resolveInputUser(state: WorldState, acc: AccountState, input: Api.TypeInputUser): UserRecord {
  if (input instanceof Api.InputUserSelf) return state.peers[acc.userIndex] as UserRecord;
  if (input instanceof Api.InputUser) {
    const peer = peerByKind(state, 'user', input.userId);
    if (!peer || peer.kind !== 'user' || !hashMatches(state, acc, peer, input.accessHash))
      throw rpcError(400, 'USER_ID_INVALID');
    return peer;
  }
  if (input instanceof Api.InputUserFromMessage) {
    const peer = resolveFromMessage(
      state,
      acc,
      input.peer,
      input.msgId,
      markedId('user', fromBigInteger(input.userId)),
    );
    if (peer.kind !== 'user') throw rpcError(400, 'USER_ID_INVALID');
    return peer;
  }
  throw rpcError(400, 'USER_ID_INVALID');
}

export function resolveInputChannel(state: WorldState, acc: AccountState, input: Api.TypeInputChannel): ChannelRecord {
  if (input instanceof Api.InputChannel) {
    const peer = peerByKind(state, 'channel', input.channelId);
    if (!peer || peer.kind !== 'channel' || !hashMatches(state, acc, peer, input.accessHash))
      throw rpcError(400, 'CHANNEL_INVALID');
    return peer;
  }
  if (input instanceof Api.InputChannelFromMessage) {
    const peer = resolveFromMessage(
      state,
      acc,
      input.peer,
      input.msgId,
      markedId('channel', fromBigInteger(input.channelId)),
    );
    if (peer.kind !== 'channel') throw rpcError(400, 'CHANNEL_INVALID');
    return peer;
  }
  throw rpcError(400, 'CHANNEL_INVALID');
}

export function resolveChatId(state: WorldState, acc: AccountState, id: { toString(): string }): ChatRecord {
  const peer = peerByKind(state, 'chat', id);
  if (!peer || peer.kind !== 'chat' || !acc.dialogs.has(peer.index)) throw rpcError(400, 'CHAT_ID_INVALID');
  return peer;
}

export function assertUserAccount(acc: AccountState): void {
  if (acc.account.isBot) throw rpcError(400, 'BOT_METHOD_INVALID');
}

/** Telegram usernames: 5–32 characters, [A-Za-z0-9_], starting with a letter, no trailing '_'. */
export function isValidUsername(name: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9_]{3,31}$/.test(name) && !name.endsWith('_') && !name.includes('__');
}

/**
 * Charges one contacts.resolveUsername call to the account. `freeCalls` per window pass; every call
 * beyond that within the window fails with FLOOD_WAIT_X, X = firstWait × growth^(excess calls so far),
 * capped; calls during a wait get the remaining seconds. A window without excess resets the growth.
 */
export function chargeResolveCall(state: WorldState, acc: AccountState): void {
  const now = state.clock();
  const f = acc.flood;
  const o = state.resolveFlood;
  if (now < f.blockedUntil) throw rpcError(420, `FLOOD_WAIT_${f.blockedUntil - now}`);
  if (now - f.windowStart >= o.windowSeconds) {
    if (f.count <= o.freeCalls) f.strikes = 0;
    f.windowStart = now;
    f.count = 0;
  }
  f.count++;
  if (f.count <= o.freeCalls) return;
  const wait = Math.max(1, Math.min(o.maxWaitSeconds, Math.round(o.firstWaitSeconds * o.growthFactor ** f.strikes)));
  f.strikes++;
  f.blockedUntil = now + wait;
  throw rpcError(420, `FLOOD_WAIT_${wait}`);
}
