/**
 * Byte-level helpers for the MTProto wire format: little-endian 64-bit integers, TL `bytes`
 * encoding and hashes. Native `bigint` is used on the server side; GramJS's `big-integer`
 * values are converted at the edges with {@link toNativeBigInt}.
 */
import { createHash, randomBytes } from 'node:crypto';

export function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function readInt64LE(buf: Buffer, offset: number): bigint {
  return buf.readBigInt64LE(offset);
}

export function int64LE(value: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigInt64LE(BigInt.asIntN(64, value), 0);
  return b;
}

export function int32LE(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(value | 0, 0);
  return b;
}

export function uint32LE(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32LE(value >>> 0, 0);
  return b;
}

/** TL `bytes`/`string` encoding: length prefix (1 or 4 bytes) and zero padding to 4. */
export function tlBytes(data: Buffer): Buffer {
  const header =
    data.length < 254
      ? Buffer.from([data.length])
      : Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
  const total = header.length + data.length;
  const padding = (4 - (total % 4)) % 4;
  return Buffer.concat([header, data, Buffer.alloc(padding)]);
}

/** Big-endian unsigned bytes of a non-negative integer, without leading zero bytes. */
export function bigEndianBytes(value: bigint): Buffer {
  if (value < 0n) throw new RangeError('bigEndianBytes expects a non-negative value');
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

export function fromBigEndian(buf: Buffer): bigint {
  return buf.length === 0 ? 0n : BigInt(`0x${buf.toString('hex')}`);
}

/** Drops leading zero bytes: GramJS stores DH results this way (see notes, pitfall 4). */
export function stripLeadingZeros(buf: Buffer): Buffer {
  let i = 0;
  while (i < buf.length - 1 && buf[i] === 0) i++;
  return buf.subarray(i);
}

/** Converts a GramJS `big-integer`, a native bigint, a number or a decimal string to bigint. */
export function toNativeBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (typeof value === 'string') return BigInt(value);
  if (value !== null && typeof value === 'object' && 'toString' in value) {
    return BigInt((value as { toString(): string }).toString());
  }
  throw new TypeError(`cannot convert ${String(value)} to bigint`);
}

export function randomInt64(): bigint {
  return randomBytes(8).readBigInt64LE(0);
}

/** A 64-bit id rendered as 16 hex digits (unsigned), for logs and map keys. */
export function hex64(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}
