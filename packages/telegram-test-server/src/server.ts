/**
 * The local Telegram data center(s): one TCP listener per DC id on 127.0.0.1, all sharing one world,
 * one auth-key store, one fault injector and one call log — so USER_MIGRATE between local DCs works
 * like on Telegram.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Api } from 'telegram';
import { AuthKeyStore } from './auth-key-store.ts';
import { AuthService } from './auth-methods.ts';
import { encodeStringSession, type TestDataCenterOptions } from './client-settings.ts';
import { CallLog } from './call-log.ts';
import { ClientConnection } from './connection.ts';
import { ConnectionRegistry } from './connection-registry.ts';
import { FaultInjector } from './faults.ts';
import type { DataCenterAddress } from './help-methods.ts';
import { MethodRouter } from './method-router.ts';
import { ServerMessageIds } from './protocol/message-ids.ts';
import { rsaServerKeyFromPem, sharedRsaServerKey } from './protocol/rsa-server-key.ts';
import type { ServerContext } from './server-context.ts';
import { ServerStats } from './server-stats.ts';
import type { BackendAccount, WorldBackend } from './world-backend.ts';
import { toWorldBackend } from './world-adapter.ts';
import type { World } from './world/index.ts';

/**
 * api_id / api_hash the local DC accepts. Client and server only need to agree, but the hash has the
 * shape of a real one (32 hex characters) because the job's configuration refuses anything else: with
 * the old `local-telegram-test-api-hash` the printed settings could not be used at all.
 */
export const DEFAULT_API_ID = 1025907;
export const DEFAULT_API_HASH = '10ca17e1e9a3ad0c0ffee0ddba11ca75';

export interface LocalTelegramServerOptions {
  /** The simulated world, or any other {@link WorldBackend} (e.g. a test stand-in). */
  world: World | WorldBackend;
  /** DC ids to run; the first is the main DC (default [2]). */
  dataCenters?: readonly number[];
  /** Port per DC id; 0 or missing = any free port. */
  ports?: Readonly<Record<number, number>>;
  /** PEM of the RSA private key; default: one key generated per process. */
  rsaPrivateKeyPem?: string;
  /** Seeds fault rates and jitter. */
  seed?: number;
  apiId?: number;
  apiHash?: string;
  /** Bit size of pq's prime factors (default 16: the client factorises it in < 1 ms). */
  pqPrimeBits?: number;
  /** Replies at least this many bytes are sent gzip_packed (default 8 KiB). */
  gzipThresholdBytes?: number;
  /** Keep only this many call-log entries (default: all). */
  callLogLimit?: number;
  /** Answer AUTH_KEY_DUPLICATED to concurrent use of one key over two connections (default true). */
  detectDuplicateAuthKeys?: boolean;
}

export type AccountRef = bigint | string | BackendAccount;

export class UnknownAccountError extends Error {
  constructor(ref: string) {
    super(`no account ${ref} in the world`);
    this.name = 'UnknownAccountError';
  }
}

export interface LocalTelegramServer {
  readonly host: string;
  readonly mainDcId: number;
  readonly dataCenters: readonly DataCenterAddress[];
  readonly publicKeyPem: string;
  readonly apiId: number;
  readonly apiHash: string;
  readonly faults: FaultInjector;
  readonly callLog: CallLog;
  readonly keys: AuthKeyStore;
  /** Server-side CPU and bytes per method. */
  readonly stats: ServerStats;
  /** Exceptions thrown by handlers (each was answered as 500 INTERNAL); tests may assert it stays empty. */
  readonly unexpectedErrors: readonly unknown[];
  port(dcId?: number): number;
  /** Host, ports and public key: what `localDataCenter` (testing/) and the job's `configureTestDataCenter` take. */
  testDataCenterOptions(): TestDataCenterOptions;
  /**
   * A StringSession whose auth key the server already knows and has bound to the account: the
   * client connects without a handshake or login. Each call creates a new key.
   */
  sessionFor(account: AccountRef, options?: { dcId?: number }): string;
  /** Test hook for QR login: the account accepts (scans) a token from auth.exportLoginToken. */
  acceptLoginToken(token: Buffer, account: AccountRef): boolean;
  /** The newest QR login token issued, if any. */
  latestLoginToken(): Buffer | undefined;
  /** Makes every key of the account fail from now on (e.g. 401 SESSION_REVOKED), as a remote log-out does. */
  revokeAccountKeys(account: AccountRef, error?: { code: number; message: string }): number;
  /** Forgets every key of the account: each later message with one gets transport error −404 (connecting too). */
  forgetAccountKeys(account: AccountRef): number;
  stop(): Promise<void>;
}

