/**
 * `npm run bench -- --only firstsync`: the first sync of 3 accounts × 600 configured usernames, most of
 * them in each account's dialogs, with latency added to every call of the local data center (as
 * against Telegram), client and data center in this process. Reports every call by method from the
 * data center's call log, resolveUsername calls beside the names neither stored nor in the account's
 * dialogs (the least any job can ask for), and the wall time beside its lower bound (calls × latency).
 * The job runs with production's resolve settings (SYNC_RESOLVE_USERNAME_BUDGET, _INTERVAL_MS defaults).
 */
import { randomBytes } from 'node:crypto';
import { startLocalTelegramServer } from 'telegram-test-server';
import { World } from 'telegram-test-server/world';
import { createPrismaClient } from '../src/db/prisma-client.ts';
import { createLogger } from '../src/observability/logger.ts';
import { OPTIONS } from '../src/config/options.ts';
import { syncAccount, type SyncDependencies } from '../src/sync/sync-account.ts';
import { createTelegramClient } from '../src/telegram/create-client.ts';
import { openGateway } from '../src/telegram/gateway.ts';
import { configureTestDataCenter } from '../src/telegram/test-data-center.ts';
import { peerKeyOfMarked, TEST_SYNC_SETTINGS } from '../test/helpers/sync-harness.ts';
import { createAccountRow, type BenchServer } from './common.ts';

export interface FirstSyncFigures {
  accounts: number;
  peersPerAccount: number;
  latencyMs: number;
  /** Calls by method, all accounts, as the data center logged them. */
  callsByMethod: Record<string, number>;
  calls: number;
  resolveUsernameCalls: number;
  /**
   * Configured usernames outside the accounts' dialogs: the most resolveUsername calls a first sync
   * needs (fewer when a dialog page brought the peer anyway, e.g. as a message's sender).
   */
  usernamesOutsideDialogs: number;
  /** resolveUsername calls for names that were in the account's dialogs: 0 when the job asks only for the rest. */
  resolveUsernameCallsForDialogNames: number;
  wallSeconds: number;
  /** calls × latency: what the calls alone cost one after another. */
  lowerBoundSeconds: number;
  statuses: string[];
}

