/**
 * `tg-dialog-sync login` at a real terminal: the executable runs in a pseudo-terminal (util-linux
 * `script`), the test types the answers as they are asked, and the 2FA password shows as '*' only.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { SECRET_CANARIES } from '../../helpers/secret-canaries.ts';
import { CLI_BIN } from '../../helpers/cli-process.ts';
import { startCliEnvironment, type CliEnvironment } from './cli-harness.ts';

describe('tg-dialog-sync login at a terminal', () => {
  let cli: CliEnvironment;

  before(async () => {
    cli = await startCliEnvironment({
      label: 'cli_login_tty',
      world: { seed: 'cli-login-tty', peers: 10, accounts: 1, botAccounts: 0 },
      accountOverrides: { 0: { password: SECRET_CANARIES.twoFactorPassword } },
    });
  });
  after(() => cli?.close());

  it('prompts for phone, code and the masked 2FA password, and logs in', async () => {
    const account = cli.accounts[0]!;
    const command = `'${process.execPath}' '${CLI_BIN}' login --account terminal`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...cli.env, TERM: 'xterm', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const answers: Array<[RegExp, string]> = [
      [/Phone number of the account/, `+${account.phone}\r`],
      [/Login code \(5 digits\)/, `${account.loginCode}\r`],
      [/2FA password \(hint: local test password\)/, `${SECRET_CANARIES.twoFactorPassword}\r`],
    ];
    let output = '';
    let answered = 0;
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString();
      // Answer each question once it is on the screen (and only after the previous one was answered).
      const next = answers[0];
      if (next && next[0].test(output.slice(output.lastIndexOf('\u2714') + 1))) {
        answers.shift();
        answered++;
        child.stdin.write(next[1]);
      }
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const screen = output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    assert.equal(code, 0, screen);
    assert.equal(answered, 3, screen);
    assert.equal(output.includes(SECRET_CANARIES.twoFactorPassword), false, 'the password is never shown');
    assert.match(
      screen,
      new RegExp(`2FA password \\(hint: local test password\\): \\*{${SECRET_CANARIES.twoFactorPassword.length}}`),
    );
    assert.match(screen, /Created and logged in account "terminal"/);
    const { rows } = await cli.sql.query(`SELECT telegram_user_id::text AS tid FROM accounts WHERE label = 'terminal'`);
    assert.deepEqual(rows, [{ tid: account.userId.toString() }]);
  });
});
