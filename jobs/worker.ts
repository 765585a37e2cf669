import { hostname } from 'node:os';
import cron, { type ScheduledTask } from 'node-cron';
import type { Runtime } from '../src/app/runtime.ts';
import { syncNow } from '../src/app/sync-now.ts';
import { startHealthServer, type HealthServer, type Readiness } from '../src/observability/http-server.ts';
import { describeError } from '../src/observability/error-text.ts';
import { SyncMetrics } from '../src/observability/metrics.ts';
import { listLastSuccesses } from '../src/store/runs/last-successes.ts';
import { countPeersInBackoff, listStuckRuns } from '../src/store/runs/readiness.ts';
import { countPeersWithUnlistedErrors } from '../src/store/peers/count-unlisted-errors.ts';
import { LISTED_ERROR_CODES } from '../src/telegram/classify-error.ts';
import { postgresRunCoordinator } from './postgres-run-coordinator.ts';

/** A run whose heartbeat is older than this while marked running makes the worker not ready. */
const STUCK_AFTER_SECONDS = 15 * 60;

export interface Worker {
  /** The health server's port; null when HTTP_PORT=0 disabled it. */
  readonly httpPort: number | null;
  readonly metrics: SyncMetrics;
  /** Resolves when the worker has stopped. */
  stop(): Promise<void>;
}

export interface StartWorkerOptions {
  readonly runtime: Runtime;
  /** Aborted on SIGTERM/SIGINT: the current run is interrupted, no new tick starts. */
  readonly signal: AbortSignal;
}

/**
 * The long-running worker: syncs every account on SYNC_CRON (in SYNC_TIMEZONE), never overlapping
 * itself (a tick that finds the previous run still going is skipped, not queued), once per tick across
 * all replicas (PostgreSQL run coordinator), optionally once at start-up, and serves health and metrics.
 */
export async function startWorker(options: StartWorkerOptions): Promise<Worker> {
  const { runtime, signal } = options;
  const { config, logger } = runtime;
  const workerName = `${hostname()}:${process.pid}`;
  const metrics = new SyncMetrics();
  let current: Promise<void> | null = null;

  const runAll = async (trigger: string) => {
    if (signal.aborted) return;
    const started = Date.now();
    logger.info({ trigger }, 'scheduled sync starting');
    try {
      const results = await syncNow(runtime, { trigger, signal });
      for (const { account, result } of results) metrics.recordRun(account, result, (Date.now() - started) / 1000);
    } catch (error) {
      logger.error({ err: error }, 'scheduled sync failed');
    }
  };
  const tracked = (trigger: string) => {
    current = runAll(trigger).finally(() => {
      current = null;
    });
    return current;
  };

  const task: ScheduledTask = cron.schedule(config.sync.cron, () => tracked('cron'), {
    name: 'tg-dialog-sync',
    timezone: config.sync.timezone,
    noOverlap: true,
    distributed: true,
    runCoordinator: postgresRunCoordinator(runtime.db, workerName),
  });
  task.on('execution:overlap', (context) => logger.warn({ tick: context.date.toISOString() }, 'the previous sync is still running; skipping this tick'));
  task.on('execution:started', (context) => logger.info({ tick: context.date.toISOString(), worker: workerName }, 'tick claimed by this worker'));
  task.on('execution:skipped', (context) =>
    logger.debug({ tick: context.date.toISOString(), reason: context.reason, error: context.error?.message }, 'tick left to another replica'),
  );

  let health: HealthServer | null = null;
  if (config.worker.http !== undefined) {
    try {
      health = await startHealthServer({
        host: config.worker.http.host,
        port: config.worker.http.port,
        registry: metrics.registry,
        readiness: () => readiness(runtime),
        beforeMetrics: async () => {
          for (const { accountLabel, peers } of await countPeersInBackoff(runtime.db)) metrics.peersInBackoff.set({ account: accountLabel }, peers);
          // Reset first: a code that no peer fails with any more leaves the gauge.
          metrics.peersWithUnlistedErrors.reset();
          for (const { accountLabel, errorCode, peers } of await countPeersWithUnlistedErrors(runtime.db, LISTED_ERROR_CODES)) {
            metrics.peersWithUnlistedErrors.set({ account: accountLabel, code: errorCode }, peers);
          }
          for (const { accountLabel, finishedAt } of await listLastSuccesses(runtime.db)) metrics.recordLastSuccess(accountLabel, finishedAt);
          metrics.databaseUp.set(1);
        },
        onMetricsRefreshFailed: (error) => {
          metrics.databaseUp.set(0);
          logger.debug({ error: describeError(error) }, 'metrics: the database-backed gauges could not be refreshed');
        },
      });
    } catch (error) {
      // Without its endpoints the worker must not run on (nobody could see it): stop the schedule so
      // the process can exit with the error.
      await task.destroy();
      throw error;
    }
    logger.info({ port: health.port }, 'health and metrics server listening');
  }
  logger.info({ cron: config.sync.cron, timezone: config.sync.timezone, nextRun: task.getNextRun() }, 'worker started');
  if (config.sync.runOnStart) void tracked('startup');

  return {
    httpPort: health?.port ?? null,
    metrics,
    async stop() {
      await task.destroy();
      if (current !== null) await current;
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
      problems: stuck.map((run) => `account ${run.accountLabel}: run ${run.runId} has made no progress since ${run.heartbeatAt.toISOString()}`),
    };
  } catch {
    return { ready: false, problems: ['the database does not answer'] };
  }
}
