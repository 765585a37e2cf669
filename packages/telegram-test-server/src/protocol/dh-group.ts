/**
 * Modular exponentiation in Telegram's public 2048-bit safe-prime group (g = 3), used by the
 * auth-key exchange and by the 2FA SRP check. Node's `createDiffieHellman(prime)` checks the prime
 * on construction (~235 ms), so one object is built per process and reused: `setPrivateKey(exp)` +
 * `computeSecret(base)` yields `base^exp mod p` in about a millisecond.
 */
import { createDiffieHellman, randomBytes, type DiffieHellman } from 'node:crypto';
import { bigEndianBytes, fromBigEndian } from './bytes.ts';

/** Telegram's documented DH prime (also the 2FA SRP prime GramJS accepts). */
export const TELEGRAM_DH_PRIME = Buffer.from(
  'c71caeb9c6b1c9048e6c522f70f13f73980d40238e3e21c14934d037563d930f48198a0aa7c14058229493d22530f4db' +
    'fa336f6e0ac925139543aed44cce7c3720fd51f69458705ac68cd4fe6b6b13abdc9746512969328454f18faf8c595f64' +
    '2477fe96bb2a941d5bcd1d4ac8cc49880708fa9b378e3c4f3a9060bee67cf9a4a4a695811051907e162753b56b0f6b41' +
    '0dba74d8a84b2a14b3144e0ef1284754fd17ed950d5965b4b9dd46582db1178d169c6bc465b0d6ff9ca3928fef5b9ae4' +
    'e418fc15e83ebea0f87fa9ff5eed70050ded2849f47bf959d956850ce929851f0d8115f635b105ee2e4e15d04b2454bf' +
    '6f4fadf034b10403119cd8e3b92fcc5b',
  'hex',
);
export const TELEGRAM_DH_G = 3;
export const DH_PRIME_BIGINT = fromBigEndian(TELEGRAM_DH_PRIME);

let shared: DiffieHellman | undefined;
function group(): DiffieHellman {
  shared ??= createDiffieHellman(TELEGRAM_DH_PRIME);
  return shared;
}

/** `base^exponent mod p`, as 256 big-endian bytes (zero-padded). */
export function modPowInGroup(base: bigint | Buffer, exponent: bigint | Buffer): Buffer {
  const dh = group();
  const exp = typeof exponent === 'bigint' ? bigEndianBytes(exponent) : exponent;
  const b = typeof base === 'bigint' ? bigEndianBytes(base) : base;
  dh.setPrivateKey(exp);
  const out = dh.computeSecret(b);
  return out.length === 256 ? out : Buffer.concat([Buffer.alloc(256 - out.length), out]);
}

/** A random exponent below the prime (2047 bits), as the spec asks for `a`/`b`. */
export function randomExponent(): Buffer {
  const bytes = randomBytes(256);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes;
}
