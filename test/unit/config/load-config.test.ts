import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError,
  formatConfigError,
  loadConfig,
  loadDatabaseConfig,
  OPTION_NAMES,
  OPTIONS,
  type ConfigProblem,
} from '../../../src/config/index.ts';

const API_HASH = '0123456789abcdef0123456789abcdef';
const MINIMAL_ENV = { TELEGRAM_API_ID: '1234567', TELEGRAM_API_HASH: API_HASH };
const CWD = '/srv/tg-sync';
const noFile = (): string => {
  throw new Error('no config file expected in this test');
};

function load(env: Record<string, string | undefined>) {
  return loadConfig({ env, cwd: CWD, readFile: noFile });
}

function problemsOf(env: Record<string, string | undefined>): ConfigError {
  try {
    load(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected loadConfig to throw');
}

function problemFor(error: ConfigError, option: string): ConfigProblem {
  const problem = error.problems.find((candidate) => candidate.option === option);
  assert.ok(problem, `expected a problem for ${option}, got: ${error.message}`);
  return problem;
}

describe('loadConfig with a minimal environment', () => {
  it('applies the defaults of every optional option', () => {
    const config = load(MINIMAL_ENV);
    assert.equal(config.production, false);
    assert.equal(config.nodeEnv, 'development');
    assert.deepEqual(config.database, { kind: 'embedded', dataDir: '/srv/tg-sync/.data/postgres', port: 54329 });
    assert.equal(config.telegram.apiId, 1234567);
    assert.equal(config.telegram.apiHash, API_HASH);
    assert.equal(config.telegram.sessionDir, '/srv/tg-sync/.data/sessions');
    assert.equal(config.telegram.sessionEncryption, undefined);
    assert.equal(config.telegram.testDc, undefined);
    assert.deepEqual(config.sync, {
      peersFile: undefined,
      peersFileMaxRemovalPercent: 50,
      cron: '*/15 * * * *',
      timezone: 'UTC',
      runOnStart: false,
      batchSize: 100,
      concurrency: 1,
      pauseMs: 0,
      resolveUsername: { budgetPerRun: 50, intervalMs: 100 },
      callTimeoutMs: 30000,
      floodWaitCeilingSeconds: 300,
      transientRetry: { retries: 5, baseMs: 1000, maxMs: 60000 },
      peerBackoff: { baseSeconds: 3600, maxSeconds: 604800 },
    });
    assert.deepEqual(config.worker, {
      shutdownGraceMs: 20000,
      accountsAtOnce: 2,
      takeoverSeconds: 30,
      http: { host: '0.0.0.0', port: 9464 },
    });
    assert.deepEqual(config.log, { level: 'info', format: 'auto' });
    assert.deepEqual(config.warnings, []);
  });

  it('returns a deeply frozen object', () => {
    const config = load(MINIMAL_ENV);
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.sync.transientRetry));
    assert.throws(() => {
      (config.sync as { batchSize: number }).batchSize = 5;
    }, TypeError);
  });

  it('reads only the env object it is given, not process.env', () => {
    const previous = process.env.SYNC_BATCH_SIZE;
    process.env.SYNC_BATCH_SIZE = '7';
    try {
      assert.equal(load(MINIMAL_ENV).sync.batchSize, 100);
    } finally {
      if (previous === undefined) delete process.env.SYNC_BATCH_SIZE;
      else process.env.SYNC_BATCH_SIZE = previous;
    }
  });

  it('treats empty and blank variables as unset and trims values', () => {
    const config = load({ ...MINIMAL_ENV, SYNC_BATCH_SIZE: '', SYNC_CONCURRENCY: '   ', SYNC_PAUSE_MS: ' 250\n' });
    assert.equal(config.sync.batchSize, 100);
    assert.equal(config.sync.concurrency, 1);
    assert.equal(config.sync.pauseMs, 250);
  });
});

