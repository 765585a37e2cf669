import { readFileSync } from 'node:fs';
import { TelegramClient } from 'telegram';
import type { TestDcConfig } from '../config/index.ts';
import type { AppLogger } from '../observability/app-logger.ts';
import { GramJsLogBridge, routeGramJsErrors } from './gramjs-logger.ts';
import { NoDelayNetSocket } from './no-delay-socket.ts';
import { StatelessStringSession } from './stateless-session.ts';
import { configureTestDataCenter, type TestDataCenter } from './test-data-center.ts';

export interface TelegramClientOptions {
  readonly session: string;
  readonly apiId: number;
  readonly apiHash: string;
  /** Testing only: a local data center instead of Telegram. */
  readonly testDataCenter?: TestDataCenter;
  readonly logger: Pick<AppLogger, 'debug' | 'warn'>;
}

/**
 * A GramJS client configured for a job that owns its retry policy:
 * - floodSleepThreshold 0: every flood wait surfaces to the job, which decides, records and sleeps it
 *   (GramJS would otherwise sleep up to 60 s silently inside invoke());
 * - requestRetries 2: enough for GramJS to follow a USER_MIGRATE to another DC, not enough to hide
 *   server errors behind its own 2-second retry loop;
 * - a session that keeps no entities, and no entity cache: the job builds InputPeers from PostgreSQL;
 * - TCP_NODELAY on every connection: with Nagle on, each call after a failed one waited ~40 ms for
 *   a delayed ACK (no-delay-socket.ts).
 * The caller must `destroy()` it (disconnect() leaves GramJS's update loop running).
 */
export function createTelegramClient(options: TelegramClientOptions): TelegramClient {
  const client = new TelegramClient(new StatelessStringSession(options.session), options.apiId, options.apiHash, {
    floodSleepThreshold: 0,
    requestRetries: 2,
    connectionRetries: 3,
    autoReconnect: true,
    baseLogger: new GramJsLogBridge(options.logger),
    networkSocket: NoDelayNetSocket,
    ...(options.testDataCenter === undefined ? {} : { connection: options.testDataCenter.connection }),
  });
  routeGramJsErrors(client, options.logger);
  disableEntityCache(client);
  return client;
}

/** The test data center described by TELEGRAM_TEST_DC_* (its DCs on the given ports). */
export function testDataCenterFromConfig(config: TestDcConfig): TestDataCenter {
  return configureTestDataCenter({
    host: config.host,
    dataCenters: config.dataCenters,
    publicKeyPem: readFileSync(config.publicKeyFile, 'utf8'),
  });
}

function disableEntityCache(client: TelegramClient): void {
  // GramJS adds every reply's users and chats to this cache with no eviction.
  const cache = (client as unknown as { _entityCache: { add: (entities: unknown) => void } })._entityCache;
  cache.add = () => undefined;
}
