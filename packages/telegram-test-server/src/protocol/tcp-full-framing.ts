/**
 * MTProto "full" TCP transport: every packet is `length:int32 | seq:int32 | payload | crc32:uint32`,
 * where length counts all four parts. GramJS on Node speaks exactly this (no tag, no obfuscation).
 */
import { crc32 } from 'node:zlib';

export class TransportFramingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransportFramingError';
  }
}

/** The largest packet we accept from a client; Telegram's own limit is about 1 MB. */
const MAX_PACKET_BYTES = 2 * 1024 * 1024;

/** Splits a TCP byte stream into full-transport payloads, checking length and CRC. */
export class FullTransportDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Feeds received bytes; returns every complete payload now available. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const payloads: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const head = this.peek(4);
      const length = head.readInt32LE(0);
      if (length < 12 || length > MAX_PACKET_BYTES) {
        throw new TransportFramingError(`invalid packet length ${length}`);
      }
      if (this.buffered < length) break;
      const packet = this.take(length);
      const expected = packet.readUInt32LE(length - 4);
      const actual = crc32(packet.subarray(0, length - 4));
      if (expected !== actual) throw new TransportFramingError('packet CRC mismatch');
      payloads.push(packet.subarray(8, length - 4));
    }
    return payloads;
  }

  private peek(n: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.chunks).subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }
}

/** Frames payloads for one connection; the sequence number counts packets sent on it. */
export class FullTransportEncoder {
  private seq = 0;

  encode(payload: Buffer): Buffer {
    const length = payload.length + 12;
    const packet = Buffer.allocUnsafe(length);
    packet.writeInt32LE(length, 0);
    packet.writeInt32LE(this.seq++, 4);
    payload.copy(packet, 8);
    packet.writeUInt32LE(crc32(packet.subarray(0, length - 4)), length - 4);
    return packet;
  }
}

/**
 * A transport-level error packet (e.g. -404 "auth key not found", -429 "too many connections"):
 * a 4-byte payload holding the negative code. GramJS turns it into `InvalidBufferError`.
 */
export function transportErrorPayload(code: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeInt32LE(-Math.abs(code), 0);
  return b;
}