describe('loadConfig parses each option type', () => {
  it('parses every documented boolean spelling', () => {
    const cases: [string, boolean][] = [
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['yes', true],
      ['Yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
      ['NO', false],
    ];
    for (const [text, expected] of cases) {
      assert.equal(load({ ...MINIMAL_ENV, SYNC_RUN_ON_START: text }).sync.runOnStart, expected, text);
    }
  });

  it('resolves relative paths against cwd and keeps absolute ones', () => {
    const config = load({ ...MINIMAL_ENV, SYNC_PEERS_FILE: 'peers.yaml', TELEGRAM_SESSION_DIR: '/var/lib/sessions' });
    assert.equal(config.sync.peersFile, '/srv/tg-sync/peers.yaml');
    assert.equal(config.telegram.sessionDir, '/var/lib/sessions');
  });

  it('accepts valid non-default values of every kind', () => {
    const config = load({
      ...MINIMAL_ENV,
      DATABASE_URL: 'postgresql://app:pw@db.example:5432/app',
      SYNC_CRON: '0 */2 * * *',
      SYNC_TIMEZONE: 'Europe/Berlin',
      SYNC_BATCH_SIZE: '1',
      SYNC_CONCURRENCY: '16',
      HTTP_HOST: '::1',
      HTTP_PORT: '0',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      TELEGRAM_SESSION_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      TELEGRAM_SESSION_KEY_ID: 'k-2026.01',
      TELEGRAM_SESSION_PREVIOUS_KEYS: ` k-2025.12=${Buffer.alloc(32, 6).toString('base64')}, k-2025.11=${Buffer.alloc(32, 5).toString('base64')} `,
    });
    assert.deepEqual(config.database, {
      kind: 'external',
      url: 'postgresql://app:pw@db.example:5432/app',
      redactedUrl: 'postgresql://app:***@db.example:5432/app',
    });
    assert.equal(config.sync.cron, '0 */2 * * *');
    assert.equal(config.sync.timezone, 'Europe/Berlin');
    assert.equal(config.sync.batchSize, 1);
    assert.equal(config.sync.concurrency, 16);
    assert.equal(config.worker.http, undefined, 'HTTP_PORT=0 disables the server');
    assert.deepEqual(config.log, { level: 'debug', format: 'pretty' });
    assert.deepEqual(config.telegram.sessionEncryption, {
      keyId: 'k-2026.01',
      encryptionKey: Buffer.alloc(32, 7).toString('base64'),
      previousKeys: [
        { keyId: 'k-2025.12', encryptionKey: Buffer.alloc(32, 6).toString('base64') },
        { keyId: 'k-2025.11', encryptionKey: Buffer.alloc(32, 5).toString('base64') },
      ],
    });
  });

  it('names the bad item of TELEGRAM_SESSION_PREVIOUS_KEYS without showing a key', () => {
    const good = Buffer.alloc(32, 6).toString('base64');
    const secret = Buffer.alloc(16, 9).toString('base64');
    const base = {
      TELEGRAM_API_ID: '1',
      TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef',
      TELEGRAM_SESSION_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      TELEGRAM_SESSION_KEY_ID: 'now',
    };
    for (const [value, pattern] of [
      [
        `old=${good},older=${secret}`,
        /TELEGRAM_SESSION_PREVIOUS_KEYS: item 2 of 2 \(key id "older"\) must hold the standard base64 of exactly 32 bytes/,
      ],
      [`old=${good},old=${good}`, /item 2 of 2 repeats key id "old"/],
      [good, /item 1 of 1 must be KEY_ID=BASE64_KEY/],
    ] as const) {
      assert.throws(
        () => load({ ...base, TELEGRAM_SESSION_PREVIOUS_KEYS: value }),
        (error: Error) => {
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes(secret) && !error.message.includes(good), 'no key in the message');
          return true;
        },
      );
    }
    const { TELEGRAM_SESSION_ENCRYPTION_KEY: _key, TELEGRAM_SESSION_KEY_ID: _id, ...withoutCurrent } = base;
    assert.throws(
      () => load({ ...withoutCurrent, TELEGRAM_SESSION_PREVIOUS_KEYS: `old=${good}` }),
      /TELEGRAM_SESSION_PREVIOUS_KEYS: needs a current key/,
    );
  });
});

