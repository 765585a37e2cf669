/**
 * The job side of the end-to-end benchmark, run by bench/run.ts in a CHILD process so that its peak RSS
 * is its own: `node --expose-gc --import tsx bench/e2e-job.ts <plan.json>`. The parent runs the local
 * data center and the database; the plan says what to do:
 *  - mode "job": syncAccount for every account in turn (real GramJS client, real Prisma), `runs` times
 *    in this one process, the post-GC heap after each run;
 *  - mode "bare": the same getPeerDialogs calls through a bare GramJS client, one in flight, no database.
 * Prints one JSON line with the figures.
 */
import { readFileSync } from 'node:fs';
import { Api } from 'telegram';
import { parsePeerSpec } from '../src/peers/parse-peer-spec.ts';
import { createPrismaClient } from '../src/db/prisma-client.ts';
import { createLogger } from '../src/observability/logger.ts';
import type { AccountRecord } from '../src/store/accounts/accounts.ts';
import { syncAccount, type SyncDependencies } from '../src/sync/sync-account.ts';
import { createTelegramClient } from '../src/telegram/create-client.ts';
import { openGateway } from '../src/telegram/gateway.ts';
import { configureTestDataCenter, type TestDataCenterOptions } from '../src/telegram/test-data-center.ts';
import type { SyncConfig } from '../src/config/index.ts';
import { TEST_SYNC_SETTINGS } from '../test/helpers/sync-harness.ts';
import bigInt from 'big-integer';

export interface E2ePlan {
  mode: 'job' | 'bare';
  databaseUrl: string;
  dataCenter: TestDataCenterOptions;
  apiId: number;
  apiHash: string;
  runs: number;
  accounts: {
    accountId: number;
    label: string;
    userId: string;
    session: string;
    /** "job": the configured peers, as marked ids. */
    peers: string[];
    /** "bare": the peers to request, as [type, id, access hash]. */
    inputPeers: [string, string, string][];
  }[];
}

export interface E2eRunFigures {
  wallMs: number;
  peersSynced: number;
  apiCalls: number;
  heapAfterGcMb: number;
  statuses: string[];
}

export interface E2eOutput {
  mode: 'job' | 'bare';
  runs: E2eRunFigures[];
  /** process.resourceUsage().maxRSS, MB, at the end and before any work (baseline after imports). */
  maxRssMb: number;
  baselineRssMb: number;
}

/** The tests' sync settings, with production's call deadline and a gentler transient backoff. */
const SETTINGS: SyncConfig = {
  ...TEST_SYNC_SETTINGS,
  callTimeoutMs: 30_000,
  floodWaitCeilingSeconds: 300,
  transientRetry: { retries: 3, baseMs: 200, maxMs: 2000 },
};

const gc = (globalThis as { gc?: () => void }).gc;
const heapAfterGc = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const plan = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as E2ePlan;
const baselineRssMb = process.resourceUsage().maxRSS / 1024;
const dataCenter = configureTestDataCenter(plan.dataCenter);
const logger = createLogger({ level: 'silent', format: 'json' });
const runs: E2eRunFigures[] = [];

if (plan.mode === 'job') {
  const prisma = createPrismaClient(plan.databaseUrl, { applicationName: 'bench-e2e-job', maxConnections: 4 });
  const sessions = new Map(plan.accounts.map((account) => [account.userId, account.session]));
  const deps: SyncDependencies = {
    prisma,
    databaseUrl: plan.databaseUrl,
    logger,
    openGateway: async (account) => {
      const client = createTelegramClient({
        session: sessions.get(String(account.telegramUserId)) as string,
        apiId: plan.apiId,
        apiHash: plan.apiHash,
        testDataCenter: dataCenter,
        logger,
      });
      return openGateway({ client, callTimeoutMs: SETTINGS.callTimeoutMs });
    },
  };
  const wanted = plan.accounts.map((account) =>
    account.peers.map((marked) => {
      const parsed = parsePeerSpec(marked);
      if (!parsed.ok) throw new Error(`cannot parse ${marked}`);
      return { input: marked, normalizedInput: parsed.spec.normalized };
    }),
  );
  // Prisma's first transaction in a process costs ~0.75 s (its query engine starting up): a cost a
  // long-running worker pays once, not part of a run's throughput, so paid before the clock starts.
  await prisma.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1'));
  for (let run = 0; run < plan.runs; run += 1) {
    const started = performance.now();
    let peersSynced = 0;
    let apiCalls = 0;
    const statuses: string[] = [];
    for (const [index, account] of plan.accounts.entries()) {
      const record: AccountRecord = {
        id: account.accountId,
        label: account.label,
        telegramUserId: BigInt(account.userId),
        status: 'active',
        statusReason: null,
      } as AccountRecord;
      const result = await syncAccount(deps, {
        account: record,
        settings: SETTINGS,
        trigger: 'bench',
        configuredPeers: wanted[index] ?? [],
      });
      statuses.push(
        result.status === 'skipped'
          ? `skipped: ${result.reason}`
          : result.status === 'succeeded'
            ? 'succeeded'
            : `${result.status}: ${result.errorText}`,
      );
      if (result.status !== 'skipped') {
        peersSynced += result.counters.peersSynced;
        apiCalls += result.counters.apiCalls;
      }
    }
    runs.push({
      wallMs: performance.now() - started,
      peersSynced,
      apiCalls,
      heapAfterGcMb: heapAfterGc(),
      statuses: [...new Set(statuses)],
    });
  }
  await prisma.$disconnect();
} else {
  for (let run = 0; run < plan.runs; run += 1) {
    const started = performance.now();
    let peersSynced = 0;
    let apiCalls = 0;
    for (const account of plan.accounts) {
      const client = createTelegramClient({
        session: account.session,
        apiId: plan.apiId,
        apiHash: plan.apiHash,
        testDataCenter: dataCenter,
        logger,
      });
      await client.connect();
      const inputPeers = account.inputPeers.map(([type, id, hash]) => {
        const big = bigInt(id);
        if (type === 'user') return new Api.InputPeerUser({ userId: big, accessHash: bigInt(hash) });
        if (type === 'chat') return new Api.InputPeerChat({ chatId: big });
        return new Api.InputPeerChannel({ channelId: big, accessHash: bigInt(hash) });
      });
      for (let start = 0; start < inputPeers.length; start += 100) {
        const reply = await client.invoke(
          new Api.messages.GetPeerDialogs({
            peers: inputPeers.slice(start, start + 100).map((peer) => new Api.InputDialogPeer({ peer })),
          }),
        );
        apiCalls += 1;
        peersSynced += reply.dialogs.length;
      }
      await client.destroy();
    }
    runs.push({
      wallMs: performance.now() - started,
      peersSynced,
      apiCalls,
      heapAfterGcMb: heapAfterGc(),
      statuses: ['done'],
    });
  }
}

const output: E2eOutput = { mode: plan.mode, runs, maxRssMb: process.resourceUsage().maxRSS / 1024, baselineRssMb };
process.stdout.write(`${JSON.stringify(output)}\n`);
process.exit(0);
