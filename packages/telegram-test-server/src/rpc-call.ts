/**
 * One RPC call from arrival to reply: call log, AUTH_KEY_DUPLICATED detection, revoked keys,
 * faults (latency, barriers, errors, drops, hangs), the method itself, gzip, and the reply.
 * Calls run concurrently; nothing here blocks other calls on the same connection.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { AuthKeyRecord } from './auth-key-store.ts';
import { requestedPeers, type CallLogEntry } from './call-log.ts';
import type { LiveConnection } from './connection-registry.ts';
import type { CallInfo } from './faults.ts';
import { methodName, serializeResult, unwrapRequest } from './method-router.ts';
import { hex64 } from './protocol/bytes.ts';
import { maybeGzip, rpcErrorObject } from './protocol/service-messages.ts';
import { TelegramRpcError } from './rpc-error.ts';
import type { ServerContext } from './server-context.ts';

/** What a call needs from the connection it arrived on. */
export interface CallChannel extends LiveConnection {
  readonly dcId: number;
  /** Sends `rpc_result{req_msg_id, object}` in the given session. */
  sendRpcResult(sessionId: bigint, reqMsgId: bigint, object: Buffer): void;
  /** Closes the connection abruptly (no reply). */
  drop(): void;
  /** Sends a transport error packet (-code) and keeps the connection open. */
  sendTransportError(code: number): void;
  callStarted(): void;
  callEnded(): void;
}

export interface IncomingCall {
  readonly authKey: AuthKeyRecord;
  readonly sessionId: bigint;
  readonly msgId: bigint;
  readonly request: object;
}

type Reply = { kind: 'result'; object: Buffer } | { kind: 'error'; code: number; message: string };

export async function runRpcCall(server: ServerContext, channel: CallChannel, call: IncomingCall): Promise<void> {
  const inner = unwrapRequest(call.request);
  const method = methodName(inner);
  const { authKey } = call;
  const peers = requestedPeers(inner);
  const entry = server.callLog.start({
    method,
    dcId: channel.dcId,
    authKeyId: authKey.keyIdHex,
    connectionId: channel.id,
    sessionId: hex64(call.sessionId),
    msgId: call.msgId,
    accountUserId: authKey.accountUserId,
    peers,
    request: inner,
  });
  channel.callStarted();
  try {
    if (server.detectDuplicateAuthKeys && authKey.accountUserId !== null && authKey.revokedWith === null) {
      await detectDuplicateUse(server, channel, authKey);
    }
    const info: CallInfo = {
      method,
      request: inner,
      dcId: channel.dcId,
      accountUserId: authKey.accountUserId,
      authKeyId: authKey.keyIdHex,
      connectionId: channel.id,
      peers,
    };
    const decision = server.faults.decide(info);
    if (decision.delayMs > 0) {
      await delay(decision.delayMs, undefined, { signal: server.stopSignal }).catch(() => undefined);
    }
    let reply: Reply | null = null;
    const terminal = decision.terminal;
    if (authKey.revokedWith) {
      reply = { kind: 'error', ...authKey.revokedWith };
    } else if (terminal?.kind === 'rpc-error') {
      if (terminal.revokeKey) authKey.revokedWith = { code: terminal.code, message: terminal.message };
      reply = { kind: 'error', code: terminal.code, message: terminal.message };
    } else if (terminal === null) {
      reply = await invokeMethod(server, channel, authKey, inner, entry, method);
    }
    for (const barrier of decision.barriers) await barrier.hold();
    if (terminal?.kind === 'hang') {
      server.callLog.finish(entry, { kind: 'hung' });
      return;
    }
    if (terminal?.kind === 'transport-error') {
      if (terminal.forgetKey) authKey.forgotten = true;
      channel.sendTransportError(terminal.code);
      server.callLog.finish(entry, { kind: 'transport-error', code: terminal.code });
      return;
    }
    if (terminal?.kind === 'drop-connection') {
      channel.drop();
      server.callLog.finish(entry, { kind: 'dropped', when: 'before-reply' });
      return;
    }
    if (!reply) throw new Error('no reply computed');
    // A key revoked while this call was held (e.g. AUTH_KEY_DUPLICATED) fails it too.
    if (authKey.revokedWith && reply.kind === 'result') reply = { kind: 'error', ...authKey.revokedWith };
    if (!channel.isOpen()) {
      server.callLog.finish(entry, { kind: 'dropped', when: 'client-disconnected' });
      return;
    }
    const cost = server.stats.cost(method);
    const gzipStart = performance.now();
    const object =
      reply.kind === 'result'
        ? maybeGzip(reply.object, server.gzipThresholdBytes)
        : rpcErrorObject(reply.code, reply.message);
    const encryptStart = performance.now();
    channel.sendRpcResult(call.sessionId, call.msgId, object);
    cost.gzipMs += encryptStart - gzipStart;
    cost.encryptMs += performance.now() - encryptStart;
    cost.sentBytes += object.length;
    server.callLog.finish(
      entry,
      reply.kind === 'result' ? { kind: 'ok' } : { kind: 'error', code: reply.code, message: reply.message },
    );
    if (decision.dropAfterReply) {
      channel.drop();
      entry.outcome = { kind: 'dropped', when: 'after-reply' };
    }
  } finally {
    // A hung call stops counting as in flight too: nothing more will happen to it.
    channel.callEnded();
  }
}

async function invokeMethod(
  server: ServerContext,
  channel: CallChannel,
  authKey: AuthKeyRecord,
  request: object,
  entry: CallLogEntry,
  method: string,
): Promise<Reply> {
  const cost = server.stats.cost(method);
  cost.calls++;
  try {
    const handlerStart = performance.now();
    const result = await server.router.invoke({ dcId: channel.dcId, authKey }, request);
    const serializeStart = performance.now();
    const object = serializeResult(result);
    cost.handlerMs += serializeStart - handlerStart;
    cost.serializeMs += performance.now() - serializeStart;
    cost.resultBytes += object.length;
    return { kind: 'result', object };
  } catch (error) {
    if (error instanceof TelegramRpcError) return { kind: 'error', code: error.code, message: error.errorMessage };
    server.unexpectedErrors.push(error);
    entry.failure = error;
    return { kind: 'error', code: 500, message: 'INTERNAL' };
  }
}

/**
 * Telegram invalidates a key used for calls over two connections at once. GramJS's own reconnect
 * closes the old socket before opening the new one, but the close and the new connection's first
 * request can reach the server in the same I/O turn; re-checking after that turn (setImmediate runs
 * after pending I/O callbacks) keeps a reconnect from being taken for a duplicate.
 */
async function detectDuplicateUse(server: ServerContext, channel: CallChannel, authKey: AuthKeyRecord): Promise<void> {
  if (!server.connections.otherConnectionBusy(authKey.keyId, channel)) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (server.connections.otherConnectionBusy(authKey.keyId, channel) && authKey.revokedWith === null) {
    authKey.revokedWith = { code: 406, message: 'AUTH_KEY_DUPLICATED' };
  }
}
