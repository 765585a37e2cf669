import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseUrlPassword, describeDatabaseUrlProblem } from '../../../src/config/database-url.ts';

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
