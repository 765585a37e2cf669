import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  databaseUrlPassword,
  describeDatabaseUrlProblem,
  redactDatabaseUrl,
} from '../../../src/config/database-url.ts';

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
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(redactDatabaseUrl(input), expected);
    });
  }
});

describe('describeDatabaseUrlProblem', () => {
  it('accepts postgres and postgresql URLs, including a unix socket host parameter', () => {
    assert.equal(describeDatabaseUrlProblem('postgres://app:pw@db:5432/app'), undefined);
    assert.equal(describeDatabaseUrlProblem('postgresql://app@localhost/app'), undefined);
    assert.equal(describeDatabaseUrlProblem('postgresql:///app?host=/var/run/postgresql'), undefined);
  });

  it('explains what is wrong', () => {
    assert.match(describeDatabaseUrlProblem('not a url') ?? '', /not a valid URL.*percent-encoded/);
    assert.match(describeDatabaseUrlProblem('mysql://app@db/app') ?? '', /postgres:\/\/ or postgresql:\/\//);
    assert.match(describeDatabaseUrlProblem('postgres:///app') ?? '', /has no host/);
    assert.match(describeDatabaseUrlProblem('postgres://app:pa@ss/w@rd@db/app') ?? '', /"@" after the host/);
  });
});

describe('databaseUrlPassword', () => {
  it('returns the decoded password, or undefined without one', () => {
    assert.equal(databaseUrlPassword('postgres://app:p%40ss%2Fword@db/app'), 'p@ss/word');
    assert.equal(databaseUrlPassword('postgres://app@db/app'), undefined);
  });
});
