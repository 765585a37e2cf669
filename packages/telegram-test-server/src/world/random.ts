/**
 * Deterministic hashing and pseudo-random numbers for the simulated world.
 *
 * Everything the world generates is a pure function of the seed, so the same seed gives the same
 * world on every machine. Hashes work on 32-bit numbers (Math.imul) because BigInt arithmetic is
 * far too slow for 100,000-peer worlds; 64-bit values (access hashes, photo ids) are assembled from
 * two independent 32-bit hashes only when a reply needs them.
 */

const TWO_32 = 4294967296;

/** One avalanche step (murmur3 finaliser) folding `value` into `state`. */
export function mix32(state: number, value: number): number {
  let h = (state ^ Math.imul(value | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Splits a non-negative integer below 2^53 into two 32-bit words so both halves get hashed. */
export function mixNumber(state: number, value: number): number {
  const lo = value % TWO_32;
  const hi = Math.floor(value / TWO_32);
  return mix32(mix32(state, lo), hi);
}

/** Unsigned 32-bit hash of a list of integers (each below 2^53). */
export function hashInts(...values: readonly number[]): number {
  let h = 0x1b873593;
  for (const v of values) h = mixNumber(h, v);
  return mix32(h, values.length);
}

/** Signed 64-bit hash as a bigint, used for access hashes and file ids. */
export function hash64(...values: readonly number[]): bigint {
  const hi = hashInts(0x51ed27, ...values) | 0; // signed high word makes the result signed 64-bit
  const lo = hashInts(0x7f4a7c15, ...values);
  const result = (BigInt(hi) << 32n) | BigInt(lo);
  // 0 means "no hash" in several Telegram constructors; never produce it.
  return result === 0n ? 1n : result;
}

/** Hash of the values mapped to a float in [0, 1): a deterministic per-item coin. */
export function hashToUnit(...values: readonly number[]): number {
  return hashInts(...values) / TWO_32;
}

/** Turns a user-supplied seed (number or string) into a 32-bit seed. */
export function seedToInt(seed: number | string): number {
  if (typeof seed === 'number' && Number.isInteger(seed)) return hashInts(Math.abs(seed), seed < 0 ? 1 : 0);
  const text = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = mix32(h, text.charCodeAt(i));
  return h;
}

/** Small, fast, seedable generator (mulberry32). Used only while generating the world. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return this.next() / TWO_32;
  }

  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick on an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }
}
