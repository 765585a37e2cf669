/**
 * `npm run bench -- --only bisect`: how many Telegram calls a sync spends, by method, counted in the
 * local data center's call log (counts, not times: they do not depend on the machine). One account
 * with N configured peers (numeric ids, so resolution is one scan of its dialog list), k of them
 * channels it was kicked from (CHANNEL_PRIVATE), through the job's own syncAccount in this process:
 *  1. the first sync: getPeerDialogs calls against ⌈N/100⌉ + k·(⌈log₂ 100⌉ + 1), and the sizes of
 *     its calls in order (`!` failed), as issue 14 printed them;
 *  2. an unchanged re-sync (the k in backoff);
 *  3. a run after their backoff ended, still bad: against ⌈N/100⌉ + k.
 */
import { randomBytes } from 'node:crypto';
import { startLocalTelegramServer } from 'telegram-test-server';
import { World } from 'telegram-test-server/world';
import { parsePeerSpec } from '../src/peers/parse-peer-spec.ts';
import { createPrismaClient } from '../src/db/prisma-client.ts';
import { createLogger } from '../src/observability/logger.ts';
import type { AccountRecord } from '../src/store/accounts/accounts.ts';
import { syncAccount } from '../src/sync/sync-account.ts';
import { createTelegramClient } from '../src/telegram/create-client.ts';
import { openGateway } from '../src/telegram/gateway.ts';
import { configureTestDataCenter } from '../src/telegram/test-data-center.ts';
import { TEST_SYNC_SETTINGS } from '../test/helpers/sync-harness.ts';
import { connectPg, type BenchServer } from './common.ts';

export interface BisectRunFigures {
  status: string;
  peersSynced: number;
  peersFailed: number;
  /** Calls by method (GramJS class names, as the data center logs them). */
  callsByMethod: Record<string, number>;
  getPeerDialogs: number;
  /** Peers per getPeerDialogs call, in order; `!` marks a failed call. */
  callSizes: string;
}

export interface BisectScenario {
  peers: number;
  bad: number;
  firstSync: BisectRunFigures & { bound: number; lowerBound: number };
  unchangedResync: BisectRunFigures & { bound: number };
  afterBackoff: BisectRunFigures & { bound: number };
}

export interface BisectFigures {
  scenarios: BisectScenario[];
}

export async function benchBisectCalls(
  server: BenchServer,
  options: { scenarios: readonly { peers: number; bad: number }[]; log: (line: string) => void },
): Promise<BisectFigures> {
  const scenarios: BisectScenario[] = [];
  for (const scenario of options.scenarios)
    scenarios.push(await runScenario(server, scenario.peers, scenario.bad, options.log));
  return { scenarios };
}

async function runScenario(
  server: BenchServer,
  count: number,
  bad: number,
  log: (line: string) => void,
): Promise<BisectScenario> {
  const world = World.generate({
    seed: `bench-bisect-${count}-${bad}`,
    peers: Math.max(2_000, count * 3),
    accounts: 1,
    botAccounts: 0,
    resolveFlood: { freeCalls: 1_000_000 },
  });
  const telegram = await startLocalTelegramServer({ world, apiHash: randomBytes(16).toString('hex') });
  const database = await server.fresh('bisect');
  const prisma = createPrismaClient(database.url, { applicationName: 'bench-bisect', maxConnections: 4 });
  const sql = await connectPg(database.url);
  try {
    const me = world.userAccounts[0]!.userId;
    const upgraded = new Set(world.migratedGroups().flatMap(({ chat, channel }) => [chat, channel]));
    const peers = world
      .peerDialogPeers(me)
      .filter((marked) => !upgraded.has(marked))
      .slice(0, count);
    if (peers.length < count) throw new Error(`the world has only ${peers.length} dialog peers for ${count}`);
    // The bad ones: channels spread over the list, as private channels are in real lists.
    const channels = peers.filter((marked) => marked < -1_000_000_000_000n);
    const kicked = Array.from(
      { length: bad },
      (_, index) => channels[Math.floor(((index + 0.5) * channels.length) / bad)]!,
    );
    for (const marked of kicked) world.kickAccount(me, marked);

    const { rows } = await sql.query<{ id: number }>(
      `INSERT INTO accounts (label, telegram_user_id, status, last_login_at) VALUES ('bench-bisect', $1, 'active', now()) RETURNING id`,
      [me.toString()],
    );
    const account = {
      id: rows[0]!.id,
      label: 'bench-bisect',
      telegramUserId: me,
      status: 'active',
      statusReason: null,
    } as AccountRecord;
    const logger = createLogger({ level: 'silent', format: 'json' });
    const dataCenter = configureTestDataCenter(telegram.testDataCenterOptions());
    const deps = {
      prisma,
      databaseUrl: database.url,
      logger,
      openGateway: async () =>
        openGateway({
          client: createTelegramClient({
            session: telegram.sessionFor(me),
            apiId: telegram.apiId,
            apiHash: telegram.apiHash,
            testDataCenter: dataCenter,
            logger,
          }),
          callTimeoutMs: 30_000,
        }),
    };
    const configuredPeers = peers.map((marked) => {
      const parsed = parsePeerSpec(String(marked));
      if (!parsed.ok) throw new Error(`cannot parse ${marked}`);
      return { input: String(marked), normalizedInput: parsed.spec.normalized };
    });
    const run = async (): Promise<BisectRunFigures> => {
      const before = telegram.callLog.entries().length;
      const result = await syncAccount(deps, {
        account,
        settings: TEST_SYNC_SETTINGS,
        trigger: 'bench',
        configuredPeers,
      });
      if (result.status === 'skipped') throw new Error(result.reason);
      const calls = telegram.callLog.entries().slice(before);
      const callsByMethod: Record<string, number> = {};
      for (const call of calls) callsByMethod[call.method] = (callsByMethod[call.method] ?? 0) + 1;
      const peerDialogs = calls.filter((call) => call.method === 'messages.GetPeerDialogs');
      return {
        status: result.status,
        peersSynced: result.counters.peersSynced,
        peersFailed: result.counters.peersFailed,
        callsByMethod,
        getPeerDialogs: peerDialogs.length,
        callSizes: peerDialogs
          .map((call) => `${call.peers?.length ?? 0}${call.outcome.kind === 'ok' ? '' : '!'}`)
          .join(' '),
      };
    };
    const batches = Math.ceil(count / 100);
    log(`bisect: first sync of ${count} peers, ${bad} of them channels the account was kicked from…`);
    const first = await run();
    log(`  ${first.getPeerDialogs} getPeerDialogs calls: ${first.callSizes}`);
    const resync = await run();
    // Their backoff ends (the database's clock: move the deadline rather than wait an hour).
    await sql.query(
      `UPDATE configured_peers SET next_attempt_at = now() - interval '1 second' WHERE status = 'failing'`,
    );
    const later = await run();
    log(`  after the backoff: ${later.getPeerDialogs} getPeerDialogs calls: ${later.callSizes}`);
    return {
      peers: count,
      bad,
      firstSync: {
        ...first,
        bound: batches + bad * (Math.ceil(Math.log2(100)) + 1),
        lowerBound: Math.ceil((count - bad) / 100) + bad,
      },
      unchangedResync: { ...resync, bound: Math.ceil((count - bad) / 100) },
      afterBackoff: { ...later, bound: batches + bad },
    };
  } finally {
    await sql.end().catch(() => undefined);
    await prisma.$disconnect().catch(() => undefined);
    await telegram.stop().catch(() => undefined);
    await database.drop().catch(() => undefined);
  }
}
