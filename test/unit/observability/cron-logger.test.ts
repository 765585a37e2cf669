import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cronLogBridge } from '../../../src/observability/cron-logger.ts';

function recordingSink(debugEnabled = false) {
  const lines: { level: string; object: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (object: object, message: string) =>
    lines.push({ level, object: object as Record<string, unknown>, message });
  return {
    lines,
    sink: {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      isLevelEnabled: (level: string) => level === 'debug' && debugEnabled,
    },
  };
}

describe('cronLogBridge (node-cron messages through the job logger)', () => {
  it('logs an error with its cause as one line and no stack', () => {
    const { lines, sink } = recordingSink();
    const cause = new Error(
      'Invalid `prisma.$queryRawUnsafe()` invocation:\n\nRaw query failed. Code: `42P01`. Message: `relation "worker_ticks" does not exist`',
    );
    cronLogBridge(sink).error('Run coordinator failed; skipping execution (fail-closed)', cause);
    assert.deepEqual(lines, [
      {
        level: 'error',
        object: { component: 'node-cron', error: 'database error 42P01: relation "worker_ticks" does not exist' },
        message: 'Run coordinator failed; skipping execution (fail-closed)',
      },
    ]);
  });

  it('takes an Error passed as the message, and adds the stack only at debug level', () => {
    const { lines, sink } = recordingSink(true);
    cronLogBridge(sink).error(new Error('boom'));
    assert.equal(lines[0]?.message, 'boom');
    assert.match(String(lines[0]?.object.stack), /^Error: boom\n\s+at /);
  });

  it('keeps node-cron info lines out of the info log, and passes warnings through', () => {
    const { lines, sink } = recordingSink();
    const bridge = cronLogBridge(sink);
    bridge.info('task started');
    bridge.warn('missed execution at …');
    assert.deepEqual(
      lines.map((line) => line.level),
      ['debug', 'warn'],
    );
  });
});
