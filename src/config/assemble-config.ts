/**
 * Groups validated option values into the `Config` shape. Runs only when there are no problems,
 * so required values are present; `need` turns a broken invariant into a loud internal error.
 */
import type { Config, DatabaseOnlyConfig } from './config-types.ts';
import { redactDatabaseUrl } from '../observability/redaction.ts';
import type { OptionName, OptionValue } from './options.ts';
import type { OptionValues } from './option-values.ts';

type Need = <N extends OptionName>(name: N) => OptionValue<N>;

function needFrom(values: OptionValues): Need {
  return <N extends OptionName>(name: N): OptionValue<N> => {
    const value = values[name];
    if (value === undefined) throw new Error(`internal error: option ${name} has no value after validation`);
    return value as OptionValue<N>;
  };
}

/** The parts every command needs, including those that never talk to Telegram (db:migrate). */
export function assembleDatabaseOnlyConfig(values: OptionValues, warnings: readonly string[]): DatabaseOnlyConfig {
  const need = needFrom(values);
  const nodeEnv = need('NODE_ENV');
  const databaseUrl = values.DATABASE_URL;
  return {
    production: nodeEnv === 'production',
    nodeEnv,
    configFile: values.TG_SYNC_CONFIG_FILE,
    database:
      databaseUrl === undefined
        ? { kind: 'embedded', dataDir: need('EMBEDDED_PG_DATA_DIR'), port: need('EMBEDDED_PG_PORT') }
        : { kind: 'external', url: databaseUrl, redactedUrl: redactDatabaseUrl(databaseUrl) },
    log: { level: need('LOG_LEVEL'), format: need('LOG_FORMAT') },
    warnings,
  };
}

export function assembleConfig(values: OptionValues, warnings: readonly string[]): Config {
  const need = needFrom(values);
  const encryptionKey = values.TELEGRAM_SESSION_ENCRYPTION_KEY;
  const testDcHost = values.TELEGRAM_TEST_DC_HOST;
  const httpPort = need('HTTP_PORT');

  return {
    ...assembleDatabaseOnlyConfig(values, warnings),
    telegram: {
      apiId: need('TELEGRAM_API_ID'),
      apiHash: need('TELEGRAM_API_HASH'),
      sessionDir: need('TELEGRAM_SESSION_DIR'),
      sessionEncryption:
        encryptionKey === undefined
          ? undefined
          : {
              keyId: need('TELEGRAM_SESSION_KEY_ID'),
              encryptionKey,
              previousKeys: values.TELEGRAM_SESSION_PREVIOUS_KEYS ?? [],
            },
      testDc:
        testDcHost === undefined
          ? undefined
          : {
              host: testDcHost,
              dataCenters: need('TELEGRAM_TEST_DC_PORT'),
              publicKeyFile: need('TELEGRAM_TEST_DC_PUBLIC_KEY_FILE'),
            },
    },
    sync: {
      peersFile: values.SYNC_PEERS_FILE,
      peersFileMaxRemovalPercent: need('SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT'),
      cron: need('SYNC_CRON'),
      timezone: need('SYNC_TIMEZONE'),
      runOnStart: need('SYNC_RUN_ON_START'),
      batchSize: need('SYNC_BATCH_SIZE'),
      concurrency: need('SYNC_CONCURRENCY'),
      pauseMs: need('SYNC_PAUSE_MS'),
      resolveUsername: {
        budgetPerRun: need('SYNC_RESOLVE_USERNAME_BUDGET'),
        intervalMs: need('SYNC_RESOLVE_USERNAME_INTERVAL_MS'),
      },
      callTimeoutMs: need('SYNC_CALL_TIMEOUT_MS'),
      floodWaitCeilingSeconds: need('SYNC_FLOOD_WAIT_CEILING_SECONDS'),
      transientRetry: {
        retries: need('SYNC_TRANSIENT_RETRIES'),
        baseMs: need('SYNC_TRANSIENT_BACKOFF_BASE_MS'),
        maxMs: need('SYNC_TRANSIENT_BACKOFF_MAX_MS'),
      },
      peerBackoff: {
        baseSeconds: need('SYNC_PEER_BACKOFF_BASE_SECONDS'),
        maxSeconds: need('SYNC_PEER_BACKOFF_MAX_SECONDS'),
      },
    },
    worker: {
      shutdownGraceMs: need('SHUTDOWN_GRACE_MS'),
      accountsAtOnce: need('SYNC_ACCOUNTS_AT_ONCE'),
      takeoverSeconds: need('SYNC_TAKEOVER_SECONDS'),
      http: httpPort === 0 ? undefined : { host: need('HTTP_HOST'), port: httpPort },
    },
  };
}
