import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loginQuestions } from '../../../src/cli/prompts/login-questions.ts';
import { linePrompter } from '../../../src/cli/prompts/line-prompter.ts';
import { PromptInputEndedError } from '../../../src/cli/prompts/prompter.ts';
import { SecretRegistry } from '../../../src/observability/secret-registry.ts';
import { looksLikeBotToken } from '../../../src/telegram/login.ts';

function streams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => (written += chunk.toString()));
  return { input, output, written: () => written };
}

describe('linePrompter', () => {
  it('answers each question with the next line, whether it arrived before or after the question', async () => {
    const { input, output, written } = streams();
    const prompter = linePrompter(input, output);
    input.write('first\nsecond\n');
    assert.equal(await prompter.ask('One?'), 'first');
    assert.equal(await prompter.ask('Two?'), 'second');
    const third = prompter.askSecret('Three?');
    input.write(' spaced secret \r\n');
    assert.equal(await third, ' spaced secret ', 'a secret keeps its spaces, loses only the line break');
    assert.equal(written(), 'One?\nTwo?\nThree?\n');
    prompter.close();
  });

  it('fails with the question when the input ends first', async () => {
    const { input, output } = streams();
    const prompter = linePrompter(input, output);
    const pending = prompter.ask('Login code:');
    input.end();
    await assert.rejects(
      pending,
      (error: unknown) =>
        error instanceof PromptInputEndedError && /stdin ended before "Login code" was answered/.test(error.message),
    );
    await assert.rejects(prompter.ask('Again:'), PromptInputEndedError);
  });
});

describe('loginQuestions', () => {
  it('registers the phone number, code and password as secrets the moment they are read', async () => {
    const { input, output, written } = streams();
    const secrets = new SecretRegistry();
    const questions = loginQuestions(linePrompter(input, output), secrets);
    input.write('+1 555 010 4242\n47193\nhunter2-password\n');
    await questions.phoneNumber();
    await questions.loginCode({ deliveredVia: 'by SMS', length: 5, attempt: 1 });
    await questions.password({ hint: 'pet', attempt: 2 });
    assert.equal(
      secrets.scrub('phone 15550104242 code 47193 pw hunter2-password'),
      'phone [REDACTED] code [REDACTED] pw [REDACTED]',
    );
    assert.match(written(), /Login code \(5 digits\):\n2FA password again \(hint: pet\):\n$/);
  });

  it('draws the QR code and prints its link', async () => {
    const { input, output, written } = streams();
    const questions = loginQuestions(linePrompter(input, output), new SecretRegistry());
    await questions.showQrCode('tg://login?token=AAAA', new Date('2030-01-01T00:00:00Z'));
    assert.match(written(), /renewed at 2030-01-01T00:00:00.000Z/);
    assert.match(written(), /[▀▄█]/);
    assert.match(written(), /tg:\/\/login\?token=AAAA\n$/);
  });
});

describe('looksLikeBotToken', () => {
  it('recognises Bot API tokens and not phone numbers', () => {
    assert.equal(looksLikeBotToken('123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'), true);
    assert.equal(looksLikeBotToken(' 4839574812:AAFD39kkdpWt3ywyRZergyOLMaJhac60qc '), true);
    assert.equal(looksLikeBotToken('+49 151 12345678'), false);
    assert.equal(looksLikeBotToken('15550104242'), false);
  });
});

describe('ttyPrompter', () => {
  // Inquirer ends a piped output stream with its prompt (process.stderr is never ended), so each
  // prompt here gets its own capture.
  const capture = () => {
    let text = '';
    // Captured as it is written (a PassThrough would hand it over a tick later).
    const output = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        text += chunk.toString();
        done();
      },
    });
    return { output, written: () => text };
  };

  it('masks the 2FA password with one * per character, never echoing it', async () => {
    const { ttyPrompter } = await import('../../../src/cli/prompts/tty-prompter.ts');
    const input = new PassThrough();
    const { output, written } = capture();
    const secret = ttyPrompter({ input, output }).askSecret('2FA password:');
    input.write('Canary-2FA-Pa55phrase\r');
    assert.equal(await secret, 'Canary-2FA-Pa55phrase');
    assert.equal(written().includes('Canary-2FA-Pa55phrase'), false, 'the password is never echoed');
    assert.match(written(), /2FA password:/);
    assert.match(written(), /\*{21}/, 'one * per character');
  });

  it('shows a visible answer as typed', async () => {
    const { ttyPrompter } = await import('../../../src/cli/prompts/tty-prompter.ts');
    const input = new PassThrough();
    const { output, written } = capture();
    const visible = ttyPrompter({ input, output }).ask('Phone number:');
    input.write(' +15550104242 \r');
    assert.equal(await visible, '+15550104242');
    assert.match(written(), /\+15550104242/);
  });
});
