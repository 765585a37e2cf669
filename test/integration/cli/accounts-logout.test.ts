/**
 * `tg-dialog-sync accounts` and `logout` as child processes against the local data center and
 * PostgreSQL: the login state table, auth.logOut, the deleted session, needs_login, and errors.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../../src/observability/logger.ts';
import { tryAcquireAccountLock } from '../../../src/db/account-lock.ts';
import { inspectSession } from '../../../src/telegram/login.ts';
import { configureTestDataCenter } from '../../../src/telegram/test-data-center.ts';
import { runCli } from '../../helpers/cli-process.ts';
import { answers, lastErrorLine, singleErrorLine, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';

describe('tg-dialog-sync accounts / logout', () => {
  let cli: CliEnvironment;
  let aliceSession: string;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_accounts',
      world: { seed: 'cli-accounts', peers: 10, accounts: 3, botAccounts: 0 },
    });
  });
  after(() => cli?.close());

  const access = () => ({
    apiId: cli.server.apiId,
    apiHash: cli.server.apiHash,
    testDataCenter: configureTestDataCenter(cli.server.testDataCenterOptions()),
    logger: createLogger({ level: 'silent', format: 'json' }),
    callTimeoutMs: 5_000,
  });

  it('says there are no accounts yet', async () => {
    const run = await runCli(['accounts'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(singleErrorLine(run), /no accounts yet: log one in with `tg-dialog-sync login --account <label>`/);
  });

  it('lists the accounts with status, Telegram user id, last login and stored session', async () => {
    aliceSession = cli.server.sessionFor(cli.accounts[0]!.userId);
    assert.equal(
      (await runCli(['login', '--account', 'alice', '--session-stdin'], cli.env, answers(aliceSession))).code,
      0,
    );
    assert.equal(
      (
        await runCli(
          ['login', '--account', 'bob', '--session-stdin'],
          cli.env,
          answers(cli.server.sessionFor(cli.accounts[1]!.userId)),
        )
      ).code,
      0,
    );
    await cli.sql.query(
      `INSERT INTO accounts (label, status, status_reason) VALUES ('carol', 'frozen', 'Telegram froze the account')`,
    );

    const run = await runCli(['accounts'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ACCOUNT\s+STATUS\s+TELEGRAM USER\s+LAST LOGIN\s+SESSION\s+PEERS\s+REASON$/);
    assert.match(
      lines[1]!,
      new RegExp(
        `^alice\\s+active\\s+${cli.accounts[0]!.userId}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+yes\\s+0\\s+—$`,
      ),
    );
    assert.match(lines[2]!, /^bob\s+active\s+\d+\s+\S+ \S+\s+yes\s+0\s+—$/);
    assert.match(lines[3]!, /^carol\s+frozen\s+—\s+—\s+no\s+0\s+Telegram froze the account$/);
    assert.equal(run.stdout.includes(aliceSession), false);

    const json = await runCli(['accounts', '--json'], cli.env);
    assert.equal(json.code, 0);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      rows.map((row) => [row.label, row.status, row.session]),
      [
        ['alice', 'active', 'yes'],
        ['bob', 'active', 'yes'],
        ['carol', 'frozen', 'no'],
      ],
    );
    assert.equal(rows[0].telegramUserId, cli.accounts[0]!.userId.toString());
  });

  it('shows a session encrypted with another key as unreadable', async () => {
    const keyA = {
      TELEGRAM_SESSION_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      TELEGRAM_SESSION_KEY_ID: 'a',
    };
    const keyB = {
      TELEGRAM_SESSION_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
      TELEGRAM_SESSION_KEY_ID: 'b',
    };
    const login = await runCli(
      ['login', '--account', 'dave', '--session-stdin'],
      { ...cli.env, ...keyA },
      answers(cli.server.sessionFor(cli.accounts[2]!.userId)),
    );
    assert.equal(login.code, 0, login.stderr);
    const withA = await runCli(['accounts', '--json'], { ...cli.env, ...keyA });
    assert.equal(
      JSON.parse(
        withA.stdout
          .trim()
          .split('\n')
          .find((line) => line.includes('"dave"'))!,
      ).session,
      'yes',
    );
    const withB = await runCli(['accounts', '--json'], { ...cli.env, ...keyB });
    assert.equal(withB.code, 0, withB.stderr);
    assert.equal(
      JSON.parse(
        withB.stdout
          .trim()
          .split('\n')
          .find((line) => line.includes('"dave"'))!,
      ).session,
      'unreadable',
    );
    await cli.sql.query(`DELETE FROM accounts WHERE label = 'dave'`);
  });

  it('logs out: auth.logOut ends the session at Telegram, the stored session is deleted, the account needs a login', async () => {
    const run = await runCli(['logout', '--account', 'alice'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout.trim(),
      'Logged out account "alice": Telegram ended the session and the stored session was deleted. Status: needs_login.',
    );
    assert.equal(existsSync(join(cli.sessionDir, 'alice.session')), false);
    await assert.rejects(
      inspectSession(access(), aliceSession),
      /AUTH_KEY_UNREGISTERED/,
      'Telegram no longer accepts the session',
    );
    const { rows } = await cli.sql.query(
      `SELECT status::text AS status, status_reason FROM accounts WHERE label = 'alice'`,
    );
    assert.deepEqual(rows, [
      {
        status: 'needs_login',
        status_reason: 'logged out with `tg-dialog-sync logout`; log in again with `tg-dialog-sync login`',
      },
    ]);

    const listed = await runCli(['accounts'], cli.env);
    assert.match(listed.stdout, /^alice\s+needs_login\s+\d+\s+\S+ \S+\s+no\s+0\s+logged out with/m);

    const again = await runCli(['logout', '--account', 'alice'], cli.env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /Logged out account "alice": there was no stored session\. Status: needs_login\./);
  });

  it('treats a session Telegram no longer knows (AUTH_KEY_UNREGISTERED) as logged out', async () => {
    cli.server.revokeAccountKeys(cli.accounts[1]!.userId, { code: 401, message: 'AUTH_KEY_UNREGISTERED' });
    const run = await runCli(['logout', '--account', 'bob'], cli.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Telegram no longer knew the session .*; the stored session was deleted/);
    assert.equal(existsSync(join(cli.sessionDir, 'bob.session')), false);
  });

  it('refuses to log out while the account is locked, and names an unknown account', async () => {
    const session = cli.server.sessionFor(cli.accounts[0]!.userId);
    assert.equal((await runCli(['login', '--account', 'alice', '--session-stdin'], cli.env, answers(session))).code, 0);
    const { rows } = await cli.sql.query(`SELECT id FROM accounts WHERE label = 'alice'`);
    const lock = await tryAcquireAccountLock({ databaseUrl: cli.database.url, accountId: rows[0].id });
    assert.ok(lock);
    try {
      const run = await runCli(['logout', '--account', 'alice'], cli.env);
      assert.equal(run.code, 1);
      assert.match(singleErrorLine(run), /account "alice" is in use by another process .*log out when it has finished/);
      assert.equal(existsSync(join(cli.sessionDir, 'alice.session')), true, 'the session is kept');
    } finally {
      await lock.release();
    }
    const unknown = await runCli(['logout', '--account', 'nobody'], cli.env);
    assert.equal(unknown.code, 1);
    assert.match(singleErrorLine(unknown), /^error: no account "nobody" \(known: alice, bob, carol\)$/);
  });

  it('exit codes: bad flag 2, missing --account 2, unreachable database 1 in one line, missing credentials 1', async () => {
    const bogus = await runCli(['accounts', '--bogus'], cli.env);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /unknown option '--bogus'/);
    const missing = await runCli(['logout'], cli.env);
    assert.equal(missing.code, 2);
    const down = await runCli(['accounts'], { ...cli.env, DATABASE_URL: 'postgres://u:Sekret-pw-1@127.0.0.1:1/db' });
    assert.equal(down.code, 1);
    assert.match(
      singleErrorLine(down),
      /^error: cannot reach the database at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db: /,
    );
    assert.equal(down.stderr.includes('Sekret-pw-1'), false);
    const { TELEGRAM_API_HASH: _hash, ...noHash } = cli.env;
    const config = await runCli(['logout', '--account', 'alice'], noHash);
    assert.equal(config.code, 1);
    assert.match(config.stderr, /TELEGRAM_API_HASH/);
    assert.equal(lastErrorLine(config).length > 0, true);
  });
});
