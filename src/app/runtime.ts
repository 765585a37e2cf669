import { asError } from '../errors/app-error.ts';
import { resolve } from 'node:path';
import type { Config } from '../config/index.ts';
import { configSecretValues } from '../config/index.ts';
import { DEFAULT_EMBEDDED_DATA_DIR, DEFAULT_EMBEDDED_PORT } from '../config/embedded-postgres-defaults.ts';
import { resolveDatabase } from '../db/connect.ts';
import { createPrismaClient, type PrismaClient } from '../db/prisma-client.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { SecretRegistry } from '../observability/secret-registry.ts';
import { databaseSessionStore, keyRingFromConfig } from '../sessions/database-session-store.ts';
import { fileSessionStore } from '../sessions/file-session-store.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { AccountRecord } from '../store/accounts/accounts.ts';
import { prismaExecutor } from '../store/prisma-executor.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import { NoSessionError } from '../sync/run-errors.ts';
import type { SyncDependencies } from '../sync/sync-account.ts';
import { createTelegramClient, testDataCenterFromConfig } from '../telegram/create-client.ts';
import { openGateway, type TelegramGateway } from '../telegram/gateway.ts';

/** Everything a command needs, wired once from the configuration. */
export interface Runtime {
  readonly config: Config;
  readonly logger: Logger;
  readonly secrets: SecretRegistry;
  readonly databaseUrl: string;
  readonly prisma: PrismaClient;
  readonly db: SqlExecutor;
  readonly sessions: SessionStore;
  readonly syncDependencies: SyncDependencies;
  close(): Promise<void>;
}

export interface OpenRuntimeOptions {
  /** Where logs go (default stdout). */
  readonly logger?: Logger;
  readonly secrets?: SecretRegistry;
}

export async function openRuntime(config: Config, options: OpenRuntimeOptions = {}): Promise<Runtime> {
  const secrets = options.secrets ?? new SecretRegistry();
  secrets.addAll(configSecretValues(config));
  const logger =
    options.logger ??
    createLogger({
      level: config.log.level,
      format: config.log.format,
      production: config.production,
      secrets,
      base: { service: 'tg-dialog-sync' },
    });
  for (const warning of config.warnings) logger.warn({}, warning);
  const database = await resolveDatabase({
    databaseUrl: config.database.kind === 'external' ? config.database.url : undefined,
    production: config.production,
    embedded:
      config.database.kind === 'embedded'
        ? { dataDir: config.database.dataDir, port: config.database.port }
        : { dataDir: resolve(DEFAULT_EMBEDDED_DATA_DIR), port: DEFAULT_EMBEDDED_PORT },
    logger,
  });
  const prisma = createPrismaClient(database.url, { applicationName: 'tg-dialog-sync' });
  const db = prismaExecutor(prisma);
  const encryption = config.telegram.sessionEncryption;
  const sessions =
    encryption === undefined
      ? fileSessionStore(config.telegram.sessionDir)
      : databaseSessionStore(db, keyRingFromConfig(encryption));
  const testDataCenter =
    config.telegram.testDc === undefined ? undefined : testDataCenterFromConfig(config.telegram.testDc);

  const openAccountGateway = async (account: AccountRecord): Promise<TelegramGateway> => {
    const session = await sessions.load(account.label, account.id);
    if (session === null) throw new NoSessionError(account.label, sessions.location(account.label));
    secrets.add(session);
    const client = createTelegramClient({
      session,
      apiId: config.telegram.apiId,
      apiHash: config.telegram.apiHash,
      ...(testDataCenter === undefined ? {} : { testDataCenter }),
      logger,
    });
    return openGateway({
      client,
      callTimeoutMs: config.sync.callTimeoutMs,
      // After a move to another data center (303 *_MIGRATE): the next run starts there.
      onSessionChanged: async (moved) => {
        secrets.add(moved);
        await sessions
          .save(account.label, account.id, moved)
          .catch((error: unknown) =>
            logger.warn(
              { account: account.label, error: asError(error).message },
              'could not store the session after moving to another data center',
            ),
          );
      },
    });
  };

  return {
    config,
    logger,
    secrets,
    databaseUrl: database.url,
    prisma,
    db,
    sessions,
    syncDependencies: { prisma, databaseUrl: database.url, openGateway: openAccountGateway, logger },
    async close() {
      await prisma.$disconnect().catch(() => undefined);
      await database.stop();
    },
  };
}
