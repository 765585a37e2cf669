/**
 * The server side of MTProto's auth-key exchange (https://core.telegram.org/mtproto/auth_key):
 * req_pq_multi → resPQ, req_DH_params (RSA_PAD) → server_DH_params_ok, set_client_DH_params →
 * dh_gen_ok. One instance per connection; it is fed the bodies of unencrypted messages.
 */
import { generatePrimeSync, randomBytes } from 'node:crypto';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';
import { readBigIntFromBuffer, toSignedLittleBuffer } from 'telegram/Helpers.js';
import { igeDecrypt, igeEncrypt } from './aes-ige.ts';
import { bigEndianBytes, fromBigEndian, sha1, sha256, stripLeadingZeros, toNativeBigInt } from './bytes.ts';
import { DH_PRIME_BIGINT, TELEGRAM_DH_G, TELEGRAM_DH_PRIME, modPowInGroup, randomExponent } from './dh-group.ts';
import type { RsaServerKey } from './rsa-server-key.ts';

export class HandshakeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandshakeError';
  }
}

export interface NewAuthKey {
  /** The key bytes exactly as GramJS stores them (leading zero bytes stripped). */
  key: Buffer;
  /** First server salt: substr(new_nonce, 0, 8) XOR substr(server_nonce, 0, 8). */
  salt: bigint;
}

export interface HandshakeOptions {
  rsaKey: RsaServerKey;
  /** Bits of each prime factor of pq. Telegram uses ~32; GramJS factorises 31-bit primes in ~60 ms of client CPU, 16-bit ones in <1 ms. */
  pqPrimeBits: number;
}

type BigIntLike = bigInt.BigInteger;

interface PendingExchange {
  nonce: BigIntLike;
  serverNonce: BigIntLike;
  pq: bigint;
  p: bigint;
  q: bigint;
  newNonce?: BigIntLike;
  dhSecret?: Buffer;
  tmpKey?: Buffer;
  tmpIv?: Buffer;
}

/** tmp_aes_key / tmp_aes_iv from server_nonce and new_nonce (both as GramJS writes them, little-endian). */
function tmpAesKeyIv(serverNonce: BigIntLike, newNonce: BigIntLike): { key: Buffer; iv: Buffer } {
  const server = toSignedLittleBuffer(serverNonce, 16);
  const fresh = toSignedLittleBuffer(newNonce, 32);
  const h1 = sha1(fresh, server);
  const h2 = sha1(server, fresh);
  const h3 = sha1(fresh, fresh);
  return {
    key: Buffer.concat([h1, h2.subarray(0, 12)]),
    iv: Buffer.concat([h2.subarray(12, 20), h3, fresh.subarray(0, 4)]),
  };
}

/** new_nonce_hashN = low 128 bits of sha1(new_nonce + N + auth_key_aux_hash), as GramJS compares it. */
function newNonceHash(newNonce: BigIntLike, n: number, authKey: Buffer): BigIntLike {
  const auxHash = sha1(authKey).subarray(0, 8);
  const digest = sha1(toSignedLittleBuffer(newNonce, 32), Buffer.from([n]), auxHash);
  return readBigIntFromBuffer(digest.subarray(4, 20), true, true);
}

/** int128 values come back signed from GramJS's reader; compare them as unsigned. */
function sameInt128(a: unknown, b: unknown): boolean {
  return BigInt.asUintN(128, toNativeBigInt(a)) === BigInt.asUintN(128, toNativeBigInt(b));
}

function toBuffer(value: unknown): Buffer {
  return Buffer.from(value as Uint8Array);
}

export class AuthKeyExchange {
  private pending: PendingExchange | undefined;

  constructor(private readonly options: HandshakeOptions) {}

