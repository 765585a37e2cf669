/**
 * Points GramJS at a running local server, for clients built outside the job (this package's tests,
 * measure.ts, testing/gramjs-client.ts). GramJS needs two things for that: the server's RSA public
 * key in `telegram/crypto/RSA._serverKeys` (keyed by fingerprint), and a connection class that dials
 * the right port per DC id, because GramJS ignores a session's port. The job has its own connector
 * (its src/telegram/test-data-center.ts, configured from its environment); this package does not
 * import the job, so it keeps the few lines it needs here.
 */
import { createPublicKey } from 'node:crypto';
import bigInt from 'big-integer';
import { _serverKeys } from 'telegram/crypto/RSA.js';
import { ConnectionTCPFull } from 'telegram/network/connection/TCPFull.js';
import { StringSession } from 'telegram/sessions/index.js';
import { PLACEHOLDER_PORT, type TestDataCenterOptions } from '../client-settings.ts';
import { fromBigEndian } from '../protocol/bytes.ts';
import { rsaFingerprint } from '../protocol/rsa-server-key.ts';

type ConnectionParams = ConstructorParameters<typeof ConnectionTCPFull>[0];

export interface LocalDataCenter {
  /** Pass as `connection` in the TelegramClient options. */
  readonly connection: typeof ConnectionTCPFull;
  /** A keyless session for `dcId`: GramJS performs the auth-key exchange on connect. */
  sessionFor(dcId: number): StringSession;
}

/** Registers the key with GramJS (process-wide; several servers may register their keys). */
function registerPublicKey(publicKeyPem: string): void {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' });
  if (!jwk.n || !jwk.e) throw new Error('the data center key is not an RSA public key');
  const n = Buffer.from(jwk.n, 'base64url');
  const e = Buffer.from(jwk.e, 'base64url');
  (_serverKeys as Map<string, { n: bigInt.BigInteger; e: number }>).set(rsaFingerprint(n, e).toString(), {
    n: bigInt(fromBigEndian(n).toString()),
    e: Number(fromBigEndian(e)),
  });
}

/** `localDataCenter(server.testDataCenterOptions())`. */
export function localDataCenter(options: TestDataCenterOptions): LocalDataCenter {
  const ports = new Map(Object.entries(options.dataCenters).map(([id, port]) => [Number(id), port]));
  registerPublicKey(options.publicKeyPem);
  const host = options.host;

  class LocalDataCenterConnection extends ConnectionTCPFull {
    constructor(params: ConnectionParams) {
      const port = ports.get(params.dcId);
      if (port === undefined) throw new Error(`DC ${params.dcId} is not running on the local server`);
      super({ ...params, ip: host, port });
    }
  }

  return {
    connection: LocalDataCenterConnection,
    sessionFor: (dcId) => {
      if (!ports.has(dcId)) throw new Error(`DC ${dcId} is not running on the local server`);
      const session = new StringSession('');
      session.setDC(dcId, host, PLACEHOLDER_PORT);
      return session;
    },
  };
}
