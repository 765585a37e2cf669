/**
 * MTProto 2.0 encrypted messages: `auth_key_id | msg_key | AES-IGE(salt, session_id, msg_id,
 * seq_no, length, body, padding)`, with msg_key = sha256(auth_key[88+x:120+x] + plaintext)[8:24]
 * and x = 0 for client→server, 8 for server→client.
 */
import { randomBytes } from 'node:crypto';
import { igeDecrypt, igeEncrypt } from './aes-ige.ts';
import { sha256 } from './bytes.ts';

export class MessageDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MessageDecryptError';
  }
}

export interface DecryptedClientMessage {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

function aesKeyIv(authKey: Buffer, msgKey: Buffer, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]),
    iv: Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]),
  };
}

/** `packet` is the whole transport payload, starting with the 8-byte auth key id. */
export function decryptClientMessage(authKey: Buffer, packet: Buffer): DecryptedClientMessage {
  if (packet.length < 24 + 32 || (packet.length - 24) % 16 !== 0) {
    throw new MessageDecryptError(`bad encrypted packet length ${packet.length}`);
  }
  const msgKey = packet.subarray(8, 24);
  const { key, iv } = aesKeyIv(authKey, msgKey, 0);
  const plain = igeDecrypt(key, iv, packet.subarray(24));
  const expected = sha256(authKey.subarray(88, 120), plain).subarray(8, 24);
  if (!expected.equals(msgKey)) throw new MessageDecryptError('msg_key mismatch');
  const length = plain.readInt32LE(28);
  const padding = plain.length - 32 - length;
  if (length < 0 || length % 4 !== 0 || padding < 12 || padding > 1024) {
    throw new MessageDecryptError(`bad inner message length ${length}`);
  }
  return {
    salt: plain.readBigInt64LE(0),
    sessionId: plain.readBigInt64LE(8),
    msgId: plain.readBigInt64LE(16),
    seqNo: plain.readInt32LE(24),
    body: plain.subarray(32, 32 + length),
  };
}

export interface ServerMessage {
  salt: bigint;
  sessionId: bigint;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

export function encryptServerMessage(authKey: Buffer, authKeyId: Buffer, message: ServerMessage): Buffer {
  const unpadded = 32 + message.body.length;
  const padding = 12 + ((16 - ((unpadded + 12) % 16)) % 16);
  const plain = Buffer.allocUnsafe(unpadded + padding);
  plain.writeBigInt64LE(BigInt.asIntN(64, message.salt), 0);
  plain.writeBigInt64LE(BigInt.asIntN(64, message.sessionId), 8);
  plain.writeBigInt64LE(BigInt.asIntN(64, message.msgId), 16);
  plain.writeInt32LE(message.seqNo, 24);
  plain.writeInt32LE(message.body.length, 28);
  message.body.copy(plain, 32);
  randomBytes(padding).copy(plain, unpadded);
  const msgKey = sha256(authKey.subarray(96, 128), plain).subarray(8, 24);
  const { key, iv } = aesKeyIv(authKey, msgKey, 8);
  return Buffer.concat([authKeyId, msgKey, igeEncrypt(key, iv, plain)]);
}
