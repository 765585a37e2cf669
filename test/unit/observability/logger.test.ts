import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger, type AppLogger } from '../../../src/observability/app-logger.ts';
import { createLogger, resolveLogFormat, type CreateLoggerOptions } from '../../../src/observability/logger.ts';
import { SecretRegistry } from '../../../src/observability/secret-registry.ts';

function capture(options: Partial<CreateLoggerOptions> = {}) {
  const chunks: string[] = [];
  const logger = createLogger({
    level: 'info',
    format: 'json',
    isTty: false,
    destination: { write: (chunk: string) => chunks.push(chunk) },
    ...options,
  });
  const text = (): string => chunks.join('');
  const records = (): Record<string, unknown>[] =>
    text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, text, records };
}

describe('resolveLogFormat', () => {
  const cases: [Parameters<typeof resolveLogFormat>[0], 'json' | 'pretty'][] = [
    [{ format: 'auto', production: false, isTty: true }, 'pretty'],
    [{ format: 'auto', production: false, isTty: false }, 'json'],
    [{ format: 'auto', production: true, isTty: true }, 'json'],
    [{ format: 'pretty', production: true, isTty: false }, 'pretty'],
    [{ format: 'json', production: false, isTty: true }, 'json'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(resolveLogFormat(input), expected));
  }
});

describe('createLogger (json)', () => {
  it('writes one JSON object per line with a level label, time and message', () => {
    const { logger, records } = capture();
    logger.info({ peers: 3 }, 'synced');
    const [record] = records();
    assert.equal(record?.level, 'info');
    assert.equal(record?.msg, 'synced');
    assert.equal(record?.peers, 3);
    assert.match(String(record?.time), /^\d{4}-\d\d-\d\dT/);
  });

  it('respects the level', () => {
    const { logger, records } = capture({ level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    assert.deepEqual(
      records().map((record) => record.msg),
      ['shown'],
    );
  });

  it('redacts secret keys in log objects and in child logger bindings', () => {
    const { logger, records } = capture();
    logger
      .child({ account: 'main', phone: '+15550001111' })
      .info({ auth: { sessionString: 'abc', apiHash: 'def' } }, 'login');
    const [record] = records();
    assert.equal(record?.phone, '[REDACTED]');
    assert.equal(record?.account, 'main');
    assert.deepEqual(record?.auth, { sessionString: '[REDACTED]', apiHash: '[REDACTED]' });
  });

  it('scrubs registered secrets from messages, format arguments and error stacks, including secrets added later', () => {
    const secrets = new SecretRegistry();
    const { logger, text, records } = capture({ secrets });
    secrets.add('late-registered-secret');
    logger.error({ err: new Error('boom late-registered-secret') }, 'failed with %s', 'late-registered-secret');
    assert.ok(!text().includes('late-registered-secret'), text());
    const [record] = records();
    assert.equal(record?.msg, 'failed with [REDACTED]');
    const err = record?.err as { message: string; stack: string };
    assert.equal(err.message, 'boom [REDACTED]');
    assert.match(err.stack, /^Error: boom \[REDACTED\]\n\s+at /);
  });

  it('masks database passwords in any string', () => {
    const { logger, text } = capture();
    logger.warn(`cannot connect to postgres://app:pw-in-url@db/app`);
    assert.ok(!text().includes('pw-in-url'));
    assert.ok(text().includes('postgres://app:***@db/app'));
  });

  it('serializes errors under `error` like errors under `err`', () => {
    const { logger, records } = capture();
    logger.error({ error: new TypeError('bad thing') }, 'oops');
    const error = records()[0]?.error as { type: string; message: string; stack: string };
    assert.equal(error.type, 'TypeError');
    assert.equal(error.message, 'bad thing');
    assert.match(error.stack, /TypeError: bad thing/);
  });
});

describe('createLogger (pretty)', () => {
  it('prints human-readable lines, redacted', () => {
    const secrets = new SecretRegistry();
    secrets.add('pretty-secret-value');
    const { logger, text } = capture({ format: 'pretty', secrets });
    logger.info({ password: 'plain', note: 'has pretty-secret-value' }, 'hello from pretty');
    const output = text();
    assert.match(output, /INFO.*hello from pretty/);
    assert.throws(() => JSON.parse(output), SyntaxError, 'not JSON');
    assert.ok(!output.includes('plain'), output);
    assert.ok(!output.includes('pretty-secret-value'), output);
    assert.match(output, /\[REDACTED\]/);
  });

  it('is chosen by format=auto on a terminal outside production', () => {
    const { logger, text } = capture({ format: 'auto', isTty: true, production: false });
    logger.info('auto pretty');
    assert.match(text(), /INFO.*auto pretty/);
    assert.doesNotMatch(text(), /^\{/);
  });
});

describe('AppLogger', () => {
  it('is satisfied by the pino logger as it is, child loggers included', () => {
    const { logger, records } = capture({ level: 'debug' });
    const app: AppLogger = logger; // no cast: the one logging interface is a subset of pino's
    const run: AppLogger = app.child({ account: 'main' }).child({ runId: '7' });
    run.debug({ step: 1 }, 'resolving');
    run.warn({}, 'slow');
    assert.deepEqual(
      records().map(({ level, account, runId, msg }) => ({ level, account, runId, msg })),
      [
        { level: 'debug', account: 'main', runId: '7', msg: 'resolving' },
        { level: 'warn', account: 'main', runId: '7', msg: 'slow' },
      ],
    );
  });

  it('has a silent implementation whose children are silent too', () => {
    assert.equal(silentLogger.child({ account: 'main' }), silentLogger);
    silentLogger.error({ error: 'ignored' }, 'nothing is written');
  });
});
