/**
 * Testing only: points GramJS at a local Telegram data center (packages/telegram-test-server)
 * instead of Telegram's servers. Wired into the client factory behind TELEGRAM_TEST_DC_HOST / _PORT /
 * _PUBLIC_KEY_FILE.
 *
 * Three things GramJS needs for that (notes/local-telegram-server.md):
 * 1. the DC's RSA public key in `telegram/crypto/RSA._serverKeys` (keyed by fingerprint);
 * 2. a connection class that dials the right port per DC id — GramJS ignores the session's port
 *    and dials 80, or 443 for other DCs;
 * 3. StringSessions with a placeholder port, because `StringSession.save()` writes the port as an
 *    int16 and throws RangeError above 32767.
 */
import { AppError } from '../errors/app-error.ts';
import { createHash, createPublicKey } from 'node:crypto';
import bigInt from 'big-integer';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { ConnectionTCPFull } from 'telegram/network/connection/TCPFull.js';
import { StringSession } from 'telegram/sessions/index.js';

/** Port written into sessions; the connection class replaces it with the real one. */
export const PLACEHOLDER_PORT = 443;

export interface TestDataCenterOptions {
  /** Host of every local DC (127.0.0.1). */
  host: string;
  /** TCP port of each DC, by DC id; e.g. `{ 2: 40002, 3: 40003 }`. */
  dataCenters: Readonly<Record<number, number>>;
  /** The DCs' RSA public key (PEM, PKCS#1 or SPKI). */
  publicKeyPem: string;
}

type ConnectionParams = ConstructorParameters<typeof ConnectionTCPFull>[0];

export interface TestDataCenter {
  /** Pass as `connection` in the TelegramClient options. */
  readonly connection: typeof ConnectionTCPFull;
  /** The DC ids configured, lowest first. */
  readonly dcIds: readonly number[];
  /**
   * A session for `dcId`: without `authKey` GramJS performs the auth-key exchange on connect;
   * with it (a key the DC already knows), it connects without one. `save()` gives the string form
   * once a key exists.
   */
  sessionFor(dcId: number, authKey?: Buffer): StringSession;
}

export class TestDataCenterConfigError extends AppError<'test_data_center_config'> {
  constructor(message: string) {
    super(message, { kind: 'test_data_center_config', userMistake: true });
  }
}

/** Telegram's RSA fingerprint: low 64 bits of sha1(TL bytes(n) + TL bytes(e)), signed little-endian. */
export function rsaPublicKeyFingerprint(publicKeyPem: string): { fingerprint: bigint; n: bigint; e: number } {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  if (!jwk.n || !jwk.e)
    throw new TestDataCenterConfigError('TELEGRAM_TEST_DC_PUBLIC_KEY_FILE is not an RSA public key');
  const n = Buffer.from(jwk.n, 'base64url');
  const e = Buffer.from(jwk.e, 'base64url');
  const digest = createHash('sha1').update(tlBytes(n)).update(tlBytes(e)).digest();
  return {
    fingerprint: digest.readBigInt64LE(12),
    n: BigInt(`0x${n.toString('hex')}`),
    e: Number(BigInt(`0x${e.toString('hex')}`)),
  };
}

function tlBytes(data: Buffer): Buffer {
  const header =
    data.length < 254
      ? Buffer.from([data.length])
      : Buffer.from([254, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff]);
  const padding = (4 - ((header.length + data.length) % 4)) % 4;
  return Buffer.concat([header, data, Buffer.alloc(padding)]);
}

/** Registers the key with GramJS (process-wide; several test DCs may register their keys). */
export function registerDataCenterPublicKey(publicKeyPem: string): bigint {
  const { fingerprint, n, e } = rsaPublicKeyFingerprint(publicKeyPem);
  (_serverKeys as Map<string, { n: bigInt.BigInteger; e: number }>).set(fingerprint.toString(), {
    n: bigInt(n.toString()),
    e,
  });
  return fingerprint;
}

export function configureTestDataCenter(options: TestDataCenterOptions): TestDataCenter {
  const ports = new Map<number, number>();
  for (const [id, port] of Object.entries(options.dataCenters)) {
    const dcId = Number(id);
    if (!Number.isInteger(dcId) || dcId < 1 || dcId > 255) throw new TestDataCenterConfigError(`invalid DC id ${id}`);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new TestDataCenterConfigError(`invalid port ${port} for DC ${id}`);
    ports.set(dcId, port);
  }
  if (ports.size === 0) throw new TestDataCenterConfigError('at least one data center is required');
  registerDataCenterPublicKey(options.publicKeyPem);
  const host = options.host;

  class LocalDataCenterConnection extends ConnectionTCPFull {
    constructor(params: ConnectionParams) {
      const port = ports.get(params.dcId);
      if (port === undefined) {
        throw new TestDataCenterConfigError(
          `no local port configured for DC ${params.dcId} (known: ${[...ports.keys()].join(', ')})`,
        );
      }
      super({ ...params, ip: host, port });
    }
  }

  return {
    connection: LocalDataCenterConnection,
    dcIds: [...ports.keys()].sort((a, b) => a - b),
    sessionFor: (dcId, authKey) => {
      if (!ports.has(dcId)) throw new TestDataCenterConfigError(`DC ${dcId} is not configured`);
      if (authKey && authKey[0] === 0) {
        throw new TestDataCenterConfigError('auth keys with a leading zero byte cannot round-trip through GramJS');
      }
      // A StringSession string always carries a key (an empty one counts as a key to GramJS), so a
      // keyless session is built as an object.
      const session = new StringSession('');
      session.setDC(dcId, host, PLACEHOLDER_PORT);
      if (authKey) session.setAuthKey(new AuthKey(authKey, createHash('sha1').update(authKey).digest()));
      return session;
    },
  };
}
