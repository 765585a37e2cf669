/** The typed, frozen result of `loadConfig`. Paths are absolute; durations carry their unit in the name. */
import type { LOG_FORMATS, LOG_LEVELS, NODE_ENVS } from './options.ts';

export type NodeEnv = (typeof NODE_ENVS)[number];
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface Config {
  /** NODE_ENV=production: no embedded PostgreSQL, no test data center, JSON logs by default. */
  readonly production: boolean;
  readonly nodeEnv: NodeEnv;
  /** Absolute path of the config file that was read, if any. */
  readonly configFile: string | undefined;
  readonly database: DatabaseConfig;
  readonly telegram: TelegramConfig;
  readonly sync: SyncConfig;
  readonly worker: WorkerConfig;
  readonly log: LogConfig;
  /** Non-fatal findings for the caller to log, e.g. an unknown SYNC_* variable that looks like a typo. */
  readonly warnings: readonly string[];
}

/** What `loadDatabaseConfig` returns: enough for commands that never talk to Telegram (db:migrate). */
export type DatabaseOnlyConfig = Pick<
  Config,
  'production' | 'nodeEnv' | 'configFile' | 'database' | 'log' | 'warnings'
>;

export type DatabaseConfig = ExternalDatabaseConfig | EmbeddedDatabaseConfig;

export interface ExternalDatabaseConfig {
  readonly kind: 'external';
  /** Full URL including the password: pass it to the driver, never log it (log `redactedUrl`). */
  readonly url: string;
  readonly redactedUrl: string;
}

/** Only outside production, when DATABASE_URL is not set. */
export interface EmbeddedDatabaseConfig {
  readonly kind: 'embedded';
  readonly dataDir: string;
  readonly port: number;
}

export interface TelegramConfig {
  readonly apiId: number;
  readonly apiHash: string;
  readonly sessionDir: string;
  readonly sessionEncryption: SessionEncryptionConfig | undefined;
  /** Testing only; never set in production. */
  readonly testDc: TestDcConfig | undefined;
}

export interface SessionEncryptionConfig {
  readonly keyId: string;
  /** Base64 of exactly 32 bytes (validated); decode with Buffer.from(key, 'base64'). */
  readonly encryptionKey: string;
  /** Keys older sessions may still be encrypted under (TELEGRAM_SESSION_PREVIOUS_KEYS): read only. */
  readonly previousKeys: readonly { readonly keyId: string; readonly encryptionKey: string }[];
}

export interface TestDcConfig {
  readonly host: string;
  /** Port by DC id, e.g. { 2: 40002, 3: 40003 } (the shape `configureTestDataCenter` takes). */
  readonly dataCenters: Readonly<Record<number, number>>;
  readonly publicKeyFile: string;
}

export interface SyncConfig {
  /** When set, the source of truth for the peer list. */
  readonly peersFile: string | undefined;
  /** Largest share (percent) of an account's enabled peers one run may disable for missing from the peers file. */
  readonly peersFileMaxRemovalPercent: number;
  readonly cron: string;
  readonly timezone: string;
  readonly runOnStart: boolean;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly pauseMs: number;
  /** contacts.resolveUsername per account and run: how many calls at most, and the shortest time between two. */
  readonly resolveUsername: { readonly budgetPerRun: number; readonly intervalMs: number };
  readonly callTimeoutMs: number;
  readonly floodWaitCeilingSeconds: number;
  readonly transientRetry: { readonly retries: number; readonly baseMs: number; readonly maxMs: number };
  readonly peerBackoff: { readonly baseSeconds: number; readonly maxSeconds: number };
}

export interface WorkerConfig {
  readonly shutdownGraceMs: number;
  /** Accounts one process syncs at once (SYNC_ACCOUNTS_AT_ONCE). */
  readonly accountsAtOnce: number;
  /** Bound on taking over the account of a worker process that died (SYNC_TAKEOVER_SECONDS). */
  readonly takeoverSeconds: number;
  /** undefined when HTTP_PORT=0. */
  readonly http: { readonly host: string; readonly port: number } | undefined;
}

export interface LogConfig {
  readonly level: LogLevel;
  /** `auto` is resolved by the logger (it depends on whether stdout is a terminal). */
  readonly format: LogFormat;
}