export async function startLocalTelegramServer(options: LocalTelegramServerOptions): Promise<LocalTelegramServer> {
  const host = '127.0.0.1';
  const dcIds = options.dataCenters ?? [2];
  if (dcIds.length === 0) throw new Error('at least one data center is required');
  const rsaKey = options.rsaPrivateKeyPem ? rsaServerKeyFromPem(options.rsaPrivateKeyPem) : sharedRsaServerKey();
  const apiId = options.apiId ?? DEFAULT_API_ID;
  const apiHash = options.apiHash ?? DEFAULT_API_HASH;
  const stopController = new AbortController();
  const addresses: DataCenterAddress[] = [];
  const connections = new ConnectionRegistry();
  const keys = new AuthKeyStore();
  const world = toWorldBackend(options.world);
  const auth = new AuthService(world, { apiId, apiHash }, (authKey) => {
    const update = new Api.UpdateShort({ update: new Api.UpdateLoginToken(), date: Math.floor(Date.now() / 1000) });
    for (const c of connections.connectionsOf(authKey.keyId)) c.pushUpdate(Buffer.from(update.getBytes()));
  });
  const unexpectedErrors: unknown[] = [];
  const context: ServerContext = {
    keys,
    faults: new FaultInjector(options.seed ?? 1),
    callLog: new CallLog(options.callLogLimit),
    router: new MethodRouter(world, auth, () => addresses),
    msgIds: new ServerMessageIds(),
    rsaKey,
    connections,
    pqPrimeBits: options.pqPrimeBits ?? 16,
    gzipThresholdBytes: options.gzipThresholdBytes ?? 8192,
    detectDuplicateAuthKeys: options.detectDuplicateAuthKeys ?? true,
    stopSignal: stopController.signal,
    stats: new ServerStats(),
    unexpectedErrors,
  };

  const listeners: Server[] = [];
  try {
    for (const dcId of dcIds) {
      const listener = createServer((socket) => new ClientConnection(socket, dcId, context));
      listener.listen(options.ports?.[dcId] ?? 0, host);
      await once(listener, 'listening');
      listeners.push(listener);
      const address = listener.address();
      if (!address || typeof address === 'string') throw new Error('listener has no TCP address');
      addresses.push({ dcId, host, port: address.port });
    }
  } catch (error) {
    for (const l of listeners) l.close();
    throw error;
  }

  const resolveAccount = (ref: AccountRef): BackendAccount => {
    if (typeof ref === 'object') return ref;
    const found = typeof ref === 'bigint' ? auth.accountById(ref) : auth.accountByPhone(ref);
    if (!found) throw new UnknownAccountError(String(ref));
    return found;
  };
  const portOf = (dcId: number): number => {
    const dc = addresses.find((a) => a.dcId === dcId);
    if (!dc) throw new Error(`DC ${dcId} is not running (running: ${dcIds.join(', ')})`);
    return dc.port;
  };
  let stopped = false;

  return {
    host,
    mainDcId: dcIds[0]!,
    dataCenters: addresses,
    publicKeyPem: rsaKey.publicKeyPem,
    apiId,
    apiHash,
    faults: context.faults,
    callLog: context.callLog,
    keys,
    stats: context.stats,
    unexpectedErrors,
    port: (dcId = dcIds[0]!) => portOf(dcId),
    testDataCenterOptions: () => ({
      host,
      dataCenters: Object.fromEntries(addresses.map((a) => [a.dcId, a.port])),
      publicKeyPem: rsaKey.publicKeyPem,
    }),
    sessionFor(account, sessionOptions = {}) {
      const resolved = resolveAccount(account);
      const dcId = sessionOptions.dcId ?? dcIds[0]!;
      portOf(dcId);
      const record = keys.createKey(dcId);
      record.accountUserId = resolved.userId;
      return encodeStringSession(dcId, host, record.key);
    },
    acceptLoginToken: (token, account) => auth.acceptLoginToken(token, resolveAccount(account)),
    latestLoginToken: () => auth.latestLoginToken(),
    revokeAccountKeys(account, error = { code: 401, message: 'SESSION_REVOKED' }) {
      const revoked = keys.keysOf(resolveAccount(account).userId);
      for (const record of revoked) record.revokedWith = error;
      return revoked.length;
    },
    forgetAccountKeys(account) {
      const forgotten = keys.keysOf(resolveAccount(account).userId);
      for (const record of forgotten) record.forgotten = true;
      return forgotten.length;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stopController.abort();
      const closing = listeners.map((l) => new Promise<void>((resolve) => l.close(() => resolve())));
      connections.destroyAll();
      await Promise.all(closing);
    },
  };
}
