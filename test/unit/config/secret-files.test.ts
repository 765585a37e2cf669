/**
 * `<NAME>_FILE` for the secret options (Docker secrets): read through loadConfig with a fake file
 * reader, so the whole path (environment → file → validation → errors) is exercised.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, loadDatabaseConfig, OPTIONS } from '../../../src/config/index.ts';
import { SECRET_FILE_OPTIONS } from '../../../src/config/secret-files.ts';

const API_HASH = '0123456789abcdef0123456789abcdef';
const CWD = '/app';

/** Reads like fs.readFileSync: the given files, EISDIR for the given directories, else ENOENT. */
function reader(files: Record<string, string>, directories: readonly string[] = []) {
  return (path: string): string => {
    if (Object.hasOwn(files, path)) return files[path]!;
    const code = directories.includes(path) ? 'EISDIR' : 'ENOENT';
    const error = new Error(`${code}: cannot open '${path}'`) as NodeJS.ErrnoException;
    error.code = code;
    throw error;
  };
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('secret options from <NAME>_FILE', () => {
  it('offers the _FILE form for exactly the secret options of the registry', () => {
    assert.deepEqual([...SECRET_FILE_OPTIONS].sort(), [
      'DATABASE_URL',
      'TELEGRAM_API_HASH',
      'TELEGRAM_SESSION_ENCRYPTION_KEY',
      'TELEGRAM_SESSION_PREVIOUS_KEYS',
    ]);
    for (const name of SECRET_FILE_OPTIONS) assert.notEqual(OPTIONS[name].secret, 'none');
  });

  it('reads the value from the file (trailing newline dropped, relative paths against the working directory) and warns about nothing', () => {
    const config = loadConfig({
      env: {
        TELEGRAM_API_ID: '1234567',
        TELEGRAM_API_HASH_FILE: '/run/secrets/api_hash',
        DATABASE_URL_FILE: 'secrets/db_url',
      },
      cwd: CWD,
      readFile: reader({
        '/run/secrets/api_hash': `${API_HASH}\n`,
        '/app/secrets/db_url': 'postgres://u:pw0123456789@db:5432/tg\n',
      }),
    });
    assert.equal(config.telegram.apiHash, API_HASH);
    assert.equal(config.database.kind === 'external' && config.database.url, 'postgres://u:pw0123456789@db:5432/tg');
    assert.deepEqual(config.warnings, [], 'TELEGRAM_API_HASH_FILE is not an unknown variable');
  });

  it('refuses a missing file with one clear line naming the variable and the path, not a stack trace', () => {
    const error = configError(() =>
      loadConfig({
        env: { TELEGRAM_API_ID: '1234567', TELEGRAM_API_HASH_FILE: '/run/secrets/api_hash' },
        cwd: CWD,
        readFile: reader({}),
      }),
    );
    assert.deepEqual(
      error.problems.map((problem) => problem.option),
      ['TELEGRAM_API_HASH_FILE'],
    );
    assert.match(
      error.message,
      /TELEGRAM_API_HASH_FILE: cannot read \/run\/secrets\/api_hash \(no such file\); point it at the file that holds TELEGRAM_API_HASH/,
    );
    assert.doesNotMatch(error.message, /is required/, 'the option is not reported missing as well');
    assert.doesNotMatch(error.message, /ENOENT|\n\s+at /);
  });

  it('refuses an empty file, a directory, and the variable set twice', () => {
    const empty = configError(() =>
      loadConfig({
        env: { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH_FILE: '/s/hash' },
        cwd: CWD,
        readFile: reader({ '/s/hash': '\n' }),
      }),
    );
    assert.match(
      empty.message,
      /TELEGRAM_API_HASH_FILE: \/s\/hash is empty; it must hold the value of TELEGRAM_API_HASH/,
    );
    const directory = configError(() =>
      loadConfig({
        env: { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH_FILE: '/s/' },
        cwd: CWD,
        readFile: reader({}, ['/s']),
      }),
    );
    assert.match(directory.message, /TELEGRAM_API_HASH_FILE: cannot read \/s \(it is a directory\)/);
    const twice = configError(() =>
      loadConfig({
        env: { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH: API_HASH, TELEGRAM_API_HASH_FILE: '/s/hash' },
        cwd: CWD,
        readFile: reader({ '/s/hash': API_HASH }),
      }),
    );
    assert.match(twice.message, /TELEGRAM_API_HASH_FILE: is set and so is TELEGRAM_API_HASH; set only one of them/);
  });

  it("validates the file's value like the option's, without echoing it", () => {
    const secret = 'not-a-hash-but-a-secret';
    const error = configError(() =>
      loadConfig({
        env: { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH_FILE: '/s/hash' },
        cwd: CWD,
        readFile: reader({ '/s/hash': secret }),
      }),
    );
    assert.deepEqual(
      error.problems.map((problem) => problem.option),
      ['TELEGRAM_API_HASH'],
    );
    assert.ok(!error.message.includes(secret), error.message);
  });

  it('leaves the non-secret options alone: no SYNC_CRON_FILE', () => {
    const config = loadConfig({
      env: { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH: API_HASH, SYNC_CRON_FILE: '/s/cron' },
      cwd: CWD,
      readFile: reader({ '/s/cron': '0 * * * *' }),
    });
    assert.notEqual(config.sync.cron, '0 * * * *');
    assert.ok(
      config.warnings.some((warning) => warning.includes('SYNC_CRON_FILE')),
      'an unknown variable, as before',
    );
  });

  it('ignores a broken Telegram secret file in database-only commands', () => {
    const config = loadDatabaseConfig({
      env: { DATABASE_URL_FILE: '/s/url', TELEGRAM_API_HASH_FILE: '/missing' },
      cwd: CWD,
      readFile: reader({ '/s/url': 'postgres://u:p@db:5432/tg' }),
    });
    assert.equal(config.database.kind === 'external' && config.database.url, 'postgres://u:p@db:5432/tg');
  });
});