export async function benchFirstSync(options: {
  server: BenchServer;
  accounts: number;
  peersPerAccount: number;
  latencyMs: number;
  log: (line: string) => void;
}): Promise<FirstSyncFigures> {
  const { accounts, peersPerAccount, latencyMs } = options;
  // ~830 dialogs per account (9 pages of getDialogs), as in the measurement (8).
  const world = World.generate({ seed: 'bench-first-sync', peers: 1_000, accounts, botAccounts: 0, dialogRatio: 0.8 });
  const telegram = await startLocalTelegramServer({ world, apiHash: randomBytes(16).toString('hex') });
  const database = await options.server.fresh('firstsync');
  const prisma = createPrismaClient(database.url, { applicationName: 'bench-first-sync', maxConnections: 4 });
  const dataCenter = configureTestDataCenter(telegram.testDataCenterOptions());
  const logger = createLogger({ level: 'silent', format: 'json' });
  const settings = {
    ...TEST_SYNC_SETTINGS,
    callTimeoutMs: 30_000,
    resolveUsername: {
      budgetPerRun: Number(OPTIONS.SYNC_RESOLVE_USERNAME_BUDGET.default),
      intervalMs: Number(OPTIONS.SYNC_RESOLVE_USERNAME_INTERVAL_MS.default),
    },
  };
  const deps: SyncDependencies = {
    prisma,
    databaseUrl: database.url,
    logger,
    openGateway: async (account) => {
      const client = createTelegramClient({
        session: telegram.sessionFor(account.telegramUserId!),
        apiId: telegram.apiId,
        apiHash: telegram.apiHash,
        testDataCenter: dataCenter,
        logger,
      });
      return openGateway({ client, callTimeoutMs: settings.callTimeoutMs });
    },
  };
  try {
    // What the issue measured: ~610 peers per account, ~40 of them not among the account's dialogs:
    // the dialogs' peers by username where they have one (else by id), the others by username.
    const plans = world.userAccounts.slice(0, accounts).map((account) => {
      const dialogs = world.peerDialogPeers(account.userId);
      const inDialogs = new Set(dialogs);
      const usernameOf = (marked: bigint) => world.usernamesOf(marked).find((entry) => entry.active)?.username;
      const outside = Math.round(peersPerAccount * 0.07);
      const byName = (username: string) => ({
        input: `@${username}`,
        normalizedInput: `username:${username.toLowerCase()}`,
      });
      const byId = (marked: bigint) => {
        const { peerType, peerId } = peerKeyOfMarked(marked);
        return { input: String(marked), normalizedInput: `id:${peerType}:${peerId}` };
      };
      const known = dialogs.slice(0, peersPerAccount - outside).map((marked) => {
        const username = usernameOf(marked);
        return username === undefined ? byId(marked) : byName(username);
      });
      const elsewhere = world.allPeers
        .filter((peer) => peer.kind !== 'chat' && !(peer.kind === 'user' && peer.accountIndex !== null))
        .map((peer) => world.markedIdOf(peer))
        .filter(
          (marked) =>
            !inDialogs.has(marked) &&
            world.peerDialogOutcome(account.userId, marked) === 'omitted' &&
            usernameOf(marked) !== undefined,
        )
        .slice(0, outside)
        .map((marked) => byName(usernameOf(marked)!));
      const dialogNames = new Set(
        known
          .filter((peer) => peer.input.startsWith('@'))
          .map((peer) => peer.normalizedInput.slice('username:'.length)),
      );
      return { account, wanted: [...known, ...elsewhere], outsideDialogs: elsewhere.length, dialogNames };
    });
    const records = [];
    for (const plan of plans) {
      const id = await createAccountRow(database.url, `bench-${plan.account.userId}`, plan.account.userId);
      records.push({
        id,
        label: `bench-${plan.account.userId}`,
        telegramUserId: plan.account.userId,
        status: 'active' as const,
        statusReason: null,
      });
    }
    telegram.faults.latency(latencyMs);
    const before = telegram.callLog.entries().length;
    const started = performance.now();
    const statuses: string[] = [];
    for (const [index, plan] of plans.entries()) {
      const result = await syncAccount(deps, {
        account: records[index]!,
        settings,
        trigger: 'bench',
        configuredPeers: plan.wanted,
      });
      statuses.push(result.status);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const calls = telegram.callLog.entries().slice(before);
    const callsByMethod: Record<string, number> = {};
    for (const call of calls) callsByMethod[call.method] = (callsByMethod[call.method] ?? 0) + 1;
    const figures: FirstSyncFigures = {
      accounts,
      peersPerAccount,
      latencyMs,
      callsByMethod,
      calls: calls.length,
      resolveUsernameCalls: callsByMethod['contacts.ResolveUsername'] ?? 0,
      usernamesOutsideDialogs: plans.reduce((sum, plan) => sum + plan.outsideDialogs, 0),
      resolveUsernameCallsForDialogNames: calls.filter((call) => {
        if (call.method !== 'contacts.ResolveUsername') return false;
        const plan = plans.find((candidate) => candidate.account.userId === call.accountUserId);
        return plan?.dialogNames.has((call.request as { username: string }).username.toLowerCase()) ?? false;
      }).length,
      wallSeconds,
      lowerBoundSeconds: (calls.length * latencyMs) / 1000,
      statuses,
    };
    options.log(`  first sync: ${fmtCalls(callsByMethod)}; ${wallSeconds.toFixed(1)} s`);
    return figures;
  } finally {
    await prisma.$disconnect().catch(() => undefined);
    await telegram.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
}

export function fmtCalls(callsByMethod: Record<string, number>): string {
  return Object.entries(callsByMethod)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([method, count]) => `${method} ${count}`)
    .join(', ');
}
