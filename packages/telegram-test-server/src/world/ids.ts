/**
 * Telegram's id spaces and GramJS's "marked" peer ids:
 * user = id, basic group = -id, channel = -(10^12 + id). The raw id spaces overlap, so a user and a
 * channel can share the same raw id; the marked id keeps them apart.
 */
import bigInt from 'big-integer';
import type { PeerKind } from './model.ts';

export const CHANNEL_MARK_OFFSET = 1_000_000_000_000n;

export function markedId(kind: PeerKind, id: bigint): bigint {
  if (kind === 'user') return id;
  if (kind === 'chat') return -id;
  return -(CHANNEL_MARK_OFFSET + id);
}

export function unmark(marked: bigint): { kind: PeerKind; id: bigint } {
  if (marked > 0n) return { kind: 'user', id: marked };
  if (marked <= -CHANNEL_MARK_OFFSET) return { kind: 'channel', id: -marked - CHANNEL_MARK_OFFSET };
  return { kind: 'chat', id: -marked };
}

/** Converts the world's bigint to the `big-integer` value GramJS TL objects carry. */
export function toBigInteger(value: bigint): bigInt.BigInteger {
  // big-integer wraps a native bigint directly (no string parsing): this runs for every id in a reply.
  return bigInt(value as unknown as number);
}

/** Converts a GramJS `big-integer` (or anything with toString) back to bigint. */
export function fromBigInteger(value: { toString(): string } | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  return BigInt(value.toString());
}
