/**
 * Every auth key the local data centers know, for the server's whole lifetime (a server that forgets
 * a key makes GramJS hang: notes, pitfall 6). Shared by all DCs of one server; each key belongs to
 * the DC that created it, as on Telegram. A key is bound to an account after login, and can be
 * revoked (SESSION_REVOKED, AUTH_KEY_DUPLICATED, …) so that every later call fails the same way.
 */
import { randomBytes } from 'node:crypto';
import { hex64, randomInt64, sha1 } from './protocol/bytes.ts';

export interface AuthKeyRecord {
  readonly key: Buffer;
  readonly keyId: bigint;
  /** The 8 key-id bytes as they appear on the wire. */
  readonly keyIdBytes: Buffer;
  readonly keyIdHex: string;
  readonly dcId: number;
  /** The salt the server currently expects for this key. */
  salt: bigint;
  /** The account logged in with this key, if any. */
  accountUserId: bigint | null;
  /** Once set, every RPC call with this key fails with this error. */
  revokedWith: { code: number; message: string } | null;
  /**
   * The server dropped the key, as Telegram does with keys it no longer knows: every message sent
   * with it gets the transport error −404 (GramJS: "Broken authorization key"), connecting included.
   */
  forgotten: boolean;
  /** Session ids already announced with new_session_created. */
  readonly knownSessions: Set<bigint>;
  /** Login in progress on this key (phone awaiting code, or awaiting the 2FA password). */
  pendingLogin: PendingLogin | null;
}

export type PendingLogin =
  { stage: 'code-sent'; phone: string; phoneCodeHash: string } | { stage: 'password-needed'; accountUserId: bigint };

export function authKeyIdOf(key: Buffer): Buffer {
  return sha1(key).subarray(12, 20);
}

export class AuthKeyStore {
  private readonly byId = new Map<bigint, AuthKeyRecord>();

  add(key: Buffer, dcId: number, salt: bigint = randomInt64()): AuthKeyRecord {
    const keyIdBytes = Buffer.from(authKeyIdOf(key));
    const keyId = keyIdBytes.readBigInt64LE(0);
    const record: AuthKeyRecord = {
      key,
      keyId,
      keyIdBytes,
      keyIdHex: hex64(keyId),
      dcId,
      salt,
      accountUserId: null,
      revokedWith: null,
      forgotten: false,
      knownSessions: new Set(),
      pendingLogin: null,
    };
    this.byId.set(keyId, record);
    return record;
  }

  /**
   * A fresh 256-byte key, already known to the server: the basis of pre-seeded sessions. The first
   * byte is non-zero because GramJS strips leading zero bytes from keys it stores.
   */
  createKey(dcId: number): AuthKeyRecord {
    const key = randomBytes(256);
    key[0] = key[0]! | 0x80;
    return this.add(key, dcId);
  }

  /** By key id, signed or unsigned (GramJS's AuthKey.keyId is unsigned). */
  get(keyId: bigint): AuthKeyRecord | undefined {
    return this.byId.get(BigInt.asIntN(64, keyId));
  }

  /** All keys bound to an account (on any DC). */
  keysOf(accountUserId: bigint): AuthKeyRecord[] {
    return [...this.byId.values()].filter((r) => r.accountUserId === accountUserId);
  }

  get size(): number {
    return this.byId.size;
  }
}
