/**
 * `tg-dialog-sync login --qr` (and a code login sent to another data center) as a child process: the QR code and its tg://login link are drawn, the
 * test "scans" the token through the local data center (as a logged-in app would), and the login
 * completes — with the 2FA password from stdin when the account has one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../../src/observability/logger.ts';
import { fileSessionStore } from '../../../src/sessions/file-session-store.ts';
import { inspectSession } from '../../../src/telegram/login.ts';
import { configureTestDataCenter } from '../../../src/telegram/test-data-center.ts';
import { assertNoSecretCanaries, SECRET_CANARIES } from '../../helpers/secret-canaries.ts';
import { startCli } from '../../helpers/cli-process.ts';
import { answers, lastErrorLine, startCliEnvironment, type CliEnvironment } from './cli-harness.ts';

const LINK = /tg:\/\/login\?token=([A-Za-z0-9_-]+)/;

describe('tg-dialog-sync login --qr', () => {
  let cli: CliEnvironment;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_login_qr',
      world: { seed: 'cli-login-qr', peers: 10, accounts: 3, botAccounts: 0 },
      accountOverrides: { 1: { password: SECRET_CANARIES.twoFactorPassword } },
      dataCenters: [2, 3],
    });
  });
  after(() => cli?.close());

  const accountRow = async (label: string) =>
    (
      await cli.sql.query(
        `SELECT status::text AS status, telegram_user_id::text AS tid FROM accounts WHERE label = $1`,
        [label],
      )
    ).rows[0];

  it('draws the QR code, and logs in once a logged-in app accepts the token', async () => {
    const login = startCli(['login', '--account', 'scanned', '--qr'], cli.env, { keepStdinOpen: true });
    const [, token] = await login.waitForOutput(LINK);
    const tokenBytes = Buffer.from(token!, 'base64url');
    assert.deepEqual(tokenBytes, cli.server.latestLoginToken(), 'the link carries the token the data center issued');
    assert.equal(cli.server.acceptLoginToken(tokenBytes, cli.accounts[0]!.userId), true);
    login.child.stdin!.end();
    const run = await login.exited;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /Scan this QR code with a Telegram app/);
    assert.match(run.stderr, /[▀▄█]/, 'a QR code is drawn with block characters');
    assert.match(run.stdout, /Created and logged in account "scanned" as .*Telegram user /);
    assert.deepEqual(await accountRow('scanned'), { status: 'active', tid: cli.accounts[0]!.userId.toString() });
  });

  it('asks for the 2FA password after the scan when the account has one', async () => {
    const login = startCli(['login', '--account', 'scanned2fa', '--qr'], cli.env, {
      stdin: answers(SECRET_CANARIES.twoFactorPassword),
    });
    const [, token] = await login.waitForOutput(LINK);
    assert.equal(cli.server.acceptLoginToken(Buffer.from(token!, 'base64url'), cli.accounts[1]!.userId), true);
    const run = await login.exited;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /two-step verification/);
    assert.deepEqual(await accountRow('scanned2fa'), { status: 'active', tid: cli.accounts[1]!.userId.toString() });
    assertNoSecretCanaries(run.stdout + run.stderr);
  });

  it('follows PHONE_MIGRATE to the data center of the phone number, and the stored session works there', async () => {
    cli.server.faults.rpcError(303, 'PHONE_MIGRATE_3', { method: 'auth.SendCode', times: 1 });
    const account = cli.accounts[2]!;
    const run = await startCli(['login', '--account', 'migrated'], cli.env, {
      stdin: answers(`+${account.phone}`, account.loginCode),
    }).exited;
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await accountRow('migrated'), { status: 'active', tid: account.userId.toString() });
    const dcCalls = cli.server.callLog.calls('auth.SignIn').map((call) => call.dcId);
    assert.deepEqual(dcCalls, [3], 'the code was checked on DC 3');
    const { rows } = await cli.sql.query(`SELECT id FROM accounts WHERE label = 'migrated'`);
    const session = await fileSessionStore(cli.sessionDir).load('migrated', rows[0].id);
    assert.ok(session !== null);
    const owner = await inspectSession(
      {
        apiId: cli.server.apiId,
        apiHash: cli.server.apiHash,
        testDataCenter: configureTestDataCenter(cli.server.testDataCenterOptions()),
        logger: createLogger({ level: 'silent', format: 'json' }),
        callTimeoutMs: 5_000,
      },
      session,
    );
    assert.equal(owner.userId, account.userId);
    assert.equal(cli.server.callLog.calls('users.GetUsers').at(-1)?.dcId, 3, 'the stored session talks to DC 3');
  });

  it('gives up in one line when nobody scans within --qr-timeout, leaving no account', async () => {
    const login = startCli(['login', '--account', 'unscanned', '--qr', '--qr-timeout', '1'], cli.env, {
      keepStdinOpen: true,
    });
    await login.waitForOutput(LINK);
    login.child.stdin!.end();
    const run = await login.exited;
    assert.equal(run.code, 1);
    assert.match(lastErrorLine(run), /^error: the QR code was not scanned within 1 s$/);
    assert.equal(await accountRow('unscanned'), undefined);
  });
});
