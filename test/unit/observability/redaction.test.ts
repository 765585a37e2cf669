/**
 * The one implementation of "show a database URL without its password", proven on the cases both of
 * its former copies were tested with (config's raw-text rules and the database layer's), and shown to
 * be what the config loader and the database URL parser use.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDatabaseConfig } from '../../../src/config/index.ts';
import { parseDatabaseUrl } from '../../../src/db/database-url.ts';
import { maskUrlPasswords, redactDatabaseUrl } from '../../../src/observability/redaction.ts';

describe('redactDatabaseUrl', () => {
  const cases: [string, string][] = [
    ['postgres://app:s3cret@db:5432/app', 'postgres://app:***@db:5432/app'],
    ['postgresql://app:p%40ss@db/app?sslmode=require', 'postgresql://app:***@db/app?sslmode=require'],
    ['postgres://app@db/app', 'postgres://app@db/app'],
    ['postgres://db:5432/app', 'postgres://db:5432/app'],
    ['postgres://db/app?password=s3cret&sslmode=require', 'postgres://db/app?password=***&sslmode=require'],
    ['postgres://app:pa@ss/w0rd@db/app', 'postgres://app:***@db/app'],
    ['postgres://app:s3cret@db:99999/app', 'postgres://app:***@db:99999/app'],
    ['postgres//app:s3cret@db/app', 'postgres//app:***@db/app'],
    ['postgres://app:s3cret', 'postgres://***'],
    ['app:s3cret', '***'],
    ['', '***'],
    [
      'postgresql://sync:s3cr3t@db.example:5433/tg?sslmode=require',
      'postgresql://sync:***@db.example:5433/tg?sslmode=require',
    ],
    ['postgres://sync@db/tg', 'postgres://sync@db/tg'],
    ['postgresql://db/tg?user=sync&password=s3cr3t', 'postgresql://db/tg?user=sync&password=***'],
    ['postgresql://sync:p@ss#w0rd@db:5432/tg', 'postgresql://sync:***@db:5432/tg'],
    ['postgresql://sync:s3cr3t#@db/tg', 'postgresql://sync:***@db/tg'],
    [
      'postgresql://db/tg?sslpassword=s3cr3t&passfile=/home/u/.pgpass',
      'postgresql://db/tg?sslpassword=***&passfile=***',
    ],
    ['host=db user=sync password=s3cr3t dbname=tg', 'host=db user=sync password=*** dbname=tg'],
    ["host=db password = 's3 cr\\'3t' dbname=tg", 'host=db password = *** dbname=tg'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(redactDatabaseUrl(input), expected);
    });
  }

  it('never echoes the password of any of those inputs', () => {
    for (const [input, redacted] of cases) {
      for (const secret of ['s3cret', 's3cr3t', 'p@ss', 'w0rd', 'pa@ss', 'cr\\']) {
        if (input.includes(secret)) assert.ok(!redacted.includes(secret), `${input} → ${redacted}`);
      }
    }
  });
});

describe('maskUrlPasswords', () => {
  it('masks a quoted libpq password whole, and an unterminated one to the end', () => {
    assert.equal(maskUrlPasswords("connect password='a b c' host=db"), 'connect password=*** host=db');
    assert.equal(maskUrlPasswords("password='never closed host=db"), 'password=***');
  });
});

describe('the callers use the one implementation', () => {
  const url = 'postgresql://app:pa@ss/w0rd@db.example/app?sslpassword=k3y';

  it('the config loader shows DATABASE_URL through it', () => {
    const config = loadDatabaseConfig({
      env: { DATABASE_URL: 'postgresql://app:p%40ss@db.example/app?sslpassword=k3y' },
      cwd: '/srv',
      readFile: () => '',
    });
    assert.equal(
      config.database.kind === 'external' && config.database.redactedUrl,
      redactDatabaseUrl('postgresql://app:p%40ss@db.example/app?sslpassword=k3y'),
    );
  });

  it('the database URL parser names the URL through it', () => {
    assert.throws(
      () => parseDatabaseUrl(url),
      (error: unknown) => error instanceof Error && error.message.includes(`(${redactDatabaseUrl(url)})`),
    );
  });
});