  /** Handles one plain-message body; returns the reply body and, at the end, the new key. Synchronous: it is all CPU. */
  handle(body: Buffer): { reply: Buffer; authKey?: NewAuthKey } {
    const request = new BinaryReader(body).tgReadObject() as unknown;
    if (request instanceof Api.ReqPqMulti || request instanceof Api.ReqPq) {
      return { reply: this.resPq(request.nonce as BigIntLike) };
    }
    if (request instanceof Api.ReqDHParams) return { reply: this.serverDhParams(request) };
    if (request instanceof Api.SetClientDHParams) return this.dhGen(request);
    throw new HandshakeError(
      `unexpected unencrypted message ${(request as { className?: string })?.className ?? typeof request}`,
    );
  }

  private resPq(nonce: BigIntLike): Buffer {
    const { p, q } = this.pqFactors();
    // Signed, as GramJS reads int128 values.
    const serverNonce = bigInt(randomBytes(16).readBigInt64LE(0).toString())
      .shiftLeft(64)
      .add(bigInt(randomBytes(8).readBigUInt64LE(0).toString()));
    this.pending = { nonce, serverNonce, pq: p * q, p, q };
    return Buffer.from(
      new Api.ResPQ({
        nonce,
        serverNonce,
        pq: bigEndianBytes(p * q),
        serverPublicKeyFingerprints: [bigInt(this.options.rsaKey.fingerprint.toString())],
      }).getBytes(),
    );
  }

  /**
   * Two distinct primes p < q. GramJS reads pq as a *signed* big-endian number, so pq's top bit must
   * be clear (Telegram's pq always is); a negative pq would make the client's factoriser spin forever.
   */
  private pqFactors(): { p: bigint; q: bigint } {
    // OpenSSL sets the top two bits of generated primes, so an n-bit and an m-bit prime multiply to
    // exactly n+m bits; n+m must not be a multiple of 8.
    const bits = this.options.pqPrimeBits;
    const otherBits = (2 * bits + 1) % 8 === 0 ? bits + 2 : bits + 1;
    for (;;) {
      const a = generatePrimeSync(bits, { bigint: true });
      const b = generatePrimeSync(otherBits, { bigint: true });
      if ((a * b).toString(2).length % 8 === 0) continue;
      return a < b ? { p: a, q: b } : { p: b, q: a };
    }
  }

  private requirePending(nonce: BigIntLike, serverNonce: BigIntLike): PendingExchange {
    const pending = this.pending;
    if (!pending || !sameInt128(pending.nonce, nonce) || !sameInt128(pending.serverNonce, serverNonce)) {
      throw new HandshakeError('nonce does not match the exchange in progress');
    }
    return pending;
  }

  private serverDhParams(request: Api.ReqDHParams): Buffer {
    const pending = this.requirePending(request.nonce, request.serverNonce);
    if (toNativeBigInt(request.publicKeyFingerprint) !== this.options.rsaKey.fingerprint) {
      throw new HandshakeError('unknown RSA fingerprint');
    }
    // The spec wants p < q, but GramJS's factoriser does not always order them: check the product.
    if (fromBigEndian(toBuffer(request.p)) * fromBigEndian(toBuffer(request.q)) !== pending.pq) {
      throw new HandshakeError('p and q do not factor pq');
    }
    const inner = this.decryptRsaPad(toBuffer(request.encryptedData));
    const innerData = new BinaryReader(inner).tgReadObject() as unknown;
    if (!(innerData instanceof Api.PQInnerData || innerData instanceof Api.PQInnerDataDc)) {
      throw new HandshakeError('p_q_inner_data expected');
    }
    if (!sameInt128(innerData.nonce, pending.nonce) || !sameInt128(innerData.serverNonce, pending.serverNonce)) {
      throw new HandshakeError('inner data nonces do not match');
    }
    pending.newNonce = innerData.newNonce;
    pending.dhSecret = randomExponent();
    const gA = modPowInGroup(BigInt(TELEGRAM_DH_G), pending.dhSecret);
    const answer = Buffer.from(
      new Api.ServerDHInnerData({
        nonce: pending.nonce,
        serverNonce: pending.serverNonce,
        g: TELEGRAM_DH_G,
        dhPrime: TELEGRAM_DH_PRIME,
        gA,
        serverTime: Math.floor(Date.now() / 1000),
      }).getBytes(),
    );
    const { key, iv } = tmpAesKeyIv(pending.serverNonce, pending.newNonce);
    pending.tmpKey = key;
    pending.tmpIv = iv;
    const withHash = Buffer.concat([sha1(answer), answer]);
    const padded = Buffer.concat([withHash, randomBytes((16 - (withHash.length % 16)) % 16)]);
    return Buffer.from(
      new Api.ServerDHParamsOk({
        nonce: pending.nonce,
        serverNonce: pending.serverNonce,
        encryptedAnswer: igeEncrypt(pending.tmpKey, pending.tmpIv, padded),
      }).getBytes(),
    );
  }

