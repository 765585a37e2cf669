import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedactingStream, redactLogLine } from '../../../src/observability/redacting-stream.ts';
import { SecretRegistry } from '../../../src/observability/secret-registry.ts';

function redact(record: unknown, secrets?: SecretRegistry): unknown {
  return JSON.parse(redactLogLine(JSON.stringify(record), secrets));
}

describe('redactLogLine', () => {
  it('redacts secret keys at any depth and in any spelling', () => {
    const record = {
      msg: 'x',
      apiHash: 'h',
      a: { api_hash: 'h', b: [{ c: { d: { e: { sessionString: 's', 'Phone-Number': 'p', PASSWORD: 'x' } } } }] },
      authorization: 'Bearer t',
      databaseUrl: 'postgres://x',
      phoneCode: '12345',
      session: { dcId: 2, authKey: 'k' },
    };
    assert.deepEqual(redact(record), {
      msg: 'x',
      apiHash: '[REDACTED]',
      a: {
        api_hash: '[REDACTED]',
        b: [{ c: { d: { e: { sessionString: '[REDACTED]', 'Phone-Number': '[REDACTED]', PASSWORD: '[REDACTED]' } } } }],
      },
      authorization: '[REDACTED]',
      databaseUrl: '[REDACTED]',
      phoneCode: '[REDACTED]',
      session: '[REDACTED]',
    });
  });

  it('redacts `code` only when it looks like a login code, keeping error codes', () => {
    assert.deepEqual(
      redact({
        a: { code: '12345' },
        b: { code: 123456 },
        c: { code: 'ECONNRESET' },
        d: { code: 420 },
        e: { code: 'FLOOD_WAIT' },
      }),
      {
        a: { code: '[REDACTED]' },
        b: { code: '[REDACTED]' },
        c: { code: 'ECONNRESET' },
        d: { code: 420 },
        e: { code: 'FLOOD_WAIT' },
      },
    );
  });

  it('scrubs registered values and URL passwords inside strings and keys, keeping other fields', () => {
    const secrets = new SecretRegistry();
    secrets.add('sess-ion-value');
    assert.deepEqual(
      redact(
        {
          msg: 'using sess-ion-value',
          ['key sess-ion-value']: 1,
          err: { stack: 'Error: postgres://u:pw@h/d\n at x' },
          n: 5,
          ok: true,
          nil: null,
        },
        secrets,
      ),
      {
        msg: 'using [REDACTED]',
        'key [REDACTED]': 1,
        err: { stack: 'Error: postgres://u:***@h/d\n at x' },
        n: 5,
        ok: true,
        nil: null,
      },
    );
  });

  it('catches a secret containing JSON-escaped characters (works on decoded strings)', () => {
    const secrets = new SecretRegistry();
    secrets.add('quo"te\\secret');
    assert.deepEqual(redact({ msg: 'pw quo"te\\secret' }, secrets), { msg: 'pw [REDACTED]' });
  });

  it('scrubs a line that is not JSON as plain text', () => {
    const secrets = new SecretRegistry();
    secrets.add('plain-secret');
    assert.equal(
      redactLogLine('not json plain-secret postgres://u:pw@h', secrets),
      'not json [REDACTED] postgres://u:***@h',
    );
  });
});

describe('createRedactingStream', () => {
  it('writes one redacted, formatted line per input line', () => {
    const written: string[] = [];
    const stream = createRedactingStream({
      destination: { write: (chunk: string) => written.push(chunk) },
      format: (line) => `<${line}>`,
    });
    stream.write('{"password":"x"}\n{"msg":"ok"}\n');
    assert.deepEqual(written, ['<{"password":"[REDACTED]"}>', '<{"msg":"ok"}>']);
  });
});
