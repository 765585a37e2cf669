import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskUrlPasswords, scrubSecrets } from '../../../src/observability/redaction.ts';
import { MIN_SECRET_LENGTH, SecretRegistry } from '../../../src/observability/secret-registry.ts';

describe('SecretRegistry', () => {
  it('replaces every occurrence of a registered value', () => {
    const secrets = new SecretRegistry();
    secrets.add('hunter2-secret');
    assert.equal(secrets.scrub('a hunter2-secret b hunter2-secret'), 'a [REDACTED] b [REDACTED]');
  });

  it('leaves text alone when nothing is registered', () => {
    assert.equal(new SecretRegistry().scrub('nothing to hide'), 'nothing to hide');
  });

  it('treats registered values literally, not as patterns', () => {
    const secrets = new SecretRegistry();
    secrets.add('a.b*c(d)');
    assert.equal(secrets.scrub('x a.b*c(d) aXbbbc(d)'), 'x [REDACTED] aXbbbc(d)');
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const secrets = new SecretRegistry();
    secrets.addAll(['abcd', 'abcdefgh']);
    assert.equal(secrets.scrub('abcdefgh'), '[REDACTED]');
  });

  it('catches the URL-encoded form of a secret (passwords inside URLs)', () => {
    const secrets = new SecretRegistry();
    secrets.add('p@ss/word');
    assert.equal(secrets.scrub('user:p%40ss%2Fword@host'), 'user:[REDACTED]@host');
  });

  it('catches phone numbers with or without "+" and separators', () => {
    const secrets = new SecretRegistry();
    secrets.add('+1 555 010-4242');
    assert.equal(
      secrets.scrub('a 15550104242 b +15550104242 c +1 555 010-4242'),
      'a [REDACTED] b [REDACTED] c [REDACTED]',
    );
  });

  it(`ignores values shorter than ${MIN_SECRET_LENGTH} characters and missing values`, () => {
    const secrets = new SecretRegistry();
    assert.equal(secrets.add('abc'), false);
    assert.equal(secrets.add(undefined), false);
    assert.equal(secrets.add(''), false);
    assert.equal(secrets.size, 0);
    assert.equal(secrets.add('abcd'), true);
  });

  it('forgets a removed secret, and sees secrets added after first use', () => {
    const secrets = new SecretRegistry();
    secrets.add('first-secret');
    assert.equal(secrets.scrub('first-secret second-secret'), '[REDACTED] second-secret');
    secrets.add('second-secret');
    secrets.remove('first-secret');
    assert.equal(secrets.scrub('first-secret second-secret'), 'first-secret [REDACTED]');
  });
});

describe('maskUrlPasswords', () => {
  const cases: [string, string][] = [
    ['connect postgres://app:s3cret@db:5432/app failed', 'connect postgres://app:***@db:5432/app failed'],
    ['postgresql://app:p@ss@db/app', 'postgresql://app:***@db/app'],
    ['"url":"postgres://a:b@h/d","x":"y@z"', '"url":"postgres://a:***@h/d","x":"y@z"'],
    ['redis://:onlypass@cache:6379', 'redis://:***@cache:6379'],
    ['postgres://db/app?sslmode=require&password=s3cret', 'postgres://db/app?sslmode=require&password=***'],
    ['host=db password=s3cret user=app', 'host=db password=*** user=app'],
    ['postgres://app@db/app', 'postgres://app@db/app'],
    ['see https://example.com/a:b', 'see https://example.com/a:b'],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => assert.equal(maskUrlPasswords(input), expected));
  }
});

describe('scrubSecrets', () => {
  it('applies registered values and URL password masking together', () => {
    const secrets = new SecretRegistry();
    secrets.add('api-hash-value');
    assert.equal(
      scrubSecrets('hash api-hash-value url postgres://u:pw1@h/d', secrets),
      'hash [REDACTED] url postgres://u:***@h/d',
    );
  });

  it('masks URL passwords even without a registry', () => {
    assert.equal(scrubSecrets('postgres://u:pw1@h/d'), 'postgres://u:***@h/d');
  });
});