  /** Undoes RSA_PAD: RSA, then temp_key = xor(sha256(aes part)), AES-IGE with zero IV, reverse, hash check. */
  private decryptRsaPad(encrypted: Buffer): Buffer {
    if (encrypted.length > 256) throw new HandshakeError('encrypted_data longer than 256 bytes');
    const padded =
      encrypted.length === 256 ? encrypted : Buffer.concat([Buffer.alloc(256 - encrypted.length), encrypted]);
    const keyAesEncrypted = this.options.rsaKey.decryptRaw(padded);
    const tempKeyXor = keyAesEncrypted.subarray(0, 32);
    const aesEncrypted = keyAesEncrypted.subarray(32);
    const aesHash = sha256(aesEncrypted);
    const tempKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) tempKey[i] = tempKeyXor[i]! ^ aesHash[i]!;
    const dataWithHash = igeDecrypt(tempKey, Buffer.alloc(32), aesEncrypted);
    const dataWithPadding = Buffer.from(dataWithHash.subarray(0, 192)).reverse();
    if (!sha256(tempKey, dataWithPadding).equals(dataWithHash.subarray(192, 224))) {
      throw new HandshakeError('RSA_PAD hash mismatch');
    }
    return dataWithPadding;
  }

  private dhGen(request: Api.SetClientDHParams): { reply: Buffer; authKey?: NewAuthKey } {
    const pending = this.requirePending(request.nonce, request.serverNonce);
    if (!pending.tmpKey || !pending.tmpIv || !pending.dhSecret || !pending.newNonce) {
      throw new HandshakeError('set_client_DH_params before req_DH_params');
    }
    const plain = igeDecrypt(pending.tmpKey, pending.tmpIv, toBuffer(request.encryptedData));
    const reader = new BinaryReader(plain.subarray(20));
    const inner = reader.tgReadObject() as unknown;
    if (!(inner instanceof Api.ClientDHInnerData)) throw new HandshakeError('client_DH_inner_data expected');
    const innerBytes = plain.subarray(20, 20 + reader.tellPosition());
    if (!sha1(innerBytes).equals(plain.subarray(0, 20))) throw new HandshakeError('client_DH_inner_data hash mismatch');
    const gB = fromBigEndian(toBuffer(inner.gB));
    if (gB <= 1n || gB >= DH_PRIME_BIGINT - 1n) throw new HandshakeError('g_b out of range');
    const key = Buffer.from(stripLeadingZeros(modPowInGroup(toBuffer(inner.gB), pending.dhSecret)));
    const newNonceHash1 = newNonceHash(pending.newNonce, 1, key);
    const newNonceBytes = Buffer.from(bigEndianBytes(BigInt.asUintN(256, toNativeBigInt(pending.newNonce)))).reverse();
    const serverNonceBytes = Buffer.from(
      bigEndianBytes(BigInt.asUintN(128, toNativeBigInt(pending.serverNonce))),
    ).reverse();
    const saltBytes = Buffer.alloc(8);
    for (let i = 0; i < 8; i++) saltBytes[i] = (newNonceBytes[i] ?? 0) ^ (serverNonceBytes[i] ?? 0);
    this.pending = undefined;
    return {
      reply: Buffer.from(
        new Api.DhGenOk({
          nonce: request.nonce,
          serverNonce: request.serverNonce,
          newNonceHash1,
        }).getBytes(),
      ),
      authKey: { key, salt: saltBytes.readBigInt64LE(0) },
    };
  }
}
