/**
 * One client TCP connection to a local data center: full-transport framing, the auth-key exchange
 * on unencrypted messages, then MTProto 2.0 encrypted messages — salts, sessions, containers,
 * gzip_packed, acks, pings — with RPC calls handed to {@link runRpcCall} without waiting, so that
 * several calls on one connection are served concurrently.
 */
import type { Socket } from 'node:net';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';
import { TypeNotFoundError } from 'telegram/errors/index.js';
import type { AuthKeyRecord } from './auth-key-store.ts';
import { unknownMethodError } from './method-router.ts';
import { AuthKeyExchange } from './protocol/auth-key-exchange.ts';
import { hex64, int32LE, int64LE, randomInt64 } from './protocol/bytes.ts';
import { MessageDecryptError, decryptClientMessage, encryptServerMessage } from './protocol/message-crypto.ts';
import {
  GZIP_PACKED_ID,
  MSG_CONTAINER_ID,
  constructorIdOf,
  gunzipPacked,
  parseContainer,
  rpcErrorObject,
  rpcResultBody,
} from './protocol/service-messages.ts';
import { FullTransportDecoder, FullTransportEncoder, transportErrorPayload } from './protocol/tcp-full-framing.ts';
import { runRpcCall, type CallChannel } from './rpc-call.ts';
import type { ServerContext } from './server-context.ts';

const MSGS_ACK_ID = 0x62d6b459;
const PING_ID = 0x7abe77ec;
const PING_DELAY_DISCONNECT_ID = 0xf3427b8c;
const GET_FUTURE_SALTS_ID = 0xb921bd04;
const DESTROY_SESSION_ID = 0xe7512126;
/** Service messages a client may send that need no answer here. */
const IGNORED_SERVICE_IDS = new Set([
  0xda69fb52, // msgs_state_req
  0x7d861a08, // msg_resend_req
  0x9299359f, // http_wait
  0x04deb57d, // msgs_state_info
  0x8cc0d131, // msgs_all_info
]);
/** bad_msg_notification error code for a wrong server salt. */
const BAD_SERVER_SALT_CODE = 48;

let nextConnectionId = 1;

export class ClientConnection implements CallChannel {
  readonly id = nextConnectionId++;
  private readonly decoder = new FullTransportDecoder();
  private readonly encoder = new FullTransportEncoder();
  private exchange: AuthKeyExchange | undefined;
  private open = true;
  private inFlight = 0;
  private disconnectTimer: NodeJS.Timeout | undefined;
  private readonly sessions = new Map<bigint, { key: AuthKeyRecord; seq: number }>();

