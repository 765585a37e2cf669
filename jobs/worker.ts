import { EventEmitter } from 'node:events';
import {
  makeWorkerUtils,
  run,
  type JobHelpers,
  type Runner,
  type WorkerEvents,
  type WorkerUtils,
} from 'graphile-worker';
import cron, { type ScheduledTask } from 'node-cron';
import pg from 'pg';
import { loadPeersFile } from '../src/app/configured-peers.ts';
import type { Runtime } from '../src/app/runtime.ts';
import { pgClientConfig } from '../src/db/connection-config.ts';
import { PeersFileError } from '../src/peers/peers-file-error.ts';
import { describeError } from '../src/observability/error-text.ts';
import { startHealthServer, type HealthServer, type Readiness } from '../src/observability/http-server.ts';
import { packageVersion } from '../src/app/package-version.ts';
import { SyncMetrics } from '../src/observability/metrics.ts';
import { QueueMetrics } from '../src/observability/queue-metrics.ts';
import { listAccountQueueStates } from '../src/queue/account-queue-states.ts';
import {
  enqueueAccountRun,
  parsePayload,
  SYNC_ACCOUNT_TASK,
  type SyncAccountPayload,
} from '../src/queue/account-jobs.ts';
import { deadWorkerSweeper } from '../src/queue/dead-workers.ts';
import { queueLogger, queueSchemaFor } from '../src/queue/queue-settings.ts';
import { findAccountById, listAccounts } from '../src/store/accounts/accounts.ts';
import { listLastSuccesses } from '../src/store/runs/last-successes.ts';
import { countPeersInBackoff, listStuckRuns } from '../src/store/runs/readiness.ts';
import { countPeersWithUnlistedErrors } from '../src/store/peers/count-unlisted-errors.ts';
import { LISTED_ERROR_CODES } from '../src/telegram/error-policy.ts';
import { tickAlreadyRan } from '../src/store/runs/tick-already-ran.ts';
import { syncAccount } from '../src/sync/sync-account.ts';

/** A run whose heartbeat is older than this while marked running makes the worker not ready. */
const STUCK_AFTER_SECONDS = 15 * 60;
/** How often graphile-worker looks for jobs whose run_at came (new jobs arrive at once by LISTEN/NOTIFY). */
const POLL_INTERVAL_MS = 1_000;

export interface Worker {
  /** The health server's port; null when HTTP_PORT=0 disabled it. */
  readonly httpPort: number | null;
  readonly metrics: SyncMetrics;
  /** Resolves when the worker has stopped. */
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  readonly runtime: Runtime;
  /** Aborted on SIGTERM/SIGINT: running syncs are interrupted and handed back to the queue, no new one starts. */
  readonly signal: AbortSignal;
}

/**
 * The long-running worker. node-cron is the clock: on every tick of SYNC_CRON (in SYNC_TIMEZONE) each
 * replica enqueues one job per active account in the PostgreSQL job queue (graphile-worker), where
 * an account has at most one job waiting and one running, whichever replica enqueued it. Every replica
 * works the queue, SYNC_ACCOUNTS_AT_ONCE accounts at a time. A run deferred by a flood wait above the
 * ceiling is enqueued again for its resume_at; a run interrupted by SIGTERM is handed back at once; the
 * account of a replica that died is taken over within SYNC_TAKEOVER_SECONDS. Serves health and metrics.
 */