describe('loadConfig reports invalid values', () => {
  const invalidCases: { option: string; value: string; mentions: RegExp; extra?: Record<string, string> }[] = [
    { option: 'TELEGRAM_API_ID', value: 'abc', mentions: /whole number/ },
    { option: 'TELEGRAM_API_ID', value: '0', mentions: /from 1 to/ },
    { option: 'SYNC_BATCH_SIZE', value: '101', mentions: /at most 100 peers per call/ },
    { option: 'SYNC_BATCH_SIZE', value: '2.5', mentions: /whole number from 1 to 100/ },
    { option: 'SYNC_CONCURRENCY', value: '17', mentions: /from 1 to 16/ },
    { option: 'SYNC_RUN_ON_START', value: 'maybe', mentions: /true, false, 1, 0, yes, no/ },
    { option: 'SYNC_CRON', value: '61 * * * *', mentions: /cron expression.*minute/ },
    { option: 'SYNC_CRON', value: '* * * *', mentions: /5 or 6 fields/ },
    { option: 'SYNC_TIMEZONE', value: 'Mars/Olympus_Mons', mentions: /IANA time zone/ },
    { option: 'NODE_ENV', value: 'prod', mentions: /development, test, production/ },
    { option: 'LOG_LEVEL', value: 'verbose', mentions: /fatal, error, warn, info, debug, trace, silent/ },
    { option: 'LOG_FORMAT', value: 'text', mentions: /auto, json, pretty/ },
    { option: 'HTTP_HOST', value: 'not a host', mentions: /host name or an IP address/ },
    { option: 'HTTP_PORT', value: '65536', mentions: /from 0 to 65535/ },
    { option: 'EMBEDDED_PG_PORT', value: '80', mentions: /from 1024 to 65535/ },
    {
      option: 'TELEGRAM_SESSION_KEY_ID',
      value: 'has space',
      mentions: /1 to 32 characters/,
      extra: { TELEGRAM_SESSION_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') },
    },
    { option: 'DATABASE_URL', value: 'mysql://u@h/db', mentions: /postgres:\/\/ or postgresql:\/\// },
  ];
  for (const { option, value, mentions, extra } of invalidCases) {
    it(`${option}=${JSON.stringify(value)}: names the variable, the rule and an example`, () => {
      const error = problemsOf({ ...MINIMAL_ENV, ...extra, [option]: value });
      assert.equal(error.problems.length, 1, error.message);
      const problem = problemFor(error, option);
      assert.match(problem.message, mentions);
      assert.equal(problem.example, OPTIONS[option as keyof typeof OPTIONS].example);
      assert.match(error.message, new RegExp(`- ${option}: `));
      assert.ok(error.message.includes(`example: ${option}=${problem.example}`), error.message);
    });
  }

  it('echoes the received value of ordinary options to help the operator', () => {
    assert.match(
      problemFor(problemsOf({ ...MINIMAL_ENV, SYNC_BATCH_SIZE: '150' }), 'SYNC_BATCH_SIZE').message,
      /got "150"/,
    );
  });

  it('never echoes the value of a secret option', () => {
    const badHash = 'f00dfeedf00dfeedf00dfeedf00dfeed-x';
    const badKey = 'c2VjcmV0LWtleS10aGF0LWlzLXRvby1zaG9ydA==';
    const error = problemsOf({
      ...MINIMAL_ENV,
      TELEGRAM_API_HASH: badHash,
      TELEGRAM_SESSION_ENCRYPTION_KEY: badKey,
      TELEGRAM_SESSION_KEY_ID: 'k1',
    });
    assert.match(
      problemFor(error, 'TELEGRAM_API_HASH').message,
      /exactly 32 hexadecimal characters \(got 34 characters, some not hexadecimal\)/,
    );
    assert.match(
      problemFor(error, 'TELEGRAM_SESSION_ENCRYPTION_KEY').message,
      /decodes to 28 bytes.*openssl rand -base64 32/,
    );
    assert.ok(!error.message.includes('f00dfeed'), error.message);
    assert.ok(!error.message.includes(badKey), error.message);
  });

  it('lists every problem at once, in one message without a stack trace', () => {
    const error = problemsOf({
      TELEGRAM_API_ID: 'x',
      SYNC_BATCH_SIZE: '0',
      SYNC_RUN_ON_START: 'perhaps',
      SYNC_CRON: 'every minute',
      SYNC_TIMEZONE: 'Nowhere/Land',
      LOG_LEVEL: 'loud',
      HTTP_PORT: '-1',
    });
    assert.deepEqual(error.problems.map((problem) => problem.option).sort(), [
      'HTTP_PORT',
      'LOG_LEVEL',
      'SYNC_BATCH_SIZE',
      'SYNC_CRON',
      'SYNC_RUN_ON_START',
      'SYNC_TIMEZONE',
      'TELEGRAM_API_HASH',
      'TELEGRAM_API_ID',
    ]);
    assert.match(error.message, /^Invalid configuration \(8 problems\):/);
    for (const problem of error.problems) {
      assert.ok(problem.example !== undefined, `${problem.option} has an example`);
      assert.ok(error.message.includes(`example: ${problem.option}=${problem.example}`), problem.option);
    }
    assert.equal(formatConfigError(error), error.message);
    assert.doesNotMatch(formatConfigError(error), /\n\s+at /, 'no stack frames');
  });

  it('explains what a missing required option is and where to get it', () => {
    const error = problemsOf({});
    const apiId = problemFor(error, 'TELEGRAM_API_ID');
    assert.match(apiId.message, /is required: .*my\.telegram\.org/);
    assert.equal(apiId.example, '1234567');
    problemFor(error, 'TELEGRAM_API_HASH');
  });

  it('requires backoff maxima to be at least their bases', () => {
    const error = problemsOf({
      ...MINIMAL_ENV,
      SYNC_TRANSIENT_BACKOFF_BASE_MS: '5000',
      SYNC_TRANSIENT_BACKOFF_MAX_MS: '100',
      SYNC_PEER_BACKOFF_BASE_SECONDS: '7200',
      SYNC_PEER_BACKOFF_MAX_SECONDS: '60',
    });
    assert.match(
      problemFor(error, 'SYNC_TRANSIENT_BACKOFF_MAX_MS').message,
      /at least SYNC_TRANSIENT_BACKOFF_BASE_MS \(5000\)/,
    );
    assert.match(
      problemFor(error, 'SYNC_PEER_BACKOFF_MAX_SECONDS').message,
      /at least SYNC_PEER_BACKOFF_BASE_SECONDS \(7200\)/,
    );
  });

  it('requires the session key and its id together', () => {
    const keyOnly = problemsOf({
      ...MINIMAL_ENV,
      TELEGRAM_SESSION_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    });
    assert.match(
      problemFor(keyOnly, 'TELEGRAM_SESSION_KEY_ID').message,
      /required when TELEGRAM_SESSION_ENCRYPTION_KEY is set/,
    );
    const idOnly = problemsOf({ ...MINIMAL_ENV, TELEGRAM_SESSION_KEY_ID: 'k1' });
    assert.match(
      problemFor(idOnly, 'TELEGRAM_SESSION_ENCRYPTION_KEY').message,
      /required when TELEGRAM_SESSION_KEY_ID is set/,
    );
  });
});

describe('loadConfig and the test data center', () => {
  const testDc = {
    TELEGRAM_TEST_DC_HOST: '127.0.0.1',
    TELEGRAM_TEST_DC_PORT: '10443',
    TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: 'keys/dc.pem',
  };

  it('builds the override when all three options are set', () => {
    assert.deepEqual(load({ ...MINIMAL_ENV, ...testDc }).telegram.testDc, {
      host: '127.0.0.1',
      dataCenters: { 2: 10443 },
      publicKeyFile: '/srv/tg-sync/keys/dc.pem',
    });
  });

  it('accepts several data centers as dcId:port pairs', () => {
    const config = load({ ...MINIMAL_ENV, ...testDc, TELEGRAM_TEST_DC_PORT: '2:40002, 3:40003' });
    assert.deepEqual(config.telegram.testDc?.dataCenters, { 2: 40002, 3: 40003 });
  });

  for (const bad of ['2:40002,2:40003', '0:40002', '2:70000', '2-40002', '2:', 'abc', '70000']) {
    it(`rejects TELEGRAM_TEST_DC_PORT=${bad}`, () => {
      const problem = problemFor(
        problemsOf({ ...MINIMAL_ENV, ...testDc, TELEGRAM_TEST_DC_PORT: bad }),
        'TELEGRAM_TEST_DC_PORT',
      );
      assert.match(problem.message, /dcId:port pairs separated by commas/);
    });
  }

  it('reports the missing ones when only some are set', () => {
    const error = problemsOf({ ...MINIMAL_ENV, TELEGRAM_TEST_DC_PORT: '10443' });
    assert.deepEqual(
      error.problems.map((problem) => problem.option),
      ['TELEGRAM_TEST_DC_HOST', 'TELEGRAM_TEST_DC_PUBLIC_KEY_FILE'],
    );
    assert.match(error.message, /because TELEGRAM_TEST_DC_PORT is set/);
  });
});

describe('loadConfig in production mode', () => {
  const production = { ...MINIMAL_ENV, NODE_ENV: 'production', DATABASE_URL: 'postgres://app:pw@db:5432/app' };

  it('accepts a complete production environment', () => {
    const config = load(production);
    assert.equal(config.production, true);
    assert.equal(config.database.kind, 'external');
  });

  it('requires DATABASE_URL instead of starting an embedded PostgreSQL', () => {
    const error = problemsOf({ ...production, DATABASE_URL: undefined });
    assert.match(problemFor(error, 'DATABASE_URL').message, /required when NODE_ENV=production/);
  });

  it('refuses every test data center option, with a clear reason and no example', () => {
    const error = problemsOf({ ...production, TELEGRAM_TEST_DC_HOST: '127.0.0.1', TELEGRAM_TEST_DC_PORT: '10443' });
    assert.deepEqual(
      error.problems.map((problem) => problem.option),
      ['TELEGRAM_TEST_DC_HOST', 'TELEGRAM_TEST_DC_PORT'],
    );
    for (const problem of error.problems) {
      assert.match(problem.message, /refused when NODE_ENV=production; unset it/);
      assert.equal(problem.example, undefined);
    }
  });

  it('reports production problems together with format problems', () => {
    const error = problemsOf({
      ...production,
      DATABASE_URL: undefined,
      SYNC_BATCH_SIZE: '500',
      TELEGRAM_TEST_DC_HOST: 'dc',
    });
    assert.deepEqual(error.problems.map((problem) => problem.option).sort(), [
      'DATABASE_URL',
      'SYNC_BATCH_SIZE',
      'TELEGRAM_TEST_DC_HOST',
    ]);
  });
});

describe('loadConfig and DATABASE_URL secrets', () => {
  const password = 'Hunter2-Very-Secret';
  const malformed = [
    `postgres://app:${password}@db:99999/app`,
    `postgres://app:${password}@`,
    `postgres//app:${password}@db/app`,
    `postgres://app:${password}/x@db/app`,
    `postgres://app:${password}@db/app@other`,
    `http://app:${password}@db/app`,
    `postgres://db/app?password=${password}&sslmode=require`.replace('postgres', 'mysql'),
    `postgres://app:${password}`,
    `app:${password}`,
  ];
  for (const url of malformed) {
    it(`reports ${JSON.stringify(url.replace(password, '<password>'))} without the password`, () => {
      const error = problemsOf({ ...MINIMAL_ENV, DATABASE_URL: url });
      const problem = problemFor(error, 'DATABASE_URL');
      assert.ok(!error.message.includes(password), error.message);
      assert.ok(!error.message.includes('Hunter2'), error.message);
      assert.match(problem.message, /\(got .*\)/);
    });
  }

  it('shows the masked URL so the operator can see which part is wrong', () => {
    const problem = problemFor(
      problemsOf({ ...MINIMAL_ENV, DATABASE_URL: `postgres://app:${password}@db:99999/app` }),
      'DATABASE_URL',
    );
    assert.match(problem.message, /got postgres:\/\/app:\*\*\*@db:99999\/app/);
  });

  it('flags an unencoded "/" or "@" in the password instead of silently connecting elsewhere', () => {
    const problem = problemFor(
      problemsOf({ ...MINIMAL_ENV, DATABASE_URL: 'postgres://app:pa@ss/word@db:5432/app' }),
      'DATABASE_URL',
    );
    assert.match(problem.message, /must be percent-encoded/);
    assert.ok(!problem.message.includes('pa@ss/word'), problem.message);
  });
});

describe('loadConfig warnings', () => {
  it("warns about unknown variables with this program's prefixes and suggests the right name", () => {
    const config = load({
      ...MINIMAL_ENV,
      SYNC_BATCHSIZE: '5',
      TELEGRAM_API_HAHS: 'x',
      HOME: '/root',
      TELEGRAM_BOT_TOKEN_OTHER_APP: 'y',
    });
    assert.equal(config.warnings.length, 3);
    assert.match(config.warnings.find((w) => w.includes('SYNC_BATCHSIZE')) ?? '', /did you mean SYNC_BATCH_SIZE\?/);
    assert.match(
      config.warnings.find((w) => w.includes('TELEGRAM_API_HAHS')) ?? '',
      /did you mean TELEGRAM_API_HASH\?/,
    );
    assert.ok(config.warnings.every((warning) => !warning.includes('HOME')));
    assert.ok(!config.warnings.join('\n').includes("'y'"));
  });

  it('knows every registered option (no warning for them)', () => {
    const env: Record<string, string> = { ...MINIMAL_ENV };
    for (const name of OPTION_NAMES) env[name] ??= '';
    assert.deepEqual(load(env).warnings, []);
  });
});

describe('loadDatabaseConfig', () => {
  it('needs no Telegram credentials and ignores non-database options', () => {
    const config = loadDatabaseConfig({
      env: { SYNC_BATCH_SIZE: 'not checked here', LOG_LEVEL: 'warn' },
      cwd: CWD,
      readFile: noFile,
    });
    assert.deepEqual(config, {
      production: false,
      nodeEnv: 'development',
      configFile: undefined,
      database: { kind: 'embedded', dataDir: '/srv/tg-sync/.data/postgres', port: 54329 },
      log: { level: 'warn', format: 'auto' },
      warnings: [],
    });
    assert.ok(Object.isFrozen(config.database));
  });

  it('still validates the database options and production rules', () => {
    try {
      loadDatabaseConfig({
        env: { NODE_ENV: 'production', EMBEDDED_PG_PORT: '1', TELEGRAM_TEST_DC_HOST: 'x' },
        cwd: CWD,
        readFile: noFile,
      });
      assert.fail('expected a ConfigError');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.problems.map((problem) => problem.option),
        ['EMBEDDED_PG_PORT', 'DATABASE_URL'],
      );
    }
  });

  it('reads the config file too, with its typo protection', () => {
    const readFile = (): string => 'DATABASE_URL: postgres://app:pw@db/app\nSYNC_CRONN: x\n';
    assert.throws(
      () => loadDatabaseConfig({ env: { TG_SYNC_CONFIG_FILE: 'c.yaml' }, cwd: CWD, readFile }),
      (error: unknown) =>
        error instanceof ConfigError && error.problems.length === 1 && error.problems[0]?.option === 'SYNC_CRONN',
    );
    const config = loadDatabaseConfig({
      env: { TG_SYNC_CONFIG_FILE: 'c.yaml' },
      cwd: CWD,
      readFile: () => 'DATABASE_URL: postgres://app:pw@db/app\n',
    });
    assert.equal(config.database.kind === 'external' && config.database.redactedUrl, 'postgres://app:***@db/app');
  });
});
