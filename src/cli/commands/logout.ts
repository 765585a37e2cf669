import type { Command } from 'commander';
import { logoutAccount } from '../../app/logout-account.ts';
import type { CliContext } from '../cli-context.ts';
import { printLine, withCliRuntime } from './cli-runtime.ts';

/** `logout --account <label>`: auth.logOut, delete the stored session, status needs_login. */
export function registerLogoutCommand(program: Command, context: CliContext): void {
  program
    .command('logout')
    .description(
      "end an account's Telegram session (auth.logOut), delete the stored session and mark the account needs_login",
    )
    .requiredOption('-a, --account <label>', 'the account to log out')
    .action(async (options: { account: string }) => {
      await withCliRuntime(context, async (runtime) => {
        const outcome = await logoutAccount(runtime, options.account);
        const what =
          outcome.telegram === 'logged_out'
            ? 'Telegram ended the session and the stored session was deleted'
            : outcome.telegram === 'already_invalid'
              ? 'Telegram no longer knew the session (already logged out or revoked); the stored session was deleted'
              : 'there was no stored session';
        printLine(context, `Logged out account "${options.account}": ${what}. Status: needs_login.`);
      });
    });
}
