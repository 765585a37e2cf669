/**
 * The options registry: one entry per configuration option. It is the single source for the
 * validation schema (each entry's zod schema, described with the entry's help text), for error
 * examples, for which values are secret, and for the README configuration table
 * (`scripts/config-table.ts`). Adding an option = adding an entry here (+ mapping it in
 * `assemble-config.ts`); a test fails until README.md lists it.
 *
 * Every option has the same name in the environment and in the config file (TG_SYNC_CONFIG_FILE).
 */
import { DEFAULT_EMBEDDED_DATA_DIR, DEFAULT_EMBEDDED_PORT } from './embedded-postgres-defaults.ts';
import {
  base64Key,
  booleanFlag,
  cronExpression,
  dataCenterPorts,
  filePath,
  hexString,
  hostName,
  ianaTimeZone,
  identifier,
  integerInRange,
  namedKeyList,
  oneOf,
  postgresUrl,
  type ValueSchema,
} from './value-schemas.ts';

export type OptionGroup = 'runtime' | 'database' | 'telegram' | 'sync' | 'worker' | 'log';

export type Requirement = 'optional' | 'required' | 'required-in-production';

/**
 * How much of a value is secret: `whole` values are never shown; `url-password` values are shown
 * only through `redactDatabaseUrl`.
 */
export type SecretKind = 'none' | 'whole' | 'url-password';

export interface OptionSpec<T = unknown> {
  readonly name: string;
  readonly group: OptionGroup;
  /** Human-readable type, shown in the README table, e.g. "integer 1–100". */
  readonly type: string;
  /** The default as text; it is parsed by `schema` like any other value. */
  readonly default?: string;
  /** A valid value shown in errors and in the README. */
  readonly example: string;
  readonly description: string;
  readonly requirement: Requirement;
  readonly secret: SecretKind;
  /** Only for tests against the local Telegram test data center; refused in production mode. */
  readonly testingOnly: boolean;
  /** Can only come from the environment (not from the config file). */
  readonly envOnly: boolean;
  /** A relative path is resolved against the working directory (env) or the config file's directory. */
  readonly isPath: boolean;
  readonly schema: ValueSchema<T>;
}

type OptionInput<T> = Omit<OptionSpec<T>, 'requirement' | 'secret' | 'testingOnly' | 'envOnly' | 'isPath'> &
  Partial<Pick<OptionSpec<T>, 'requirement' | 'secret' | 'testingOnly' | 'envOnly' | 'isPath'>>;