export async function startWorker(options: StartWorkerOptions): Promise<Worker> {
  const { runtime, signal } = options;
  const { config, logger } = runtime;
  const metrics = new SyncMetrics({ version: packageVersion(), node: process.version });
  const schema = queueSchemaFor(runtime.databaseUrl);
  const accountsAtOnce = config.worker.accountsAtOnce;
  // The queue's own connections: graphile-worker's workers, its LISTEN connection, our enqueues and checks.
  const pool = new pg.Pool({ ...pgClientConfig(runtime.databaseUrl, 'tg-dialog-sync queue'), max: accountsAtOnce + 4 });
  pool.on('error', (error) => logger.warn({ error: describeError(error) }, 'a job queue connection failed'));
  pool.on('connect', (client) =>
    client.on('error', (error) => logger.warn({ error: describeError(error) }, 'a job queue connection failed')),
  );
  const graphileLogger = queueLogger(logger);
  let utils: WorkerUtils | null = null;
  let runner: Runner | null = null;
  try {
    utils = await makeWorkerUtils({ pgPool: pool, schema, logger: graphileLogger });
    // Nothing to do after `db migrate`, which installs the queue's schema with the project's migrations.
    await utils.migrate();
  } catch (error) {
    await Promise.resolve(utils?.release()).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
  const queue = utils;

  // graphile-worker locks jobs in the name of the worker pool (one per process): this process's own.
  const ownWorkers = new Set<string>();
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  events.on('pool:create', ({ workerPool }) => ownWorkers.add(workerPool.id));

  const peersFile = config.sync.peersFile;
  const runJob = async (rawPayload: unknown, helpers: JobHelpers): Promise<void> => {
    const job = parsePayload(rawPayload);
    const jobLogger = logger.child({ accountId: job.accountId, jobId: helpers.job.id });
    if (signal.aborted) {
      // Taken just as this replica stops: straight back to the queue for another one.
      await enqueueAccountRun(queue.addJob, { ...job, tick: null }, 'at');
      return;
    }
    const account = await findAccountById(runtime.db, job.accountId);
    if (account === null) return; // deleted since it was enqueued
    if (job.tick !== null && (await tickAlreadyRan(runtime.db, account.id, job.trigger, new Date(job.tick)))) {
      jobLogger.debug(
        { account: account.label, tick: job.tick },
        'this tick already ran for the account; nothing to do',
      );
      return;
    }
    let peersFileContent: Awaited<ReturnType<typeof loadPeersFile>>;
    try {
      peersFileContent = await loadPeersFile(peersFile, jobLogger);
    } catch (error) {
      // A damaged peers file changes nothing; retrying the job would not repair it. The next tick reads it again.
      if (!(error instanceof PeersFileError)) throw error;
      jobLogger.error(
        { account: account.label, error: error.message },
        'the peers file cannot be used; the account is not synced',
      );
      return;
    }
    const started = Date.now();
    const runFinished = metrics.startRun(account.label);
    let result: Awaited<ReturnType<typeof syncAccount>>;
    try {
      result = await syncAccount(runtime.syncDependencies, {
        account,
        settings: config.sync,
        trigger: job.trigger,
        signal,
        ...(peersFileContent === null
          ? {}
          : {
              configuredPeers: peersFileContent.peersOf(account.label),
              peerRules: peersFileContent.rulesOf(account.label),
            }),
      });
    } finally {
      runFinished();
    }
    metrics.recordRun(account.label, result, (Date.now() - started) / 1000);
    if (result.status === 'deferred' && result.resumeAt !== null) {
      // Telegram said when: run then, not at the first tick after it.
      await enqueueAccountRun(
        queue.addJob,
        { accountId: account.id, trigger: 'resume', tick: null },
        'at',
        result.resumeAt,
      );
      jobLogger.info(
        { account: account.label, resumeAt: result.resumeAt },
        'account deferred by a flood wait; its next run is queued for then',
      );
    } else if (result.status === 'interrupted') {
      // Stopped (SIGTERM) or the account lock was lost: the pass goes on elsewhere (or here) right away.
      await enqueueAccountRun(queue.addJob, { accountId: account.id, trigger: job.trigger, tick: null }, 'at');
      jobLogger.info({ account: account.label }, 'run interrupted; the account is handed back to the queue');
    }
  };

  try {
    runner = await run({
      pgPool: pool,
      schema,
      concurrency: accountsAtOnce,
      noHandleSignals: true,
      pollInterval: POLL_INTERVAL_MS,
      logger: graphileLogger,
      events,
      taskList: { [SYNC_ACCOUNT_TASK]: runJob },
    });
  } catch (error) {
    await Promise.resolve(queue.release()).catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw error;
  }
  const activeRunner = runner;

  const enqueueTick = async (trigger: string, tick: Date) => {
    if (signal.aborted) return;
    try {
      const accounts = (await listAccounts(runtime.db)).filter((account) => account.status === 'active');
      const payloads: SyncAccountPayload[] = accounts.map((account) => ({
        accountId: account.id,
        trigger,
        tick: tick.toISOString(),
      }));
      for (const payload of payloads) await enqueueAccountRun(queue.addJob, payload, 'tick');
      logger.info({ trigger, tick: tick.toISOString(), accounts: payloads.length }, 'tick: accounts enqueued');
    } catch (error) {
      logger.error({ error: describeError(error), tick: tick.toISOString() }, 'could not enqueue the tick');
    }
  };
  // Every replica enqueues every tick: the queue keeps one job per account, and a job for a tick that
  // already ran for its account does nothing. The tick's scheduled second names it (the same in all replicas).
  const task: ScheduledTask = cron.schedule(
    config.sync.cron,
    (context) => enqueueTick('cron', new Date(Math.floor(context.date.getTime() / 1000) * 1000)),
    {
      name: 'tg-dialog-sync',
      timezone: config.sync.timezone,
    },
  );

  const sweeper = deadWorkerSweeper({
    utils: queue,
    schema,
    databaseUrl: runtime.databaseUrl,
    isOwnWorker: (id) => ownWorkers.has(id),
  });
  // Two consecutive checks see a dead worker: every third of the bound, so a takeover starts within it.
  const sweepEveryMs = Math.max(500, Math.floor((config.worker.takeoverSeconds * 1000) / 3));
  let sweeping: Promise<void> | null = null;
  const sweepTimer = setInterval(() => {
    if (sweeping !== null || signal.aborted) return;
    sweeping = sweeper
      .sweep()
      .then((dead) => {
        if (dead.length > 0)
          logger.warn({ workers: dead }, 'jobs of worker processes that died were released for another replica');
      })
      .catch((error: unknown) =>
        logger.warn({ error: describeError(error) }, 'could not check for jobs of dead workers'),
      )
      .finally(() => {
        sweeping = null;
      });
  }, sweepEveryMs);

  const queueMetrics = new QueueMetrics(metrics.registry);
  let health: HealthServer | null = null;
  if (config.worker.http !== undefined) {
    try {
      health = await startHealthServer({
        host: config.worker.http.host,
        port: config.worker.http.port,
        registry: metrics.registry,
        readiness: () => readiness(runtime),
        beforeMetrics: async () => {
          for (const { accountLabel, peers } of await countPeersInBackoff(runtime.db))
            metrics.peersInBackoff.set({ account: accountLabel }, peers);
          // Reset first: a code that no peer fails with any more leaves the gauge.
          metrics.peersWithUnlistedErrors.reset();
          for (const { accountLabel, errorCode, peers } of await countPeersWithUnlistedErrors(
            runtime.db,
            LISTED_ERROR_CODES,
          )) {
            metrics.peersWithUnlistedErrors.set({ account: accountLabel, code: errorCode }, peers);
          }
          for (const { accountLabel, finishedAt } of await listLastSuccesses(runtime.db))
            metrics.recordLastSuccess(accountLabel, finishedAt);
          const queueStates = await listAccountQueueStates(runtime.db, schema);
          queueMetrics.update(queueStates);
          metrics.initialiseAccounts(queueStates.map((state) => state.label));
          metrics.databaseUp.set(1);
        },
        onMetricsRefreshFailed: (error) => {
          metrics.databaseUp.set(0);
          logger.debug({ error: describeError(error) }, 'metrics: the database-backed gauges could not be refreshed');
        },
      });
    } catch (error) {
      // Without its endpoints the worker must not run on (nobody could see it): stop the schedule and
      // the queue so the process can exit with the error.
      await task.destroy();
      clearInterval(sweepTimer);
      await activeRunner.stop();
      await Promise.resolve(queue.release()).catch(() => undefined);
      await pool.end().catch(() => undefined);
      throw error;
    }
    logger.info({ port: health.port }, 'health and metrics server listening');
  }
  logger.info(
    {
      cron: config.sync.cron,
      timezone: config.sync.timezone,
      nextRun: task.getNextRun(),
      accountsAtOnce,
      queueSchema: schema,
    },
    'worker started',
  );
  if (config.sync.runOnStart) void enqueueTick('startup', new Date());

  return {
    httpPort: health?.port ?? null,
    metrics,
    async stop() {
      await task.destroy();
      clearInterval(sweepTimer);
      await sweeping;
      // Running jobs see the stop signal, end as interrupted and hand their accounts back before this resolves.
      await activeRunner.stop();
      await Promise.resolve(queue.release()).catch(() => undefined);
      await pool.end().catch(() => undefined);
      await health?.close();
      logger.info({}, 'worker stopped');
    },
  };
}

async function readiness(runtime: Runtime): Promise<Readiness> {
  try {
    const stuck = await listStuckRuns(runtime.db, STUCK_AFTER_SECONDS);
    return {
      ready: stuck.length === 0,
      problems: stuck.map(
        (run) =>
          `account ${run.accountLabel}: run ${run.runId} has made no progress since ${run.heartbeatAt.toISOString()}`,
      ),
    };
  } catch {
    return { ready: false, problems: ['the database does not answer'] };
  }
}