  constructor(
    private readonly socket: Socket,
    readonly dcId: number,
    private readonly server: ServerContext,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.closed());
    socket.on('close', () => this.closed());
    server.connections.track(this);
  }

  get inFlightCalls(): number {
    return this.inFlight;
  }

  isOpen(): boolean {
    return this.open;
  }

  callStarted(): void {
    this.inFlight++;
  }

  callEnded(): void {
    this.inFlight--;
  }

  /** Closes the connection at once, as a dropped TCP connection would. */
  drop(): void {
    this.closed();
    this.socket.destroy();
  }

  destroy(): void {
    this.drop();
  }

  sendTransportError(code: number): void {
    this.write(transportErrorPayload(code));
  }

  private closed(): void {
    if (!this.open) return;
    this.open = false;
    clearTimeout(this.disconnectTimer);
    this.server.connections.remove(this);
  }

  private write(payload: Buffer): void {
    if (!this.open) return;
    this.socket.write(this.encoder.encode(payload));
  }

  private onData(chunk: Buffer): void {
    let payloads: Buffer[];
    try {
      payloads = this.decoder.push(chunk);
    } catch {
      this.drop();
      return;
    }
    for (const payload of payloads) {
      if (!this.open) return;
      if (payload.length < 8) {
        this.drop();
        return;
      }
      const keyId = payload.readBigInt64LE(0);
      if (keyId === 0n) this.onPlainMessage(payload);
      else this.onEncryptedMessage(keyId, payload);
    }
  }

  // ---- Unencrypted messages: the auth-key exchange ----

  private onPlainMessage(payload: Buffer): void {
    const length = payload.readInt32LE(16);
    const body = payload.subarray(20, 20 + length);
    this.exchange ??= new AuthKeyExchange({ rsaKey: this.server.rsaKey, pqPrimeBits: this.server.pqPrimeBits });
    try {
      const started = performance.now();
      const { reply, authKey } = this.exchange.handle(body);
      if (authKey) {
        this.server.keys.add(authKey.key, this.dcId, authKey.salt);
        this.server.stats.handshakes++;
      }
      this.server.stats.handshakeMs += performance.now() - started;
      this.write(Buffer.concat([int64LE(0n), int64LE(this.server.msgIds.next('reply')), int32LE(reply.length), reply]));
    } catch (error) {
      this.server.stats.handshakeFailures.push(error);
      // Telegram closes the connection on a broken handshake; GramJS then retries from scratch.
      this.drop();
    }
  }

  // ---- Encrypted messages ----

  private onEncryptedMessage(keyId: bigint, payload: Buffer): void {
    const key = this.server.keys.get(keyId);
    if (!key || key.dcId !== this.dcId || key.forgotten) {
      // -404: "auth key not found" (GramJS: InvalidBufferError 404 → broken authorization key).
      this.write(transportErrorPayload(404));
      return;
    }
    let message;
    try {
      message = decryptClientMessage(key.key, payload);
    } catch (error) {
      if (error instanceof MessageDecryptError) {
        this.drop();
        return;
      }
      throw error;
    }
    this.server.connections.bind(keyId, this);
    if (message.salt !== key.salt) {
      const notice = new Api.BadServerSalt({
        badMsgId: bigIntOf(message.msgId),
        badMsgSeqno: message.seqNo,
        errorCode: BAD_SERVER_SALT_CODE,
        newServerSalt: bigIntOf(key.salt),
      }).getBytes();
      this.sendEncrypted(key, message.sessionId, Buffer.from(notice), 'reply', false);
      return;
    }
    if (!this.sessions.has(message.sessionId)) {
      this.sessions.set(message.sessionId, { key, seq: 0 });
      if (!key.knownSessions.has(message.sessionId)) {
        key.knownSessions.add(message.sessionId);
        const created = new Api.NewSessionCreated({
          firstMsgId: bigIntOf(message.msgId),
          uniqueId: bigIntOf(randomInt64()),
          serverSalt: bigIntOf(key.salt),
        }).getBytes();
        this.sendEncrypted(key, message.sessionId, Buffer.from(created), 'unsolicited', true);
      }
    }
    try {
      this.processMessage(key, message.sessionId, message.msgId, message.body);
    } catch (error) {
      // A malformed container or gzip_packed: Telegram closes such connections.
      this.server.unexpectedErrors.push(error);
      this.drop();
    }
  }

  private processMessage(key: AuthKeyRecord, sessionId: bigint, msgId: bigint, body: Buffer): void {
    const constructorId = constructorIdOf(body);
    switch (constructorId) {
      case MSG_CONTAINER_ID:
        for (const inner of parseContainer(body)) this.processMessage(key, sessionId, inner.msgId, inner.body);
        return;
      case GZIP_PACKED_ID:
        this.processMessage(key, sessionId, msgId, gunzipPacked(body));
        return;
      case MSGS_ACK_ID:
        return;
      case PING_ID:
      case PING_DELAY_DISCONNECT_ID: {
        const pingId = body.readBigInt64LE(4);
        if (constructorId === PING_DELAY_DISCONNECT_ID) this.armDisconnectTimer(body.readInt32LE(12));
        const pong = new Api.Pong({ msgId: bigIntOf(msgId), pingId: bigIntOf(pingId) }).getBytes();
        this.sendEncrypted(key, sessionId, Buffer.from(pong), 'reply', true);
        return;
      }
      case GET_FUTURE_SALTS_ID: {
        const now = Math.floor(Date.now() / 1000);
        const salts = new Api.FutureSalts({
          reqMsgId: bigIntOf(msgId),
          now,
          salts: [new Api.FutureSalt({ validSince: now - 60, validUntil: now + 3600, salt: bigIntOf(key.salt) })],
        }).getBytes();
        this.sendEncrypted(key, sessionId, Buffer.from(salts), 'reply', true);
        return;
      }
      case DESTROY_SESSION_ID: {
        const destroyed = body.readBigInt64LE(4);
        const existed = key.knownSessions.delete(destroyed);
        const result = existed
          ? new Api.DestroySessionOk({ sessionId: bigIntOf(destroyed) })
          : new Api.DestroySessionNone({ sessionId: bigIntOf(destroyed) });
        this.sendRpcResult(sessionId, msgId, Buffer.from(result.getBytes()));
        return;
      }
      default:
        if (IGNORED_SERVICE_IDS.has(constructorId)) return;
    }
    let request: object;
    try {
      request = new BinaryReader(body).tgReadObject() as object;
    } catch (error) {
      const id = error instanceof TypeNotFoundError ? error.invalidConstructorId : constructorId;
      const unknown = unknownMethodError(id);
      const entry = this.server.callLog.start({
        method: `unknown#${(id >>> 0).toString(16).padStart(8, '0')}`,
        dcId: this.dcId,
        authKeyId: key.keyIdHex,
        connectionId: this.id,
        sessionId: hex64(sessionId),
        msgId,
        accountUserId: key.accountUserId,
        peers: null,
        request: body,
      });
      this.sendRpcResult(sessionId, msgId, rpcErrorObject(unknown.code, unknown.errorMessage));
      this.server.callLog.finish(entry, { kind: 'error', code: unknown.code, message: unknown.errorMessage });
      return;
    }
    void runRpcCall(this.server, this, { authKey: key, sessionId, msgId, request }).catch((error: unknown) => {
      this.server.unexpectedErrors.push(error);
    });
  }

  /** ping_delay_disconnect: close the connection if no further ping comes within the delay. */
  private armDisconnectTimer(seconds: number): void {
    clearTimeout(this.disconnectTimer);
    if (seconds <= 0) return;
    this.disconnectTimer = setTimeout(() => this.drop(), seconds * 1000);
    this.disconnectTimer.unref();
  }

  sendRpcResult(sessionId: bigint, reqMsgId: bigint, object: Buffer): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sendEncrypted(session.key, sessionId, rpcResultBody(reqMsgId, object), 'reply', true);
  }

  pushUpdate(body: Buffer): void {
    for (const [sessionId, session] of this.sessions)
      this.sendEncrypted(session.key, sessionId, body, 'unsolicited', true);
  }

  private sendEncrypted(
    key: AuthKeyRecord,
    sessionId: bigint,
    body: Buffer,
    kind: 'reply' | 'unsolicited',
    contentRelated: boolean,
  ): void {
    if (!this.open) return;
    // A bad_server_salt notice goes out before its session is registered: it gets a throwaway counter.
    const session = this.sessions.get(sessionId) ?? { key, seq: 0 };
    const seqNo = contentRelated ? session.seq++ * 2 + 1 : session.seq * 2;
    const packet = encryptServerMessage(key.key, key.keyIdBytes, {
      salt: key.salt,
      sessionId,
      msgId: this.server.msgIds.next(kind),
      seqNo,
      body,
    });
    this.write(packet);
  }
}

function bigIntOf(value: bigint): bigInt.BigInteger {
  return bigInt(value.toString());
}
