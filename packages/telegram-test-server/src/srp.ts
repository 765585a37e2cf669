/**
 * The server half of Telegram's 2FA SRP check (https://core.telegram.org/api/srp), so that
 * GramJS's `computeCheck` is verified for real against an account's password.
 *   x = PH2(password, salt1, salt2), v = g^x, k = H(p | g), B = k·v + g^b (mod p)
 *   u = H(A | B), S = (A · v^u)^b, K = H(S)
 *   M1 = H(H(p) xor H(g) | H(salt1) | H(salt2) | A | B | K)
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { bigEndianBytes, fromBigEndian, sha256 } from './protocol/bytes.ts';
import {
  DH_PRIME_BIGINT,
  TELEGRAM_DH_G,
  TELEGRAM_DH_PRIME,
  modPowInGroup,
  randomExponent,
} from './protocol/dh-group.ts';

const P = DH_PRIME_BIGINT;

/** Left-pads to 256 bytes, as the SRP hashes require. */
function pad256(value: Buffer | bigint): Buffer {
  const b = typeof value === 'bigint' ? bigEndianBytes(value) : value;
  return b.length >= 256 ? b : Buffer.concat([Buffer.alloc(256 - b.length), b]);
}

/** PH2: the slow password hash (PBKDF2-HMAC-SHA512, 100 000 iterations). */
export function passwordHash(password: string, salt1: Buffer, salt2: Buffer): Buffer {
  const sh = (data: Buffer, salt: Buffer): Buffer => sha256(salt, data, salt);
  const ph1 = sh(sh(Buffer.from(password, 'utf8'), salt1), salt2);
  return sh(pbkdf2Sync(ph1, salt1, 100000, 64, 'sha512'), salt2);
}

export interface SrpVerifier {
  readonly salt1: Buffer;
  readonly salt2: Buffer;
  /** v = g^x mod p */
  readonly v: bigint;
}

export function createVerifier(password: string): SrpVerifier {
  const salt1 = randomBytes(40);
  const salt2 = randomBytes(16);
  const x = passwordHash(password, salt1, salt2);
  return { salt1, salt2, v: fromBigEndian(modPowInGroup(BigInt(TELEGRAM_DH_G), x)) };
}

export interface SrpChallenge {
  /** The server's secret b. */
  readonly b: Buffer;
  /** B, 256 bytes. */
  readonly B: Buffer;
}

const gPadded = pad256(BigInt(TELEGRAM_DH_G));
const k = fromBigEndian(sha256(TELEGRAM_DH_PRIME, gPadded));

export function createChallenge(verifier: SrpVerifier): SrpChallenge {
  for (;;) {
    const b = randomExponent();
    const gB = fromBigEndian(modPowInGroup(BigInt(TELEGRAM_DH_G), b));
    const B = (k * verifier.v + gB) % P;
    // GramJS rejects B values whose distance from p is too small; retry on the rare miss.
    if (B > 0n && P - B > 1n << 1984n && B > 1n << 1984n) return { b, B: pad256(B) };
  }
}

/** True when the client's (A, M1) proves knowledge of the password behind `verifier`. */
export function verifyProof(verifier: SrpVerifier, challenge: SrpChallenge, A: Buffer, M1: Buffer): boolean {
  const aValue = fromBigEndian(A);
  if (aValue <= 1n || aValue >= P - 1n) return false;
  const aPadded = pad256(A);
  const u = fromBigEndian(sha256(aPadded, challenge.B));
  if (u === 0n) return false;
  const vU = fromBigEndian(modPowInGroup(verifier.v, u));
  const base = (aValue * vU) % P;
  const S = modPowInGroup(base, challenge.b);
  const K = sha256(pad256(S));
  const hp = sha256(TELEGRAM_DH_PRIME);
  const hg = sha256(gPadded);
  for (let i = 0; i < hp.length; i++) hp[i] = hp[i]! ^ hg[i]!;
  const expected = sha256(hp, sha256(verifier.salt1), sha256(verifier.salt2), aPadded, challenge.B, K);
  return expected.equals(M1);
}
