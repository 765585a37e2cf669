/**
 * AES-256-IGE. Node's OpenSSL has no IGE mode, and chaining ECB block by block through
 * `cipher.update` costs ~1 µs per block (4+ ms per 68 KB reply); GramJS's own pure-JS IGE
 * (`@cryptography/aes`) is 2–3x faster, so the server uses the same implementation as the client.
 */
import { IGE } from 'telegram/crypto/IGE.js';

export function igeEncrypt(key: Buffer, iv: Buffer, plaintext: Buffer): Buffer {
  if (plaintext.length % 16 !== 0) throw new RangeError('IGE plaintext must be a multiple of 16 bytes');
  return Buffer.from(new IGE(key, iv).encryptIge(plaintext));
}

export function igeDecrypt(key: Buffer, iv: Buffer, ciphertext: Buffer): Buffer {
  if (ciphertext.length % 16 !== 0) throw new RangeError('IGE ciphertext must be a multiple of 16 bytes');
  return Buffer.from(new IGE(key, iv).decryptIge(ciphertext));
}
