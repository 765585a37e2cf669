/**
 * Builds real GramJS clients for a local server, the way the job does it: a connection class that
 * dials the server's ports (local-data-center.ts) and a StringSession. Logging is off; flood waits
 * are never slept through.
 */
import { TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import type { LocalTelegramServer } from '../server.ts';
import { localDataCenter } from './local-data-center.ts';

export interface TestClientOptions {
  /** A StringSession string (e.g. from `server.sessionFor(account)`); empty = new key by handshake. */
  session?: string;
  /** DC to start on when `session` is empty (default: the server's main DC). */
  dcId?: number;
  floodSleepThreshold?: number;
  requestRetries?: number;
}

export function createTestClient(server: LocalTelegramServer, options: TestClientOptions = {}): TelegramClient {
  const dc = localDataCenter(server.testDataCenterOptions());
  const session = options.session ? new StringSession(options.session) : dc.sessionFor(options.dcId ?? server.mainDcId);
  return new TelegramClient(session, server.apiId, server.apiHash, {
    connection: dc.connection,
    baseLogger: new Logger(LogLevel.NONE),
    floodSleepThreshold: options.floodSleepThreshold ?? 0,
    requestRetries: options.requestRetries ?? 5,
    connectionRetries: 3,
    retryDelay: 100,
  });
}

/** Connects a client with a pre-seeded session for the account. */
export async function connectedClient(
  server: LocalTelegramServer,
  account: bigint | string,
  options: Omit<TestClientOptions, 'session'> = {},
): Promise<TelegramClient> {
  const client = createTestClient(server, { ...options, session: server.sessionFor(account, { dcId: options.dcId }) });
  await client.connect();
  return client;
}

/** Rejects after `ms` unless `promise` settles first; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeoutError';
  }
}
