/**
 * End-to-end secret hygiene: a child process configured with canary secrets logs them every way we
 * could think of and dies with an error; nothing it writes may contain a canary.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  assertNoSecretCanaries,
  canaryDatabaseUrl,
  canaryEnvironment,
  findSecretCanaries,
  SECRET_CANARIES,
} from '../../helpers/secret-canaries.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/log-with-canaries.ts', import.meta.url));

interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the fixture with exactly `env` (plus PATH/HOME), capturing everything it writes. */
function runFixture(env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function assertClean(result: ChildResult): void {
  assertNoSecretCanaries(result.stdout, 'stdout');
  assertNoSecretCanaries(result.stderr, 'stderr');
}

describe('secret canary helper', () => {
  it('finds every canary in every form it could leak in', () => {
    const { phoneNumber, databasePassword, sessionString } = SECRET_CANARIES;
    assert.deepEqual(findSecretCanaries(`x ${phoneNumber.slice(1)} y`), ['phoneNumber']);
    assert.deepEqual(findSecretCanaries(encodeURIComponent(databasePassword)), ['databasePassword']);
    assert.deepEqual(findSecretCanaries(JSON.stringify({ s: sessionString })), ['sessionString']);
    for (const [name, value] of Object.entries(SECRET_CANARIES)) {
      assert.deepEqual(findSecretCanaries(`... ${value} ...`), [name]);
    }
    assert.throws(() => assertNoSecretCanaries(`leak ${SECRET_CANARIES.loginCode}`), /loginCode/);
    assert.doesNotThrow(() => assertNoSecretCanaries('nothing secret here'));
  });
});

describe('no secret canary leaves a process that logs and fails', () => {
  const tempDir = mkdtempSync(join(tmpdir(), 'tg-sync-canaries-'));
  after(() => rmSync(tempDir, { recursive: true, force: true }));

  for (const format of ['json', 'pretty'] as const) {
    it(`with valid configuration and ${format} logs`, async () => {
      const result = await runFixture({ ...canaryEnvironment(), LOG_FORMAT: format, LOG_LEVEL: 'info' });
      assert.equal(result.code, 1, result.stderr);
      // The output is really there: every deliberate log line, and the fatal error.
      const logLines = result.stdout.split('\n').filter((line) => line.includes('canary-fixture:'));
      assert.equal(logLines.length, 9, result.stdout);
      assert.match(result.stdout, /\[REDACTED\]/);
      assert.match(result.stdout, /postgres:\/\/tg_sync:\*\*\*@db\.invalid:5432\/tg_sync/);
      assert.match(result.stderr, /canary-fixture: exiting\nError: canary-fixture: fatal with \[REDACTED\]/);
      assertClean(result);
    });
  }

  it('with invalid configuration (secrets in malformed values, test DC in production)', async () => {
    const { apiHash, databasePassword, sessionEncryptionKey } = SECRET_CANARIES;
    const result = await runFixture({
      NODE_ENV: 'production',
      TELEGRAM_API_ID: '1234567',
      TELEGRAM_API_HASH: `${apiHash}0`,
      DATABASE_URL: `postgres://tg_sync:${databasePassword}@db.invalid:5432/tg_sync`,
      TELEGRAM_SESSION_ENCRYPTION_KEY: `${sessionEncryptionKey}AA`,
      TELEGRAM_SESSION_KEY_ID: 'canary-key',
      TELEGRAM_TEST_DC_HOST: '127.0.0.1',
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /Invalid configuration \(4 problems\)/);
    for (const option of [
      'DATABASE_URL',
      'TELEGRAM_API_HASH',
      'TELEGRAM_SESSION_ENCRYPTION_KEY',
      'TELEGRAM_TEST_DC_HOST',
    ]) {
      assert.match(result.stderr, new RegExp(`- ${option}: `));
    }
    assert.match(result.stderr, /postgres:\/\/tg_sync:\*\*\*@db\.invalid/);
    assertClean(result);
  });

  it('with an unparseable DATABASE_URL and a password in its query', async () => {
    const result = await runFixture({
      ...canaryEnvironment(),
      DATABASE_URL: `postgresql://tg_sync:${SECRET_CANARIES.databasePassword}@db.invalid:99999/x?password=${SECRET_CANARIES.databasePassword}`,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /- DATABASE_URL: /);
    assertClean(result);
  });

  it('with a config file holding secrets: bad values, unknown keys and a syntax error', async () => {
    const { apiHash, sessionString, phoneNumber, twoFactorPassword } = SECRET_CANARIES;
    const badValues = join(tempDir, 'bad-values.yaml');
    writeFileSync(
      badValues,
      [
        `TELEGRAM_API_ID: 1234567`,
        `TELEGRAM_API_HASH: "${apiHash}-${twoFactorPassword}"`,
        `DATABASE_URL: "${canaryDatabaseUrl().replace('5432', 'port')}"`,
        `TELEGRAM_SESSION: "${sessionString}"`,
        `PHONE: "${phoneNumber}"`,
      ].join('\n'),
    );
    const first = await runFixture({ TG_SYNC_CONFIG_FILE: badValues });
    assert.equal(first.code, 2, first.stderr);
    assert.match(first.stderr, /- TELEGRAM_API_HASH: .*\(set in /);
    assert.match(first.stderr, /- TELEGRAM_SESSION: is not a known option/);
    assert.match(first.stderr, /- PHONE: is not a known option/);
    assertClean(first);

    const brokenSyntax = join(tempDir, 'broken.yaml');
    writeFileSync(brokenSyntax, `TELEGRAM_API_ID: 1\nTELEGRAM_API_HASH: "${apiHash}\nSESSION: '${sessionString}\n`);
    const second = await runFixture({ TG_SYNC_CONFIG_FILE: brokenSyntax });
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /is not valid YAML: .* at line \d+/);
    assertClean(second);
  });
});
