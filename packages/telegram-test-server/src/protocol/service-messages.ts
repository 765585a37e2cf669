/**
 * Encodings of MTProto service objects the server sends, and parsing of the containers and
 * gzip_packed wrappers it receives. Plain TL objects (`Api.*`) serialise themselves with
 * `getBytes()`; rpc_result and gzip_packed are GramJS "core" objects without a writer, so they
 * are written here by hand.
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { Api } from 'telegram';
import { int32LE, int64LE, tlBytes, uint32LE } from './bytes.ts';

export const RPC_RESULT_ID = 0xf35c6d01;
export const GZIP_PACKED_ID = 0x3072cfa1;
export const MSG_CONTAINER_ID = 0x73f1f8dc;
export const VECTOR_ID = 0x1cb5c415;

export function rpcResultBody(reqMsgId: bigint, result: Buffer): Buffer {
  return Buffer.concat([uint32LE(RPC_RESULT_ID), int64LE(reqMsgId), result]);
}

export function rpcErrorObject(code: number, message: string): Buffer {
  return Buffer.from(new Api.RpcError({ errorCode: code, errorMessage: message }).getBytes());
}

/** Wraps a serialised object in gzip_packed when that makes it smaller (Telegram does this for big replies). */
export function maybeGzip(object: Buffer, thresholdBytes: number): Buffer {
  if (object.length < thresholdBytes) return object;
  // Level 1: the payload is usually very repetitive TL, so even fast deflate shrinks it ~4x,
  // and it keeps the server's CPU per reply well below the client's decoding cost.
  const packed = gzipSync(object, { level: 1 });
  const wrapped = Buffer.concat([uint32LE(GZIP_PACKED_ID), tlBytes(packed)]);
  return wrapped.length < object.length ? wrapped : object;
}

/** Reads a TL `bytes` value at `offset`; returns the bytes and the offset after the padding. */
export function readTlBytes(buf: Buffer, offset: number): { value: Buffer; next: number } {
  let length = buf[offset]!;
  let start = offset + 1;
  if (length === 254) {
    length = buf[offset + 1]! | (buf[offset + 2]! << 8) | (buf[offset + 3]! << 16);
    start = offset + 4;
  }
  const end = start + length;
  if (end > buf.length) throw new RangeError('TL bytes run past the buffer');
  const consumed = end - offset;
  return { value: buf.subarray(start, end), next: offset + consumed + ((4 - (consumed % 4)) % 4) };
}

export function gunzipPacked(body: Buffer): Buffer {
  return gunzipSync(readTlBytes(body, 4).value);
}

export interface InnerMessage {
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

/** msg_container#73f1f8dc messages:vector<%Message>; each message is msg_id, seqno, bytes, body. */
export function parseContainer(body: Buffer): InnerMessage[] {
  const count = body.readInt32LE(4);
  const messages: InnerMessage[] = [];
  let offset = 8;
  for (let i = 0; i < count; i++) {
    const msgId = body.readBigInt64LE(offset);
    const seqNo = body.readInt32LE(offset + 8);
    const length = body.readInt32LE(offset + 12);
    const start = offset + 16;
    if (start + length > body.length) throw new RangeError('container message runs past the container');
    messages.push({ msgId, seqNo, body: body.subarray(start, start + length) });
    offset = start + length;
  }
  return messages;
}

export function constructorIdOf(body: Buffer): number {
  return body.readUInt32LE(0);
}

export function boolBytes(value: boolean): Buffer {
  return uint32LE(value ? 0x997275b5 : 0xbc799737);
}

export { int32LE };
