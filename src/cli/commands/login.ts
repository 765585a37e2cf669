import { Option, type Command } from 'commander';
import { loginAccount, type LoginMethod } from '../../app/login-account.ts';
import { BOT_REFUSAL, LoginError } from '../../telegram/login.ts';
import type { CliContext } from '../cli-context.ts';
import { loginQuestions } from '../prompts/login-questions.ts';
import { linePrompter } from '../prompts/line-prompter.ts';
import type { Prompter } from '../prompts/prompter.ts';
import { terminalPrompterIfInteractive } from '../prompts/tty-prompter.ts';
import { positiveInteger } from '../option-parsers.ts';
import { printLine, printProblem, withCliRuntime } from './cli-runtime.ts';

interface LoginOptions {
  account: string;
  qr?: boolean;
  qrTimeout: number;
  sessionString?: string;
  sessionStdin?: boolean;
  printSession?: boolean;
  botToken?: string;
}

/**
 * `login --account <label>`: logs a USER account in and stores its session.
 *   (default)          phone number, login code and, with two-step verification, the 2FA password;
 *   --qr               a QR code to scan with a logged-in Telegram app (headless machines);
 *   --session-string / --session-stdin   import an existing session string (checked with users.getUsers(self)).
 * At a terminal the questions are prompts (the password masked); otherwise every answer is the next
 * line of stdin. The session is printed only with --print-session.
 */
export function registerLoginCommand(program: Command, context: CliContext): void {
  program
    .command('login')
    .description(
      'log a Telegram user account in (phone + code + 2FA password, QR code, or an existing session string) and store its session',
    )
    .requiredOption('-a, --account <label>', 'the account label to log in (created on first login)')
    .addOption(
      new Option('--qr', 'log in by scanning a QR code with a Telegram app where the account is logged in').conflicts([
        'sessionString',
        'sessionStdin',
      ]),
    )
    .addOption(
      new Option('--qr-timeout <seconds>', 'give up when the QR code is not scanned in time')
        .default(300)
        .argParser(positiveInteger('--qr-timeout')),
    )
    .addOption(
      new Option(
        '--session-string <session>',
        'import this GramJS/Telethon-style session string (visible in the process list: prefer --session-stdin)',
      ).conflicts('sessionStdin'),
    )
    .option('--session-stdin', 'import a session string read from stdin (first line)')
    .option(
      '--print-session',
      'print the new session string on stdout (it gives full access to the account: keep it secret)',
    )
    .addOption(new Option('--bot-token <token>', 'refused: bots cannot use messages.getPeerDialogs').hideHelp())
    .addHelpText(
      'after',
      '\nTELEGRAM_API_ID and TELEGRAM_API_HASH come from https://my.telegram.org → API development tools.\n' +
        'Without a terminal, answers are read line by line from stdin: phone number, login code, then the 2FA password if the account has one.\n' +
        'Only user accounts can be synced: bot tokens and bot sessions are refused.',
    )
    .action(async (options: LoginOptions) => {
      if (options.botToken !== undefined) {
        context.secrets.add(options.botToken);
        throw new LoginError(`bot tokens are refused: ${BOT_REFUSAL}`, 'bot');
      }
      if (options.sessionString !== undefined) context.secrets.add(options.sessionString);
      const needsStdin = options.sessionStdin === true || options.sessionString === undefined;
      const prompter: Prompter | null = needsStdin
        ? (terminalPrompterIfInteractive() ?? linePrompter(process.stdin, process.stderr))
        : null;
      try {
        await withCliRuntime(context, async (runtime) => {
          let method: LoginMethod;
          if (options.sessionString !== undefined) method = { kind: 'session', session: options.sessionString.trim() };
          else if (options.sessionStdin === true) {
            const session = (await prompter!.askSecret('Session string:')).trim();
            context.secrets.add(session);
            if (session === '') throw new LoginError('no session string on stdin', 'SESSION_EMPTY');
            method = { kind: 'session', session };
          } else if (options.qr === true)
            method = {
              kind: 'qr',
              questions: loginQuestions(prompter!, context.secrets),
              timeoutMs: options.qrTimeout * 1000,
            };
          else method = { kind: 'code', questions: loginQuestions(prompter!, context.secrets) };

          const outcome = await loginAccount(runtime, options.account, method);
          const where =
            runtime.config.telegram.sessionEncryption === undefined
              ? `in ${runtime.config.telegram.sessionDir} (file mode 0600)`
              : `encrypted in the database (key id ${runtime.config.telegram.sessionEncryption.keyId})`;
          const who = `${outcome.owner.displayName}${outcome.owner.username ? ` (@${outcome.owner.username})` : ''}`;
          printLine(
            context,
            `${outcome.created ? 'Created and logged in' : 'Logged in'} account "${outcome.account.label}" as ${who}, Telegram user ${outcome.owner.userId}; session stored ${where}.`,
          );
          if (options.printSession === true) {
            printProblem(
              context,
              'The session string follows on stdout. It is full access to the account: keep it secret.',
            );
            // Deliberately not scrubbed: the operator asked for exactly this value.
            process.stdout.write(`${outcome.session}\n`);
          }
        });
      } finally {
        prompter?.close();
      }
    });
}
