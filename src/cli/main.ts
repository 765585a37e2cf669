import { packageVersion } from '../app/package-version.ts';
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../config/index.ts';
import { formatFatalError } from '../observability/fatal-error.ts';
import { SecretRegistry } from '../observability/secret-registry.ts';
import type { CliContext } from './cli-context.ts';
import { registerAccountsCommand } from './commands/accounts.ts';
import { registerConfigCommands } from './commands/config-check.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerLoginCommand } from './commands/login.ts';
import { registerLogoutCommand } from './commands/logout.ts';
import { registerPeersCommands } from './commands/peers.ts';
import { registerSessionsCommands } from './commands/sessions.ts';
import { registerStatusCommand } from './commands/status.ts';
import { oneLineError } from './commands/cli-errors.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerSyncCommand } from './commands/sync.ts';

/**
 * The `tg-dialog-sync` command line. Every user error ends as one clear line on stderr and a
 * non-zero exit code, never a stack trace (LOG_LEVEL=debug adds it) and never a secret.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const secrets = new SecretRegistry();
  const program = new Command()
    .name('tg-dialog-sync')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .description('Syncs Telegram dialogs (messages.getPeerDialogs) of user accounts into PostgreSQL')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)');
  const context: CliContext = { secrets, loadConfig: () => loadConfig() };
  registerLoginCommand(program, context);
  registerLogoutCommand(program, context);
  registerAccountsCommand(program, context);
  registerPeersCommands(program, context);
  registerSyncCommand(program, context);
  registerStartCommand(program, context);
  registerStatusCommand(program, context);
  registerSessionsCommands(program, context);
  registerDbCommands(program);
  registerConfigCommands(program, context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(
      `${formatFatalError(oneLineError(error), { secrets, includeStack: process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace' })}\n`,
    );
    return 1;
  }
}
