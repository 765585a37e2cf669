/**
 * `tg-dialog-sync config check` as a child process against a real database and the local data center
 * (issue 17): all well (exit 0, one `ok` line per check), a bad setting (the database is still
 * checked), an unmigrated database (the command to run), an unreachable one, an account without a
 * stored session, and a session the configured key cannot decrypt. No line carries a secret.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createEmptyTestDatabase } from '../../helpers/database.ts';
import { answers, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';
import { runCli, type CliRun } from '../../helpers/cli-process.ts';

const checkLines = (run: CliRun) => run.stdout.split('\n').filter((line) => /^(ok|FAIL|skip)\s/.test(line));

describe('tg-dialog-sync config check', () => {
  let cli: CliEnvironment;
  let session: string;
  const encryption = {
    TELEGRAM_SESSION_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TELEGRAM_SESSION_KEY_ID: 'check-1',
  };
  const outputs: string[] = [];
  const check = async (env: NodeJS.ProcessEnv): Promise<CliRun> => {
    const run = await runCli(['config', 'check'], env);
    outputs.push(run.stdout, run.stderr);
    return run;
  };

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_config_check',
      world: { seed: 'cli-config-check', peers: 20, accounts: 1, botAccounts: 0 },
    });
    session = cli.server.sessionFor(cli.accounts[0]!.userId);
  });
  after(async () => {
    // Whatever each case printed: never the api_hash, the encryption key or the session.
    const printed = outputs.join('\n');
    for (const secret of [cli.env.TELEGRAM_API_HASH!, encryption.TELEGRAM_SESSION_ENCRYPTION_KEY, session])
      assert.ok(!printed.includes(secret), 'a secret was printed');
    await cli?.close();
  });

  it('a ready installation without accounts: every check ok, exit 0', async () => {
    const run = await check(cli.env);
    assert.equal(run.code, 0, run.stderr + run.stdout);
    assert.deepEqual(
      checkLines(run).map((line) => line.replace(/:.*/, '')),
      ['ok    settings', 'ok    database', 'ok    migrations', 'ok    accounts'],
    );
    assert.match(run.stdout, /^ok {4}migrations: all \d+ applied$/m);
    assert.match(run.stdout, /^config check: all 4 checks passed$/m);
  });

  it('a bad setting: the settings check fails naming it, the database is still checked, exit 1', async () => {
    const run = await check({ ...cli.env, SYNC_BATCH_SIZE: 'lots' });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^FAIL {2}settings: 1 problem\(s\)$/m);
    assert.match(run.stdout, /^ {8}- SYNC_BATCH_SIZE: /m);
    assert.match(run.stdout, /^ok {4}database: reachable at /m);
    assert.match(run.stdout, /^ok {4}migrations: /m);
    assert.match(run.stdout, /^skip {2}sessions: not checked until the settings above are fixed$/m);
    assert.match(run.stderr, /^config check: 1 of 3 checks failed$/m);
  });

  it('an unmigrated database: the migrations check fails and says to run `db migrate`, exit 1', async () => {
    const empty = await createEmptyTestDatabase('cli_config_check_empty');
    try {
      const run = await check({ ...cli.env, DATABASE_URL: empty.url });
      assert.equal(run.code, 1);
      assert.match(run.stdout, /^ok {4}database: /m);
      assert.match(
        run.stdout,
        /^FAIL {2}migrations: (\d+) of \1 not applied \(first \S+\): run `tg-dialog-sync db migrate`$/m,
      );
      assert.match(run.stdout, /^skip {2}sessions: not checked until the migrations are applied$/m);
    } finally {
      await empty.drop();
    }
  });

  it('an unreachable database: one FAIL line with the password masked, exit 1', async () => {
    const run = await check({ ...cli.env, DATABASE_URL: 'postgresql://sync:Hunter2Secret@127.0.0.1:1/tg' });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^FAIL {2}database: cannot reach the database at postgresql:\/\/sync:\*\*\*@127\.0\.0\.1:1\/tg: /m,
    );
    assert.ok(!`${run.stdout}${run.stderr}`.includes('Hunter2Secret'));
  });

  it('accounts: a readable session is ok, a missing one fails with the login command', async () => {
    const env = { ...cli.env, ...encryption };
    const login = await runCli(['login', '--account', 'main', '--session-stdin'], env, answers(session));
    assert.equal(login.code, 0, login.stderr);
    await cli.sql.query(`INSERT INTO accounts (label, status) VALUES ('spare', 'active')`);
    const run = await check(env);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^ok {4}settings: valid \(.*sessions encrypted in the database \(key id "check-1"\)\)$/m);
    assert.match(run.stdout, /^ok {4}account "main": session readable \(status active\)$/m);
    assert.match(
      run.stdout,
      /^FAIL {2}account "spare": no stored session \(.+\): log in with `tg-dialog-sync login --account spare`$/m,
    );
    await cli.sql.query(`DELETE FROM accounts WHERE label = 'spare'`);
    const fine = await check(env);
    assert.equal(fine.code, 0, fine.stdout + fine.stderr);
  });

  it('a session the configured key cannot decrypt fails, exit 1', async () => {
    const run = await check({
      ...cli.env,
      ...encryption,
      TELEGRAM_SESSION_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    assert.equal(run.code, 1);
    assert.match(
      run.stdout,
      /^FAIL {2}account "main": the stored session of account "main" cannot be read: the key with id "check-1" does not decrypt it/m,
    );
  });
});
