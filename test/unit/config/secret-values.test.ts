import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configSecretValues, loadConfig } from '../../../src/config/index.ts';

const API_HASH = '0123456789abcdef0123456789abcdef';

describe('configSecretValues', () => {
  it('lists the api hash, the session key and the decoded database password', () => {
    const key = Buffer.alloc(32, 9).toString('base64');
    const config = loadConfig({
      env: {
        TELEGRAM_API_ID: '1',
        TELEGRAM_API_HASH: API_HASH,
        DATABASE_URL: 'postgres://app:p%40ss%2Fword@db/app',
        TELEGRAM_SESSION_ENCRYPTION_KEY: key,
        TELEGRAM_SESSION_KEY_ID: 'k1',
      },
      cwd: '/srv',
    });
    assert.deepEqual(configSecretValues(config), [API_HASH, key, 'p@ss/word']);
  });

  it('lists only the api hash when nothing else is configured', () => {
    const config = loadConfig({ env: { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH: API_HASH }, cwd: '/srv' });
    assert.deepEqual(configSecretValues(config), [API_HASH]);
  });
});
