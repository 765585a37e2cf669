/**
 * The data center's RSA key. Clients encrypt the auth-key exchange's inner data with its public
 * part and find it by fingerprint (GramJS looks it up in `telegram/crypto/RSA._serverKeys`).
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  privateDecrypt,
  type KeyObject,
} from 'node:crypto';
import { fromBigEndian, sha1, tlBytes } from './bytes.ts';

export interface RsaServerKey {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** The signed 64-bit fingerprint Telegram clients use to pick the key. */
  readonly fingerprint: bigint;
  readonly modulus: bigint;
  readonly exponent: number;
  /** Raw RSA (no padding): `data^d mod n`, 256 bytes. The RSA_PAD scheme is undone by the caller. */
  decryptRaw(data: Buffer): Buffer;
}

/** Fingerprint = low 64 bits of sha1(TL bytes(n) + TL bytes(e)), read little-endian, signed. */
export function rsaFingerprint(modulusBigEndian: Buffer, exponentBigEndian: Buffer): bigint {
  const digest = sha1(tlBytes(modulusBigEndian), tlBytes(exponentBigEndian));
  return digest.readBigInt64LE(12);
}

export function rsaServerKeyFromPem(privateKeyPem: string): RsaServerKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' });
  if (!jwk.n || !jwk.e) throw new Error('not an RSA key');
  const n = Buffer.from(jwk.n, 'base64url');
  const e = Buffer.from(jwk.e, 'base64url');
  const modulus = fromBigEndian(n);
  if (n.length !== 256) throw new Error(`RSA key must be 2048 bits (got ${n.length * 8})`);
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    fingerprint: rsaFingerprint(n, e),
    modulus,
    exponent: Number(fromBigEndian(e)),
    decryptRaw: (data) => privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, data),
  };
}

export function generateRsaServerKey(): RsaServerKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  return rsaServerKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
}

let sharedKey: RsaServerKey | undefined;
/**
 * One key per process, generated on first use: key generation costs 50–500 ms, and test files
 * start many servers. Pass your own PEM to the server to pin a key across processes.
 */
export function sharedRsaServerKey(): RsaServerKey {
  sharedKey ??= generateRsaServerKey();
  return sharedKey;
}
