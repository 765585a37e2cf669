import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, type ConfigProblem } from '../../../src/config/index.ts';

const API_HASH = '0123456789abcdef0123456789abcdef';
const CWD = '/srv/app';

/** A fake file system: absolute path → contents; anything else fails like fs does. */
function filesystem(files: Record<string, string>): (path: string) => string {
  return (path) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return text;
  };
}

function loadWithFile(fileName: string, text: string, env: Record<string, string> = {}) {
  return loadConfig({
    env: { TG_SYNC_CONFIG_FILE: fileName, ...env },
    cwd: CWD,
    readFile: filesystem({ [`/srv/app/${fileName}`]: text }),
  });
}

function problemsWithFile(fileName: string, text: string, env: Record<string, string> = {}): readonly ConfigProblem[] {
  try {
    loadWithFile(fileName, text, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems;
  }
  assert.fail('expected a ConfigError');
}

describe('config file', () => {
  const yaml = [
    'TELEGRAM_API_ID: 1234567',
    `TELEGRAM_API_HASH: "${API_HASH}"`,
    'SYNC_CRON: "*/5 * * * *"',
    'SYNC_RUN_ON_START: yes',
    'SYNC_BATCH_SIZE: 50',
    'SYNC_PEERS_FILE: peers.yaml',
    'LOG_LEVEL: debug',
  ].join('\n');

  it('reads options from a YAML file under their environment names', () => {
    const config = loadWithFile('conf/sync.yaml', yaml);
    assert.equal(config.configFile, '/srv/app/conf/sync.yaml');
    assert.equal(config.telegram.apiId, 1234567);
    assert.equal(config.telegram.apiHash, API_HASH);
    assert.equal(config.sync.cron, '*/5 * * * *');
    assert.equal(config.sync.runOnStart, true);
    assert.equal(config.sync.batchSize, 50);
    assert.equal(config.log.level, 'debug');
  });

  it('accepts the .yml extension', () => {
    assert.equal(loadWithFile('sync.yml', yaml).sync.batchSize, 50);
  });

  it("resolves relative paths in the file against the file's directory, and in env against cwd", () => {
    assert.equal(loadWithFile('conf/sync.yaml', yaml).sync.peersFile, '/srv/app/conf/peers.yaml');
    assert.equal(
      loadWithFile('conf/sync.yaml', yaml, { SYNC_PEERS_FILE: 'peers.yaml' }).sync.peersFile,
      '/srv/app/peers.yaml',
    );
  });

  it('lets environment variables override the file', () => {
    const config = loadWithFile('sync.yaml', yaml, { SYNC_BATCH_SIZE: '10', LOG_LEVEL: 'warn' });
    assert.equal(config.sync.batchSize, 10);
    assert.equal(config.log.level, 'warn');
    assert.equal(config.sync.cron, '*/5 * * * *', 'values not overridden still come from the file');
  });

  it('ignores an empty environment variable instead of letting it erase a file value', () => {
    assert.equal(loadWithFile('sync.yaml', yaml, { SYNC_BATCH_SIZE: '' }).sync.batchSize, 50);
  });

  it('reads a JSON file, numbers and booleans included', () => {
    const json = JSON.stringify({
      TELEGRAM_API_ID: 42,
      TELEGRAM_API_HASH: API_HASH,
      SYNC_RUN_ON_START: true,
      SYNC_PAUSE_MS: 1500,
      SYNC_TIMEZONE: 'America/New_York',
    });
    const config = loadWithFile('sync.json', json);
    assert.equal(config.telegram.apiId, 42);
    assert.equal(config.sync.runOnStart, true);
    assert.equal(config.sync.pauseMs, 1500);
    assert.equal(config.sync.timezone, 'America/New_York');
  });

  it('keeps an all-digit api hash exactly as written (no number rounding, leading zero kept)', () => {
    const digits = '01234567890123456789012345678901';
    assert.equal(
      loadWithFile('sync.yaml', `TELEGRAM_API_ID: 1\nTELEGRAM_API_HASH: ${digits}\n`).telegram.apiHash,
      digits,
    );
  });

  it('validates file values with the same rules and says they came from the file', () => {
    const problems = problemsWithFile(
      'sync.yaml',
      `TELEGRAM_API_ID: 1\nTELEGRAM_API_HASH: ${API_HASH}\nSYNC_BATCH_SIZE: 500\n`,
    );
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.option, 'SYNC_BATCH_SIZE');
    assert.match(problems[0]?.message ?? '', /at most 100 peers.*got "500" in \/srv\/app\/sync\.yaml/);
  });

  it('reports unknown keys (typos) with a suggestion, together with other problems', () => {
    const problems = problemsWithFile(
      'sync.yaml',
      `${yaml}\nSYNC_BACTH_SIZE: 5\nLOG_LEVLE: info\nCOMPLETELY_UNRELATED: 1\nSYNC_CONCURRENCY: 99\n`,
    );
    assert.deepEqual(
      problems.map((problem) => problem.option),
      ['SYNC_BACTH_SIZE', 'LOG_LEVLE', 'COMPLETELY_UNRELATED', 'SYNC_CONCURRENCY'],
    );
    assert.match(
      problems[0]?.message ?? '',
      /not a known option \(in \/srv\/app\/sync\.yaml\); did you mean SYNC_BATCH_SIZE\?/,
    );
    assert.match(problems[1]?.message ?? '', /did you mean LOG_LEVEL\?/);
    assert.doesNotMatch(problems[2]?.message ?? '', /did you mean/);
  });

  it('refuses TG_SYNC_CONFIG_FILE inside the file and lists or mappings as values', () => {
    const problems = problemsWithFile(
      'sync.yaml',
      `TG_SYNC_CONFIG_FILE: other.yaml\nSYNC_CRON: [1, 2]\nSYNC_TIMEZONE: { zone: UTC }\n`,
      {
        TELEGRAM_API_ID: '1',
        TELEGRAM_API_HASH: API_HASH,
      },
    );
    assert.deepEqual(
      problems.map((problem) => problem.option),
      ['TG_SYNC_CONFIG_FILE', 'SYNC_CRON', 'SYNC_TIMEZONE'],
    );
    assert.match(
      problems.find((problem) => problem.option === 'TG_SYNC_CONFIG_FILE')?.message ?? '',
      /only be set as an environment variable/,
    );
    assert.match(problems[1]?.message ?? '', /single value in \/srv\/app\/sync\.yaml, not a list or mapping/);
    assert.match(problems[2]?.message ?? '', /single value/);
  });

  it('reports a file that does not exist', () => {
    const problems = (() => {
      try {
        loadConfig({ env: { TG_SYNC_CONFIG_FILE: 'missing.yaml' }, cwd: CWD, readFile: filesystem({}) });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    })();
    assert.deepEqual(
      problems.map((problem) => problem.option),
      ['TG_SYNC_CONFIG_FILE'],
      'no "is required" noise for options the unreadable file may have set',
    );
    assert.match(problems[0]?.message ?? '', /cannot read \/srv\/app\/missing\.yaml: the file does not exist/);
  });

  it('reports an unsupported extension', () => {
    const problems = problemsWithFile('sync.toml', 'x = 1');
    assert.match(problems[0]?.message ?? '', /\.yaml, \.yml or \.json/);
  });

  it('reports a top-level list instead of a mapping', () => {
    const problems = problemsWithFile('sync.yaml', '- SYNC_CRON\n- LOG_LEVEL\n');
    assert.match(problems[0]?.message ?? '', /mapping of option names to values/);
  });

  it('accepts an empty file', () => {
    assert.equal(
      loadWithFile('sync.yaml', '', { TELEGRAM_API_ID: '1', TELEGRAM_API_HASH: API_HASH }).sync.batchSize,
      100,
    );
  });

  it('reports syntax errors by position without quoting the file (it may hold secrets)', () => {
    const secret = 'ab12cd34ab12cd34ab12cd34ab12cd34';
    const yamlProblems = problemsWithFile(
      'sync.yaml',
      `TELEGRAM_API_ID: 1\nTELEGRAM_API_HASH: "${secret}\nLOG_LEVEL: info\n`,
    );
    assert.equal(yamlProblems[0]?.option, 'TG_SYNC_CONFIG_FILE');
    assert.match(yamlProblems[0]?.message ?? '', /not valid YAML: .* at line \d+, column \d+/);
    const jsonProblems = problemsWithFile('sync.json', `{"TELEGRAM_API_HASH": "${secret}",, "LOG_LEVEL": "info"}`);
    assert.match(jsonProblems[0]?.message ?? '', /not valid JSON: unexpected character at line 1, column \d+/);
    const duplicate = problemsWithFile('sync.yaml', `LOG_LEVEL: info\nLOG_LEVEL: debug\n`);
    assert.match(duplicate[0]?.message ?? '', /an option appears twice at line 2/);
    for (const problem of [...yamlProblems, ...jsonProblems])
      assert.ok(!problem.message.includes(secret), problem.message);
  });

  it('never echoes a secret value from the file', () => {
    const secret = 'zz12cd34ab12cd34ab12cd34ab12cd34';
    const problems = problemsWithFile('sync.yaml', `TELEGRAM_API_ID: 1\nTELEGRAM_API_HASH: ${secret}\n`);
    assert.equal(problems[0]?.option, 'TELEGRAM_API_HASH');
    assert.match(problems[0]?.message ?? '', /\(set in \/srv\/app\/sync\.yaml\)/);
    assert.ok(!problems[0]?.message.includes(secret));
  });
});
