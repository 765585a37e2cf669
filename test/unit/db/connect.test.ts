import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { DatabaseConfigError, resolveDatabase } from '../../../src/db/connect.ts';
import { DatabaseUrlError } from '../../../src/db/database-url.ts';
import type { AppLogger } from '../../../src/observability/app-logger.ts';

function recordingLogger(): Pick<AppLogger, 'info' | 'warn' | 'error'> & { lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (objOrMsg: object | string, msg?: string) => {
    lines.push(`${level} ${typeof objOrMsg === 'string' ? objOrMsg : `${JSON.stringify(objOrMsg)} ${msg ?? ''}`}`);
  };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

// The embedded options point at a folder that must never be created by these tests: every case
// here is decided before an embedded server would be started.
const embedded = { dataDir: '/nonexistent/never-created', port: 54998 };

describe('resolveDatabase', () => {
  it('in production, refuses to run without DATABASE_URL, saying what to set', async () => {
    const logger = recordingLogger();
    await assert.rejects(
      resolveDatabase({ databaseUrl: undefined, production: true, embedded, logger }),
      (error: unknown) => {
        assert.ok(error instanceof DatabaseConfigError);
        assert.equal(error.kind, 'missing-database-url');
        assert.match(error.message, /DATABASE_URL is not set/);
        assert.match(error.message, /postgresql:\/\/USER:PASSWORD@HOST:5432\/DATABASE/);
        return true;
      },
    );
    assert.ok(!logger.lines.some((line) => /EMBEDDED/.test(line)), 'no embedded server announced');
  });

  it('treats an empty DATABASE_URL as missing', async () => {
    await assert.rejects(
      resolveDatabase({ databaseUrl: '  ', production: true, embedded, logger: recordingLogger() }),
      DatabaseConfigError,
    );
  });

  it('rejects a malformed DATABASE_URL without ever showing its password', async () => {
    const logger = recordingLogger();
    const secret = 'Sup3rS3cret';
    const error = await resolveDatabase({
      databaseUrl: `postgresql://sync:${secret}#1@db.example:5432/tg`,
      production: true,
      embedded,
      logger,
    }).then(
      () => assert.fail('expected a rejection'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof DatabaseUrlError);
    for (const rendering of [error.message, String(error.stack), inspect(error, { depth: 5 }), JSON.stringify(error)]) {
      assert.ok(!rendering.includes(secret), `password leaked in: ${rendering}`);
    }
    assert.match(error.message, /postgresql:\/\/sync:\*\*\*@/);
    assert.ok(!logger.lines.join('\n').includes(secret));
  });

  it('uses a configured URL as is and logs it with the password masked', async () => {
    const logger = recordingLogger();
    const url = 'postgresql://sync:Sup3rS3cret@db.example:5432/tg';
    const resolved = await resolveDatabase({ databaseUrl: url, production: false, embedded, logger });
    assert.equal(resolved.url, url);
    assert.equal(resolved.source, 'external');
    await resolved.stop();
    const log = logger.lines.join('\n');
    assert.match(log, /postgresql:\/\/sync:\*\*\*@db\.example:5432\/tg/);
    assert.ok(!log.includes('Sup3rS3cret'));
  });
});
