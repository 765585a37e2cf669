import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config/config-error.ts';
import { AppError } from '../../../src/errors/app-error.ts';
import { formatFatalError } from '../../../src/observability/fatal-error.ts';
import { SecretRegistry } from '../../../src/observability/secret-registry.ts';

describe('formatFatalError', () => {
  const secrets = new SecretRegistry();
  secrets.add('session-string-secret');

  it('prints a ConfigError as its problem list, without a stack', () => {
    const error = new ConfigError([
      { option: 'SYNC_CRON', message: 'must be a cron expression', example: '*/15 * * * *' },
    ]);
    assert.equal(
      formatFatalError(error, { secrets, includeStack: true }),
      'Invalid configuration (1 problem):\n  - SYNC_CRON: must be a cron expression\n      example: SYNC_CRON=*/15 * * * *',
    );
  });

  it('prints other errors as one scrubbed line by default', () => {
    const error = new TypeError('bad session-string-secret for postgres://u:pw@h/d');
    assert.equal(formatFatalError(error, { secrets }), 'TypeError: bad [REDACTED] for postgres://u:***@h/d');
    assert.equal(formatFatalError(new Error('plain')), 'error: plain');
    assert.equal(
      formatFatalError('thrown string session-string-secret', { secrets }),
      'error: thrown string [REDACTED]',
    );
  });

  it('includes the scrubbed stack on request', () => {
    const text = formatFatalError(new Error('with session-string-secret'), { secrets, includeStack: true });
    assert.match(text, /^Error: with \[REDACTED\]\n\s+at /);
  });

  it('prints a user mistake as one line without its class name, even when stacks are asked for', () => {
    const mistake = new AppError('no account "x" with session-string-secret', { kind: 'unknown', userMistake: true });
    assert.equal(formatFatalError(mistake, { secrets, includeStack: true }), 'error: no account "x" with [REDACTED]');
    const bug = new AppError('the run broke', { kind: 'unexpected' });
    assert.match(formatFatalError(bug, { secrets, includeStack: true }), /^AppError: the run broke\n\s+at /);
    assert.equal(formatFatalError(bug, { secrets }), 'error: the run broke');
  });
});
