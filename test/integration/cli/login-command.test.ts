/**
 * `tg-dialog-sync login` as a child process against the local data center and PostgreSQL: code
 * login with and without 2FA (answers piped on stdin), wrong codes and passwords, session import,
 * bot refusal, the account lock, and no phone number, code, password or session in any output.
 */
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileSessionStore } from '../../../src/sessions/file-session-store.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { tryAcquireAccountLock } from '../../../src/db/account-lock.ts';
import { inspectSession, LoginError, logOutSession } from '../../../src/telegram/login.ts';
import { configureTestDataCenter } from '../../../src/telegram/test-data-center.ts';
import { assertNoSecretCanaries, canaryForms, SECRET_CANARIES } from '../../helpers/secret-canaries.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { answers, lastErrorLine, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';

/** The phone digits as the data center knows them (no '+'). */
const CANARY_PHONE_DIGITS = SECRET_CANARIES.phoneNumber.replace(/\D/g, '');

describe('tg-dialog-sync login', () => {
  let cli: CliEnvironment;
  /** Account 0: no 2FA; account 1: the canary phone, code and 2FA password; account 2: for session import; account 3: the bot. */
  const plain = () => cli.accounts[0]!;
  const canary = () => cli.accounts[1]!;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_login',
      world: { seed: 'cli-login', peers: 30, accounts: 4, botAccounts: 1 },
      accountOverrides: {
        1: {
          phone: CANARY_PHONE_DIGITS,
          loginCode: SECRET_CANARIES.loginCode,
          password: SECRET_CANARIES.twoFactorPassword,
        },
      },
    });
    assert.equal(plain().password, undefined, 'account 0 has no 2FA');
  });
  after(() => cli?.close());

  const accountRow = async (label: string) =>
    (
      await cli.sql.query(
        `SELECT id, status::text AS status, status_reason, telegram_user_id::text AS tid, last_login_at FROM accounts WHERE label = $1`,
        [label],
      )
    ).rows[0];

  /** Every form of the login data of `account` that must never be printed. */
  const assertNoLoginSecrets = (text: string, account: { phone: string; loginCode: string; password?: string }) => {
    for (const value of [`+${account.phone}`, account.loginCode, ...(account.password ? [account.password] : [])]) {
      for (const form of canaryForms(value))
        assert.equal(text.includes(form), false, `output contains a login secret (${form})\n${text}`);
    }
  };

  const access = () => ({
    apiId: cli.server.apiId,
    apiHash: cli.server.apiHash,
    testDataCenter: configureTestDataCenter(cli.server.testDataCenterOptions()),
    logger: createLogger({ level: 'silent', format: 'json' }),
    callTimeoutMs: 5_000,
  });

  it('logs in with phone and code read line by line from stdin, stores the session 0600 and records the login', async () => {
    const run = await runCli(['login', '--account', 'alice'], cli.env, answers(`+${plain().phone}`, plain().loginCode));
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /Created and logged in account "alice" as .*Telegram user \d+; session stored in .*sessions/,
    );
    const row = await accountRow('alice');
    assert.equal(row.status, 'active');
    assert.equal(row.tid, plain().userId.toString());
    assert.ok(row.last_login_at instanceof Date);
    const session = await fileSessionStore(cli.sessionDir).load('alice', row.id);
    assert.ok(session !== null);
    assert.equal((await stat(join(cli.sessionDir, 'alice.session'))).mode & 0o777, 0o600);
    const owner = await inspectSession(access(), session);
    assert.equal(owner.userId, plain().userId, 'the stored session is logged in as the account');
    assert.equal(run.stdout.includes(session) || run.stderr.includes(session), false, 'the session is not printed');
    assertNoLoginSecrets(run.stdout + run.stderr, plain());
  });

  it('asks for the 2FA password and never prints the phone number, code or password, even at LOG_LEVEL=trace', async () => {
    const run = await runCli(
      ['login', '--account', 'canary'],
      { ...cli.env, LOG_LEVEL: 'trace' },
      answers(SECRET_CANARIES.phoneNumber, SECRET_CANARIES.loginCode, SECRET_CANARIES.twoFactorPassword),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /two-step verification/);
    assert.match(run.stderr, /2FA password \(hint: local test password\):/);
    assert.match(run.stdout, /Created and logged in account "canary"/);
    assert.equal((await accountRow('canary')).tid, canary().userId.toString());
    assert.ok(
      run.stderr.split('\n').filter((line) => line.startsWith('{')).length > 5,
      'trace logging produced log lines to check',
    );
    assertNoSecretCanaries(run.stdout + run.stderr, 'login output');
  });

  it('lets a wrong password be retyped, and gives up after three wrong codes leaving no account behind', async () => {
    const retried = await runCli(
      ['login', '--account', 'retry'],
      cli.env,
      answers(
        SECRET_CANARIES.phoneNumber,
        SECRET_CANARIES.loginCode,
        'wrong-password-1',
        SECRET_CANARIES.twoFactorPassword,
      ),
    );
    // The canary account is already logged in as "canary": a second label for the same user is refused.
    assert.equal(retried.code, 1, retried.stderr);
    assert.match(retried.stderr, /That password is wrong; try again/);
    assert.match(lastErrorLine(retried), /already the account "canary": log in with --account canary instead/);
    assert.equal(await accountRow('retry'), undefined, 'the refused login left no account');
    assertNoSecretCanaries(retried.stdout + retried.stderr);
    assert.equal(
      (retried.stdout + retried.stderr).includes('wrong-password-1'),
      false,
      'a wrong password is a secret too',
    );

    const wrong = await runCli(
      ['login', '--account', 'wrongcode'],
      cli.env,
      answers(`+${cli.accounts[2]!.phone}`, '11111', '22222', '33333'),
    );
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /That code is wrong; try again/);
    assert.match(
      lastErrorLine(wrong),
      /^error: the login code is wrong \(3 attempts used\); run login again \(PHONE_CODE_INVALID\)$/,
    );
    assert.equal(await accountRow('wrongcode'), undefined);
    assertNoLoginSecrets(wrong.stdout + wrong.stderr, cli.accounts[2]!);
  });

  it("reports Telegram's flood wait on sending the code with how long to wait", async () => {
    cli.server.faults.floodWait(77_000, { method: 'auth.SendCode', times: 1 });
    const run = await runCli(['login', '--account', 'flooded'], cli.env, answers(`+${cli.accounts[2]!.phone}`));
    assert.equal(run.code, 1);
    assert.match(
      lastErrorLine(run),
      /^error: Telegram limits login attempts: wait 77000 s \(about 21\.4 h\) before trying again$/,
    );
    assert.equal(await accountRow('flooded'), undefined);
  });

  it('fails in one line when stdin ends before an answer', async () => {
    const run = await runCli(['login', '--account', 'short'], cli.env, answers(`+${cli.accounts[2]!.phone}`));
    assert.equal(run.code, 1);
    assert.match(lastErrorLine(run), /stdin ended before "Login code \(5 digits\)" was answered/);
    assert.equal(await accountRow('short'), undefined);
  });

  it('imports a session from stdin after checking it with users.getUsers(self), printing it only with --print-session', async () => {
    const session = cli.server.sessionFor(cli.accounts[2]!.userId);
    const quiet = await runCli(['login', '--account', 'imported', '--session-stdin'], cli.env, answers(session));
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.stdout, /logged in account "imported" as .*Telegram user /);
    assert.equal(quiet.stdout.includes(session) || quiet.stderr.includes(session), false);
    assert.equal((await accountRow('imported')).tid, cli.accounts[2]!.userId.toString());

    const other = cli.server.sessionFor(cli.accounts[2]!.userId);
    const printed = await runCli(
      ['login', '--account', 'imported', '--session-string', other, '--print-session'],
      cli.env,
    );
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^Logged in account "imported"/);
    assert.equal(printed.stdout.trim().split('\n').at(-1), other, 'the session is the last line of stdout');
    assert.match(printed.stderr, /full access to the account/);
    assert.equal(
      await fileSessionStore(cli.sessionDir).load('imported', 0),
      other,
      'the new session replaced the old one',
    );
    await assert.rejects(
      inspectSession(access(), session),
      /AUTH_KEY_UNREGISTERED/,
      'the replaced session was logged out at Telegram',
    );
    assert.equal((await inspectSession(access(), other)).userId, cli.accounts[2]!.userId);
  });

  it('refuses a session that is not logged in, and text that is not a session string', async () => {
    const revoked = cli.server.sessionFor(cli.accounts[2]!.userId);
    cli.server.revokeAccountKeys(cli.accounts[2]!.userId, { code: 401, message: 'AUTH_KEY_UNREGISTERED' });
    const dead = await runCli(['login', '--account', 'dead', '--session-stdin'], cli.env, answers(revoked));
    assert.equal(dead.code, 1);
    assert.match(lastErrorLine(dead), /the session is not logged in .*\(AUTH_KEY_UNREGISTERED\)/);
    assert.equal(await accountRow('dead'), undefined);

    const garbage = await runCli(['login', '--account', 'garbage', '--session-string', 'not a session'], cli.env);
    assert.equal(garbage.code, 1);
    assert.match(lastErrorLine(garbage), /not a GramJS\/Telethon-style session string/);
  });

  it('fails at once, saying why, for a session Telegram does not know (−404) or one cut short', async () => {
    // A session string of the right shape whose authorization key the data center never issued (one
    // from another Telegram server, or logged out long ago): the data center answers transport error
    // −404, as Telegram does. Before, the check waited for the call's deadline (30 s by default).
    const good = Buffer.from(cli.server.sessionFor(cli.accounts[2]!.userId).slice(1), 'base64');
    const unknownKey = Buffer.from(good);
    for (let index = unknownKey.length - 256; index < unknownKey.length; index++)
      unknownKey[index] = (index * 7) & 0xff;
    const unknown = `1${unknownKey.toString('base64')}`;
    const patient = { ...access(), callTimeoutMs: 60_000 };
    const started = Date.now();
    await assert.rejects(inspectSession(patient, unknown), (error: unknown) => {
      assert.ok(error instanceof LoginError, String(error));
      assert.equal(error.code, 'AUTH_KEY_UNKNOWN');
      assert.match(error.message, /Telegram does not know this session.*\(transport error -404\)/);
      return true;
    });
    assert.ok(Date.now() - started < patient.callTimeoutMs, 'failed before the call deadline');
    // Logging such a session out has nothing to do.
    assert.equal(await logOutSession(patient, unknown), 'already_invalid');

    const cli404 = await runCli(['login', '--account', 'unknown', '--session-stdin'], cli.env, answers(unknown));
    assert.equal(cli404.code, 1);
    assert.match(lastErrorLine(cli404), /^error: Telegram does not know this session/);
    assert.equal(await accountRow('unknown'), undefined);

    // Cut short while copying: refused before connecting, naming what is missing.
    const cut = `1${good.subarray(0, good.length - 40).toString('base64')}`;
    await assert.rejects(inspectSession(patient, cut), (error: unknown) => {
      assert.ok(error instanceof LoginError, String(error));
      assert.equal(error.code, 'SESSION_INVALID');
      assert.match(error.message, /cut short/);
      return true;
    });
  });

  it('refuses bots: a bot session, a bot token as the phone number, and --bot-token', async () => {
    const bot = cli.world.botAccounts[0]!;
    const botSession = await runCli(
      ['login', '--account', 'bot', '--session-stdin'],
      cli.env,
      answers(cli.server.sessionFor(bot.userId)),
    );
    assert.equal(botSession.code, 1);
    assert.match(
      lastErrorLine(botSession),
      /this session belongs to a bot; messages\.getPeerDialogs works for user accounts only/,
    );
    assert.equal(await accountRow('bot'), undefined);

    const asPhone = await runCli(['login', '--account', 'bot'], cli.env, answers(bot.botToken!));
    assert.equal(asPhone.code, 1);
    assert.match(lastErrorLine(asPhone), /that is a bot token; messages\.getPeerDialogs works for user accounts only/);

    const flag = await runCli(['login', '--account', 'bot', '--bot-token', bot.botToken!], cli.env);
    assert.equal(flag.code, 1);
    assert.match(lastErrorLine(flag), /bot tokens are refused: messages\.getPeerDialogs works for user accounts only/);
    for (const run of [asPhone, flag])
      assert.equal((run.stdout + run.stderr).includes(bot.botToken!), false, 'the bot token is not printed');
  });

  it('refuses to log in while another process holds the account lock (e.g. a sync run)', async () => {
    const row = await accountRow('alice');
    const lock = await tryAcquireAccountLock({ databaseUrl: cli.database.url, accountId: row.id });
    assert.ok(lock);
    try {
      const run = await runCli(
        ['login', '--account', 'alice'],
        cli.env,
        answers(`+${plain().phone}`, plain().loginCode),
      );
      assert.equal(run.code, 1);
      assert.match(
        lastErrorLine(run),
        /account "alice" is in use by another process .*log in again when it has finished/,
      );
      assert.equal(run.stderr.includes('Phone number'), false, 'nothing was asked');
    } finally {
      await lock.release();
    }
  });

  it('refuses to give an existing label to another Telegram user', async () => {
    const run = await runCli(
      ['login', '--account', 'alice', '--session-stdin'],
      cli.env,
      answers(cli.server.sessionFor(cli.accounts[3]!.userId)),
    );
    assert.equal(run.code, 1);
    assert.match(
      lastErrorLine(run),
      /account "alice" belongs to Telegram user \d+, but this login is user \d+: use a new label/,
    );
    assert.equal((await accountRow('alice')).tid, plain().userId.toString());
  });

  it('stores the session encrypted in the database when TELEGRAM_SESSION_ENCRYPTION_KEY is set', async () => {
    const env = {
      ...cli.env,
      TELEGRAM_SESSION_ENCRYPTION_KEY: SECRET_CANARIES.sessionEncryptionKey,
      TELEGRAM_SESSION_KEY_ID: 'k1',
    };
    const run = await runCli(
      ['login', '--account', 'vault', '--session-stdin'],
      env,
      answers(cli.server.sessionFor(cli.accounts[3]!.userId)),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /session stored encrypted in the database \(key id k1\)/);
    const { rows } = await cli.sql.query(
      `SELECT s.key_id FROM account_sessions s JOIN accounts a ON a.id = s.account_id WHERE a.label = 'vault'`,
    );
    assert.deepEqual(rows, [{ key_id: 'k1' }]);
    assertNoSecretCanaries(run.stdout + run.stderr);
  });

  it('rejects bad usage with exit code 2', async () => {
    const missing = await runCli(['login'], cli.env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '-a, --account <label>' not specified/);
    const bogus = await runCli(['login', '--account', 'x', '--bogus'], cli.env);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /unknown option '--bogus'/);
    const conflict = await runCli(['login', '--account', 'x', '--qr', '--session-stdin'], cli.env);
    assert.equal(conflict.code, 2);
    assert.match(conflict.stderr, /cannot be used with/);
    const timeout = await runCli(['login', '--account', 'x', '--qr', '--qr-timeout', 'soon'], cli.env);
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /--qr-timeout must be a positive whole number/);
  });

  it('reports missing Telegram credentials as the configuration error, and an invalid label', async () => {
    const { TELEGRAM_API_ID: _id, TELEGRAM_API_HASH: _hash, ...withoutCredentials } = cli.env;
    const run = await runCli(['login', '--account', 'x'], withoutCredentials, answers('+1'));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /TELEGRAM_API_ID/);
    assert.match(run.stderr, /TELEGRAM_API_HASH/);
    assert.match(run.stderr, /my\.telegram\.org/);

    const label = await runCli(['login', '--account', 'bad label!'], cli.env, answers('+1'));
    assert.equal(label.code, 1);
    assert.match(lastErrorLine(label), /"bad label!" is not a valid account label/);
  });

  it('fails in one line when the database cannot be reached, without its password', async () => {
    const run = await runCli(
      ['login', '--account', 'x'],
      {
        ...cli.env,
        DATABASE_URL: `postgres://u:${encodeURIComponent(SECRET_CANARIES.databasePassword)}@127.0.0.1:1/db`,
      },
      answers('+1'),
    );
    assert.equal(run.code, 1);
    assert.match(
      lastErrorLine(run),
      /^error: cannot reach the database at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: .+/,
    );
    assertNoSecretCanaries(run.stdout + run.stderr);
  });
});