function option<T>(input: OptionInput<T>): OptionSpec<T> {
  return Object.freeze({
    requirement: 'optional',
    secret: 'none',
    testingOnly: false,
    envOnly: false,
    isPath: false,
    ...input,
    // The registry's description is the schema's help text, so tooling that reads zod metadata
    // (e.g. z.toJSONSchema) shows the same words as the README.
    schema: input.schema.describe(input.description),
  });
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export const NODE_ENVS = ['development', 'test', 'production'] as const;

export const OPTIONS = {
  TG_SYNC_CONFIG_FILE: option({
    name: 'TG_SYNC_CONFIG_FILE',
    group: 'runtime',
    type: 'path',
    example: 'config/tg-dialog-sync.yaml',
    description:
      'Optional YAML (.yaml/.yml) or JSON (.json) file that sets any option below under the same name. Environment variables override it; unknown names in it are errors; relative paths in it are resolved against its directory.',
    envOnly: true,
    isPath: true,
    schema: filePath(),
  }),
  NODE_ENV: option({
    name: 'NODE_ENV',
    group: 'runtime',
    type: NODE_ENVS.join(' | '),
    default: 'development',
    example: 'production',
    description:
      '`production` turns on production mode (the Docker image sets it): DATABASE_URL becomes required, the embedded PostgreSQL and the test data center options are refused, LOG_FORMAT=auto means JSON.',
    schema: oneOf(NODE_ENVS),
  }),

  DATABASE_URL: option({
    name: 'DATABASE_URL',
    group: 'database',
    type: 'postgres URL',
    example: 'postgres://tg_sync:change-me@db:5432/tg_sync',
    description:
      'PostgreSQL connection URL; its password is masked in errors and logs. `?schema=NAME` (as Prisma writes it) keeps the tables in that schema: `db migrate` creates it and every connection of the job uses it. Without it, outside production, an embedded PostgreSQL is started.',
    requirement: 'required-in-production',
    secret: 'url-password',
    schema: postgresUrl(),
  }),
  EMBEDDED_PG_DATA_DIR: option({
    name: 'EMBEDDED_PG_DATA_DIR',
    group: 'database',
    type: 'path',
    default: DEFAULT_EMBEDDED_DATA_DIR,
    example: DEFAULT_EMBEDDED_DATA_DIR,
    description:
      'Data directory of the embedded PostgreSQL (used only when DATABASE_URL is not set, outside production).',
    isPath: true,
    schema: filePath(),
  }),
  EMBEDDED_PG_PORT: option({
    name: 'EMBEDDED_PG_PORT',
    group: 'database',
    type: 'integer 1024–65535',
    default: String(DEFAULT_EMBEDDED_PORT),
    example: String(DEFAULT_EMBEDDED_PORT),
    description: 'TCP port of the embedded PostgreSQL (listens on 127.0.0.1 only).',
    schema: integerInRange(1024, 65535),
  }),

  TELEGRAM_API_ID: option({
    name: 'TELEGRAM_API_ID',
    group: 'telegram',
    type: 'positive integer',
    example: '1234567',
    description: 'api_id of your Telegram application, from https://my.telegram.org → API development tools.',
    requirement: 'required',
    schema: integerInRange(1, 2_147_483_647, 'the api_id shown on my.telegram.org'),
  }),
  TELEGRAM_API_HASH: option({
    name: 'TELEGRAM_API_HASH',
    group: 'telegram',
    type: '32 hex characters',
    example: '0123456789abcdef0123456789abcdef',
    description: 'api_hash of the same application.',
    requirement: 'required',
    secret: 'whole',
    schema: hexString(32, 'the api_hash shown on my.telegram.org'),
  }),
  TELEGRAM_SESSION_DIR: option({
    name: 'TELEGRAM_SESSION_DIR',
    group: 'telegram',
    type: 'path',
    default: '.data/sessions',
    example: '/var/lib/tg-dialog-sync/sessions',
    description: 'Directory of the account session files (created with mode 0700, files with mode 0600).',
    isPath: true,
    schema: filePath(),
  }),
  TELEGRAM_SESSION_ENCRYPTION_KEY: option({
    name: 'TELEGRAM_SESSION_ENCRYPTION_KEY',
    group: 'telegram',
    type: 'base64, 32 bytes',
    example: 'dGctZGlhbG9nLXN5bmMgZXhhbXBsZSBrZXkgMzIgYiE=',
    description:
      'Key for sessions stored encrypted in the database; generate with `openssl rand -base64 32`. Set together with TELEGRAM_SESSION_KEY_ID.',
    secret: 'whole',
    schema: base64Key(32, 'openssl rand -base64 32'),
  }),
  TELEGRAM_SESSION_KEY_ID: option({
    name: 'TELEGRAM_SESSION_KEY_ID',
    group: 'telegram',
    type: 'id, ≤ 32 chars [A-Za-z0-9._-]',
    example: '2026-01',
    description:
      'Name of TELEGRAM_SESSION_ENCRYPTION_KEY, stored next to each encrypted session so keys can be rotated. Required when the key is set.',
    schema: identifier(32),
  }),
  TELEGRAM_SESSION_PREVIOUS_KEYS: option({
    name: 'TELEGRAM_SESSION_PREVIOUS_KEYS',
    group: 'telegram',
    type: 'list of keyId=base64 (32 bytes)',
    example: '2025-07=dGctZGlhbG9nLXN5bmMga2V5IG9mIDIwMjUtMDcgISE=',
    description:
      'Keys sessions may still be encrypted under, comma-separated `KEY_ID=KEY`: read, never written. To rotate: make the new key TELEGRAM_SESSION_ENCRYPTION_KEY/TELEGRAM_SESSION_KEY_ID, list the old one here (for every process), run `tg-dialog-sync sessions reencrypt`, then remove it.',
    secret: 'whole',
    schema: namedKeyList(32, 32, 'openssl rand -base64 32'),
  }),
  TELEGRAM_TEST_DC_HOST: option({
    name: 'TELEGRAM_TEST_DC_HOST',
    group: 'telegram',
    type: 'host',
    example: '127.0.0.1',
    description:
      'Connect to this local test data center instead of Telegram. Set all three TELEGRAM_TEST_DC_* or none.',
    testingOnly: true,
    schema: hostName(),
  }),
  TELEGRAM_TEST_DC_PORT: option({
    name: 'TELEGRAM_TEST_DC_PORT',
    group: 'telegram',
    type: 'port, or dcId:port list',
    example: '2:40002,3:40003',
    description:
      'Port of the local test data center: a bare port is DC 2 (its main DC); list several DCs as dcId:port pairs.',
    testingOnly: true,
    schema: dataCenterPorts(2),
  }),
  TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: option({
    name: 'TELEGRAM_TEST_DC_PUBLIC_KEY_FILE',
    group: 'telegram',
    type: 'path',
    example: '/tmp/tg-test-dc/dc-public-key.pem',
    description: "PEM file with the local test data center's RSA public key.",
    testingOnly: true,
    isPath: true,
    schema: filePath(),
  }),

  SYNC_PEERS_FILE: option({
    name: 'SYNC_PEERS_FILE',
    group: 'sync',
    type: 'path',
    example: 'config/peers.yaml',
    description: 'When set, this file is the source of truth for the accounts and peers to sync.',
    isPath: true,
    schema: filePath(),
  }),
  SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT: option({
    name: 'SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT',
    group: 'sync',
    type: 'integer 0–100 (%)',
    default: '50',
    example: '50',
    description:
      "A run that would disable more than this share of an account's enabled peers at once (and more than 10 of them) because they are missing from SYNC_PEERS_FILE is refused and changes nothing: a truncated or wrong file looks like that. To remove that many on purpose, run `tg-dialog-sync sync --allow-peer-removal` once; 100 turns the check off.",
    schema: integerInRange(0, 100),
  }),
  SYNC_CRON: option({
    name: 'SYNC_CRON',
    group: 'sync',
    type: 'cron expression',
    default: '*/15 * * * *',
    example: '*/15 * * * *',
    description: 'When sync runs start (5 fields, or 6 with seconds first), evaluated in SYNC_TIMEZONE.',
    schema: cronExpression(),
  }),
  SYNC_TIMEZONE: option({
    name: 'SYNC_TIMEZONE',
    group: 'sync',
    type: 'IANA time zone',
    default: 'UTC',
    example: 'Europe/Berlin',
    description: 'Time zone of SYNC_CRON.',
    schema: ianaTimeZone(),
  }),
  SYNC_RUN_ON_START: option({
    name: 'SYNC_RUN_ON_START',
    group: 'sync',
    type: 'boolean',
    default: 'false',
    example: 'true',
    description: 'Also run once right after the worker starts. Booleans accept true/false, 1/0, yes/no.',
    schema: booleanFlag(),
  }),
  SYNC_BATCH_SIZE: option({
    name: 'SYNC_BATCH_SIZE',
    group: 'sync',
    type: 'integer 1–100',
    default: '100',
    example: '100',
    description: 'Peers per messages.getPeerDialogs call.',
    schema: integerInRange(1, 100, "Telegram's messages.getPeerDialogs accepts at most 100 peers per call"),
  }),
  SYNC_CONCURRENCY: option({
    name: 'SYNC_CONCURRENCY',
    group: 'sync',
    type: 'integer 1–16',
    default: '1',
    example: '2',
    description:
      "How many getPeerDialogs calls of one account may be in flight at once (all over that account's single connection; replies are still written in order).",
    schema: integerInRange(1, 16),
  }),
  SYNC_PAUSE_MS: option({
    name: 'SYNC_PAUSE_MS',
    group: 'sync',
    type: 'integer 0–600000 (ms)',
    default: '0',
    example: '500',
    description: "Pause between two calls of the same account, to stay clear of Telegram's flood limits.",
    schema: integerInRange(0, 600_000),
  }),
  SYNC_RESOLVE_USERNAME_BUDGET: option({
    name: 'SYNC_RESOLVE_USERNAME_BUDGET',
    group: 'sync',
    type: 'integer 0–10000',
    default: '50',
    example: '50',
    description:
      "At most this many contacts.resolveUsername calls per account and run, for usernames that are neither stored nor in the account's dialog list. Telegram answers waits of many hours once an account has resolved a few hundred names in a day; the rest stay pending (shown by `peers list` and `status`) and are resolved by the next runs, while resolved peers keep syncing. 0 resolves no new username.",
    schema: integerInRange(0, 10_000),
  }),
  SYNC_RESOLVE_USERNAME_INTERVAL_MS: option({
    name: 'SYNC_RESOLVE_USERNAME_INTERVAL_MS',
    group: 'sync',
    type: 'integer 0–600000 (ms)',
    default: '100',
    example: '1000',
    description:
      'Shortest time between the starts of two contacts.resolveUsername calls of one account, so that new usernames are asked for at a steady pace rather than in a burst.',
    schema: integerInRange(0, 600_000),
  }),
  SYNC_CALL_TIMEOUT_MS: option({
    name: 'SYNC_CALL_TIMEOUT_MS',
    group: 'sync',
    type: 'integer 1000–600000 (ms)',
    default: '30000',
    example: '30000',
    description: 'A Telegram call that takes longer fails as a transient error.',
    schema: integerInRange(1000, 600_000),
  }),
  SYNC_FLOOD_WAIT_CEILING_SECONDS: option({
    name: 'SYNC_FLOOD_WAIT_CEILING_SECONDS',
    group: 'sync',
    type: 'integer 0–86400 (s)',
    default: '300',
    example: '300',
    description:
      "Longest FLOOD_WAIT the job waits out; a longer one stops that account's run until the next scheduled run.",
    schema: integerInRange(0, 86_400),
  }),
  SYNC_TRANSIENT_RETRIES: option({
    name: 'SYNC_TRANSIENT_RETRIES',
    group: 'sync',
    type: 'integer 0–100',
    default: '5',
    example: '5',
    description: 'Retries of a call after a transient error (timeout, network, Telegram internal error).',
    schema: integerInRange(0, 100),
  }),
  SYNC_TRANSIENT_BACKOFF_BASE_MS: option({
    name: 'SYNC_TRANSIENT_BACKOFF_BASE_MS',
    group: 'sync',
    type: 'integer 1–3600000 (ms)',
    default: '1000',
    example: '1000',
    description: 'First wait before retrying a transient error; doubles on each retry.',
    schema: integerInRange(1, 3_600_000),
  }),
  SYNC_TRANSIENT_BACKOFF_MAX_MS: option({
    name: 'SYNC_TRANSIENT_BACKOFF_MAX_MS',
    group: 'sync',
    type: 'integer 1–3600000 (ms)',
    default: '60000',
    example: '60000',
    description: 'Longest wait between transient retries (≥ SYNC_TRANSIENT_BACKOFF_BASE_MS).',
    schema: integerInRange(1, 3_600_000),
  }),
  SYNC_PEER_BACKOFF_BASE_SECONDS: option({
    name: 'SYNC_PEER_BACKOFF_BASE_SECONDS',
    group: 'sync',
    type: 'integer 1–31536000 (s)',
    default: '3600',
    example: '3600',
    description:
      'How long a peer that keeps failing is skipped after its first failure; doubles on each further failure.',
    schema: integerInRange(1, 31_536_000),
  }),
  SYNC_PEER_BACKOFF_MAX_SECONDS: option({
    name: 'SYNC_PEER_BACKOFF_MAX_SECONDS',
    group: 'sync',
    type: 'integer 1–31536000 (s)',
    default: '604800',
    example: '604800',
    description: 'Longest time a failing peer is skipped (≥ SYNC_PEER_BACKOFF_BASE_SECONDS).',
    schema: integerInRange(1, 31_536_000),
  }),

  SYNC_ACCOUNTS_AT_ONCE: option({
    name: 'SYNC_ACCOUNTS_AT_ONCE',
    group: 'worker',
    type: 'integer 1–64',
    default: '2',
    example: '4',
    description:
      'How many accounts one worker process syncs at the same time, each on its own Telegram connection (Telegram limits every account separately). Every replica takes this many accounts from the shared job queue.',
    schema: integerInRange(1, 64),
  }),
  SYNC_TAKEOVER_SECONDS: option({
    name: 'SYNC_TAKEOVER_SECONDS',
    group: 'worker',
    type: 'integer 2–3600 (s)',
    default: '30',
    example: '30',
    description:
      "An account whose run was held by a worker process that died (kill -9, crash) is run by another replica within about this long. A replica checks every half of it; the account's lock tells a dead process from a slow one.",
    schema: integerInRange(2, 3600),
  }),
  SHUTDOWN_GRACE_MS: option({
    name: 'SHUTDOWN_GRACE_MS',
    group: 'worker',
    type: 'integer 0–600000 (ms)',
    default: '20000',
    example: '20000',
    description: 'On SIGTERM/SIGINT, how long a running sync may finish its current batch before the worker exits.',
    schema: integerInRange(0, 600_000),
  }),
  HTTP_HOST: option({
    name: 'HTTP_HOST',
    group: 'worker',
    type: 'host',
    default: '0.0.0.0',
    example: '127.0.0.1',
    description: 'Address of the health and metrics HTTP server.',
    schema: hostName(),
  }),
  HTTP_PORT: option({
    name: 'HTTP_PORT',
    group: 'worker',
    type: 'integer 0–65535',
    default: '9464',
    example: '9464',
    description: 'Port of the health and metrics HTTP server; 0 disables it.',
    schema: integerInRange(0, 65535),
  }),

  LOG_LEVEL: option({
    name: 'LOG_LEVEL',
    group: 'log',
    type: LOG_LEVELS.join(' | '),
    default: 'info',
    example: 'debug',
    description: 'Lowest level that is logged.',
    schema: oneOf(LOG_LEVELS),
  }),
  LOG_FORMAT: option({
    name: 'LOG_FORMAT',
    group: 'log',
    type: LOG_FORMATS.join(' | '),
    default: 'auto',
    example: 'json',
    description: 'auto = human-readable when stdout is a terminal and not in production, JSON lines otherwise.',
    schema: oneOf(LOG_FORMATS),
  }),
} as const satisfies Record<string, OptionSpec<unknown>>;

export type OptionName = keyof typeof OPTIONS;

/** The typed value an option parses to. */
export type OptionValue<N extends OptionName> = (typeof OPTIONS)[N] extends OptionSpec<infer T> ? T : never;

export const OPTION_NAMES = Object.keys(OPTIONS) as OptionName[];

export function isOptionName(name: string): name is OptionName {
  return Object.hasOwn(OPTIONS, name);
}

export function optionSpec(name: OptionName): OptionSpec {
  return OPTIONS[name] as OptionSpec;
}
