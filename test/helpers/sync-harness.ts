/**
 * What the sync integration tests share: a generated world behind the real local data center, a
 * fresh migrated database, and the job's own dependencies wired to them (real GramJS client, real
 * Prisma, real advisory locks).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { startLocalTelegramServer, type LocalTelegramServer } from 'telegram-test-server';
import { World } from 'telegram-test-server/world';
import type { SyncConfig } from '../../src/config/index.ts';
import type { AppLogger } from '../../src/observability/app-logger.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { ensureAccount, recordLogin, type AccountRecord } from '../../src/store/accounts/accounts.ts';
import type { WantedPeer } from '../../src/store/peers/reconcile-configured-peers.ts';
import { prismaExecutor } from '../../src/store/prisma-executor.ts';
import type { Sleep } from '../../src/sync/abortable-sleep.ts';
import type { SyncAccountResult, SyncDependencies } from '../../src/sync/sync-account.ts';
import { createTelegramClient } from '../../src/telegram/create-client.ts';
import { openGateway } from '../../src/telegram/gateway.ts';
import { configureTestDataCenter } from '../../src/telegram/test-data-center.ts';
import {
  connectPg,
  createTestDatabase,
  createTestDatabaseInSchema,
  createTestPrismaClient,
  type TestDatabase,
} from './database.ts';

export const TEST_SYNC_SETTINGS: SyncConfig = {
  peersFile: undefined,
  peersFileMaxRemovalPercent: 50,
  cron: '* * * * *',
  timezone: 'UTC',
  runOnStart: false,
  batchSize: 100,
  concurrency: 1,
  pauseMs: 0,
  // Tests that are about the budget set their own; the others configure more new names than a run's default.
  resolveUsername: { budgetPerRun: 10_000, intervalMs: 0 },
  callTimeoutMs: 5_000,
  floodWaitCeilingSeconds: 30,
  transientRetry: { retries: 3, baseMs: 50, maxMs: 200 },
  peerBackoff: { baseSeconds: 3600, maxSeconds: 7 * 24 * 3600 },
};

export interface SyncHarness {
  readonly world: World;
  readonly server: LocalTelegramServer;
  readonly database: TestDatabase;
  readonly prisma: ReturnType<typeof createTestPrismaClient>;
  readonly sql: pg.Client;
  readonly deps: SyncDependencies;
  /** The job's account row for a world account (created and marked logged in). */
  account(userId: bigint, label?: string): Promise<AccountRecord>;
  /** `deps` with another per-call timeout, jitter source or sleep (e.g. a short timeout for hung replies). */
  dependencies(overrides: DependencyOverrides): SyncDependencies;
  close(): Promise<void>;
}

export interface DependencyOverrides {
  readonly callTimeoutMs?: number;
  readonly random?: () => number;
  readonly sleep?: Sleep;
  readonly logger?: AppLogger;
}

export interface SyncHarnessOptions {
  readonly world: Parameters<typeof World.generate>[0];
  readonly label: string;
  /**
   * Migrate into this schema of a fresh database (DATABASE_URL's `?schema=`) instead of cloning the
   * template's `public`; every connection of the harness and the job then uses `database.url`, which
   * carries the parameter.
   */
  readonly schema?: string;
  /** The local data centers (default: DC 2 only); several for *_MIGRATE tests. */
  readonly dataCenters?: readonly number[];
}

export async function startSyncHarness(options: SyncHarnessOptions): Promise<SyncHarness> {
  const world = World.generate(options.world);
  // A real-looking api_hash (32 hex characters), so the job's configuration accepts it.
  const server = await startLocalTelegramServer({
    world,
    apiHash: randomBytes(16).toString('hex'),
    ...(options.dataCenters === undefined ? {} : { dataCenters: options.dataCenters }),
  });
  const database =
    options.schema === undefined
      ? await createTestDatabase(options.label)
      : await createTestDatabaseInSchema(options.label, options.schema);
  const prisma = createTestPrismaClient(database.url);
  // The test's own connection is the owner's: with TEST_JOB_ROLE=worker only the job runs as the worker.
  const sql = await connectPg(database.ownerUrl);
  const dataCenter = configureTestDataCenter(server.testDataCenterOptions());
  const logger = createLogger({ level: 'silent', format: 'json' });
  const dependencies = (overrides: DependencyOverrides): SyncDependencies => ({
    prisma,
    databaseUrl: database.url,
    logger: overrides.logger ?? logger,
    ...(overrides.random === undefined ? {} : { random: overrides.random }),
    ...(overrides.sleep === undefined ? {} : { sleep: overrides.sleep }),
    openGateway: async (account) => {
      if (account.telegramUserId === null) throw new Error(`account ${account.label} has no Telegram user id`);
      const client = createTelegramClient({
        session: server.sessionFor(account.telegramUserId),
        apiId: server.apiId,
        apiHash: server.apiHash,
        testDataCenter: dataCenter,
        logger: overrides.logger ?? logger,
      });
      return openGateway({ client, callTimeoutMs: overrides.callTimeoutMs ?? TEST_SYNC_SETTINGS.callTimeoutMs });
    },
  });
  const deps = dependencies({});
  const db = prismaExecutor(prisma);
  return {
    world,
    server,
    database,
    prisma,
    sql,
    deps,
    dependencies,
    async account(userId, label = `account-${userId}`) {
      const account = await ensureAccount(db, label);
      await recordLogin(db, account.id, userId);
      return { ...account, telegramUserId: userId, status: 'active', statusReason: null };
    },
    async close() {
      await sql.end().catch(() => undefined);
      await prisma.$disconnect().catch(() => undefined);
      await server.stop().catch(() => undefined);
      await database.drop().catch(() => undefined);
    },
  };
}

/** Configured peers written as their marked ids (`-100…`), as a peers file would list them. */
export function wantedPeersOfMarked(peers: readonly bigint[]): WantedPeer[] {
  return peers.map((marked) => {
    const { peerType, peerId } = peerKeyOfMarked(marked);
    return { input: String(marked), normalizedInput: `id:${peerType}:${peerId}` };
  });
}

/** (type, id) of a Bot-API marked id, as the database keys peers. */
export function peerKeyOfMarked(marked: bigint): { peerType: 'user' | 'chat' | 'channel'; peerId: bigint } {
  if (marked > 0n) return { peerType: 'user', peerId: marked };
  if (marked > -1_000_000_000_000n) return { peerType: 'chat', peerId: -marked };
  return { peerType: 'channel', peerId: -marked - 1_000_000_000_000n };
}

/** `type:id` of a marked id, as the call log and the tables name peers. */
export function peerKey(marked: bigint): string {
  const key = peerKeyOfMarked(marked);
  return `${key.peerType}:${key.peerId}`;
}

export type RanResult = Exclude<SyncAccountResult, { status: 'skipped' }>;

/** The result of a run that was not skipped and ended with `status` (its error in the message otherwise). */
export function assertRan(result: SyncAccountResult, status: RanResult['status']): RanResult {
  if (result.status === 'skipped') assert.fail(`skipped: ${result.reason}`);
  assert.equal(result.status, status, `${result.status}: ${result.errorKind} ${result.errorText}`);
  return result;
}

/**
 * The peers `userId` has a dialog with, less upgraded groups: those resolve to their supergroups
 * (and may collapse into duplicates), so leaving them out makes N configured peers N synced peers.
 */
export function syncablePeers(world: World, userId: bigint): bigint[] {
  const upgraded = new Set(world.migratedGroups().flatMap(({ chat, channel }) => [chat, channel]));
  return world.peerDialogPeers(userId).filter((marked) => !upgraded.has(marked));
}
