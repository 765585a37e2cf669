import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RunOutcome } from '../store/runs/finish-run.ts';
import type { SyncAccountResult } from '../sync/sync-account.ts';

/** Every value of tgsync_runs_total's outcome label, so each account's series exist from the start. */
const RUN_OUTCOMES: readonly (RunOutcome | 'skipped')[] = ['succeeded', 'deferred', 'failed', 'interrupted', 'skipped'];

export interface BuildInfo {
  readonly version: string;
  /** process.version, e.g. v20.20.2. */
  readonly node: string;
}

/**
 * The job's Prometheus metrics. Labels stay low-cardinality: account labels (accounts are few) and
 * outcome/kind names, never peers.
 */
export class SyncMetrics {
  readonly registry = new Registry();
  private readonly lastSuccess = new Gauge({
    name: 'tgsync_last_success_timestamp_seconds',
    help: 'Unix time of the last succeeded run, per account',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly runDuration = new Histogram({
    name: 'tgsync_run_duration_seconds',
    help: 'Duration of sync runs',
    labelNames: ['outcome'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly runs = new Counter({
    name: 'tgsync_runs_total',
    help: 'Sync runs by account and outcome',
    labelNames: ['account', 'outcome'],
    registers: [this.registry],
  });
  private readonly rows = new Counter({
    name: 'tgsync_rows_written_total',
    help: 'Rows inserted or updated, by table',
    labelNames: ['table', 'operation'],
    registers: [this.registry],
  });
  private readonly apiCalls = new Counter({
    name: 'tgsync_api_calls_total',
    help: 'Telegram API calls made, by account',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly floodWaitSeconds = new Counter({
    name: 'tgsync_flood_wait_seconds_total',
    help: 'Seconds of flood wait Telegram asked for',
    registers: [this.registry],
  });
  private readonly peersSynced = new Counter({
    name: 'tgsync_peers_synced_total',
    help: 'Peers synced',
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'tgsync_errors_total',
    help: 'Run-ending errors and peer failures, by account and kind',
    labelNames: ['account', 'kind'],
    registers: [this.registry],
  });
  /** This process's runs only; the database's view across replicas is tgsync_account_queue_state. */
  private readonly runInProgress = new Gauge({
    name: 'tgsync_run_in_progress',
    help: 'Whether this process is syncing the account right now (1) or not (0)',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly buildInfo = new Gauge({
    name: 'tgsync_build_info',
    help: 'Always 1; the labels say which version runs on which Node',
    labelNames: ['version', 'node'],
    registers: [this.registry],
  });
  /** 1 when the last /metrics scrape could read the database-backed gauges, 0 when the database failed. */
  readonly databaseUp = new Gauge({
    name: 'tgsync_database_up',
    help: 'Whether the database answered when these metrics were collected (1) or not (0)',
    registers: [this.registry],
  });
  readonly peersInBackoff = new Gauge({
    name: 'tgsync_peers_in_backoff',
    help: 'Configured peers skipped until their backoff expires',
    labelNames: ['account'],
    registers: [this.registry],
  });
  /** Telegram's error texts are a bounded set, so a code label stays low-cardinality. */
  readonly peersWithUnlistedErrors = new Gauge({
    name: 'tgsync_peers_unlisted_error',
    help: 'Configured peers whose last attempt failed with a Telegram error this job does not list (isolated to the peer), by account and error code',
    labelNames: ['account', 'code'],
    registers: [this.registry],
  });

  constructor(build: BuildInfo) {
    // prom-client's default metrics already start with process_/nodejs_: the prefix is only ours
    // (tgsync_process_process_cpu_seconds_total before).
    collectDefaultMetrics({ register: this.registry, prefix: 'tgsync_' });
    this.buildInfo.set({ version: build.version, node: build.node }, 1);
  }

  /**
   * Creates every account's series at 0, so `rate()`/`increase()` see the first run and a quiet
   * account shows 0 instead of no data. Idempotent: counters are only increased by 0.
   */
  initialiseAccounts(accounts: readonly string[]): void {
    for (const account of accounts) {
      for (const outcome of RUN_OUTCOMES) this.runs.inc({ account, outcome }, 0);
      this.errors.inc({ account, kind: 'peer' }, 0);
      this.apiCalls.inc({ account }, 0);
      if (!this.running.has(account)) this.runInProgress.set({ account }, 0);
    }
  }

  private readonly running = new Set<string>();

  /** Marks the account's run in progress until the returned function is called (in a `finally`). */
  startRun(account: string): () => void {
    this.running.add(account);
    this.runInProgress.set({ account }, 1);
    return () => {
      this.running.delete(account);
      this.runInProgress.set({ account }, 0);
    };
  }

  /** The last success as sync_runs records it (it survives restarts; a newer in-process value wins). */
  recordLastSuccess(account: string, finishedAt: Date): void {
    const seconds = finishedAt.getTime() / 1000;
    const current = this.lastSuccessSeconds.get(account) ?? 0;
    if (seconds <= current) return;
    this.lastSuccessSeconds.set(account, seconds);
    this.lastSuccess.set({ account }, seconds);
  }

  private readonly lastSuccessSeconds = new Map<string, number>();

  recordRun(account: string, result: SyncAccountResult, durationSeconds: number): void {
    if (result.status === 'skipped') {
      this.runs.inc({ account, outcome: 'skipped' });
      return;
    }
    this.runs.inc({ account, outcome: result.status });
    this.runDuration.observe({ outcome: result.status }, durationSeconds);
    if (result.status === 'succeeded') {
      this.lastSuccessSeconds.set(account, Date.now() / 1000);
      this.lastSuccess.set({ account }, Date.now() / 1000);
    }
    if (result.errorKind !== null) this.errors.inc({ account, kind: result.errorKind });
    const counters = result.counters;
    if (counters.peersFailed > 0) this.errors.inc({ account, kind: 'peer' }, counters.peersFailed);
    this.apiCalls.inc({ account }, counters.apiCalls);
    this.floodWaitSeconds.inc(counters.floodWaitSeconds);
    this.peersSynced.inc(counters.peersSynced);
    for (const [table, inserted, updated] of [
      ['dialogs', counters.dialogsInserted, counters.dialogsUpdated],
      ['messages', counters.messagesInserted, counters.messagesUpdated],
      ['users', counters.usersInserted, counters.usersUpdated],
      ['chats', counters.chatsInserted, counters.chatsUpdated],
      ['channels', counters.channelsInserted, counters.channelsUpdated],
    ] as const) {
      this.rows.inc({ table, operation: 'insert' }, inserted);
      this.rows.inc({ table, operation: 'update' }, updated);
    }
  }
}
