import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DatabaseUrlError, parseDatabaseUrl, withDatabaseName } from '../../../src/db/database-url.ts';

describe('parseDatabaseUrl', () => {
  it('returns host, port, user and database', () => {
    assert.deepEqual(parseDatabaseUrl('postgresql://sync:pw@db.example:6543/tg_sync'), {
      host: 'db.example',
      port: 6543,
      user: 'sync',
      database: 'tg_sync',
    });
  });

  it('defaults the port to 5432', () => {
    assert.equal(parseDatabaseUrl('postgres://sync@db/tg').port, 5432);
  });

  for (const [label, url, pattern] of [
    ['not a URL', 'postgresql://sync:s3cr3t#x@db/tg', /not a valid URL/],
    ['another scheme', 'mysql://sync:s3cr3t@db/tg', /must start with postgresql:\/\//],
    ['no database', 'postgresql://sync:s3cr3t@db:5432', /names no database/],
  ] as const) {
    it(`rejects ${label} with a message that names the problem but not the password`, () => {
      assert.throws(
        () => parseDatabaseUrl(url),
        (error: unknown) => {
          assert.ok(error instanceof DatabaseUrlError);
          assert.equal(error.kind, 'malformed-url');
          assert.match(error.message, pattern);
          assert.ok(!error.message.includes('s3cr3t'), error.message);
          assert.ok(!String(error.stack).includes('s3cr3t'));
          assert.equal(error.cause, undefined);
          return true;
        },
      );
    });
  }
});

describe('withDatabaseName', () => {
  it('swaps only the database', () => {
    assert.equal(
      withDatabaseName('postgresql://u:p@h:1/a?sslmode=disable', 'b'),
      'postgresql://u:p@h:1/b?sslmode=disable',
    );
  });
});

describe('parseDatabaseUrl with unencoded special characters', () => {
  it('rejects a URL that would parse with part of the password as the host', () => {
    // new URL() accepts this: user "sync", password "p", host "ss", fragment "w0rd@db:5432/tg".
    assert.throws(
      () => parseDatabaseUrl('postgresql://sync:p@ss#w0rd@db:5432/tg'),
      (error: unknown) =>
        error instanceof DatabaseUrlError &&
        /percent-encode/.test(error.message) &&
        !/ss#w0rd|w0rd/.test(error.message),
    );
  });
});
