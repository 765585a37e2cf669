import type { Command } from 'commander';
import { SessionUnreadableError } from '../../sessions/session-store.ts';
import { listAccountOverview } from '../../store/accounts/list-account-overview.ts';
import type { CliContext } from '../cli-context.ts';
import { formatTable, formatTime, printLine, printProblem, shorten, withCliRuntime } from './cli-runtime.ts';

/** `accounts`: every account with its login state. */
export function registerAccountsCommand(program: Command, context: CliContext): void {
  program
    .command('accounts')
    .description(
      'list the accounts with their login state (status, reason, Telegram user id, last login, stored session)',
    )
    .option('--json', 'one JSON object per account instead of a table')
    .action(async (options: { json?: boolean }) => {
      await withCliRuntime(context, async (runtime) => {
        const accounts = await listAccountOverview(runtime.db);
        const rows = [];
        for (const account of accounts) {
          let session: 'yes' | 'no' | 'unreadable';
          try {
            const stored = await runtime.sessions.load(account.label, account.id);
            if (stored !== null) context.secrets.add(stored);
            session = stored === null ? 'no' : 'yes';
          } catch (error) {
            if (!(error instanceof SessionUnreadableError)) throw error;
            session = 'unreadable';
          }
          rows.push({ ...account, session });
        }
        if (options.json === true) {
          for (const row of rows) {
            printLine(
              context,
              JSON.stringify({
                label: row.label,
                status: row.status,
                reason: row.statusReason,
                telegramUserId: row.telegramUserId === null ? null : row.telegramUserId.toString(),
                lastLoginAt: row.lastLoginAt === null ? null : new Date(row.lastLoginAt).toISOString(),
                session: row.session,
                peers: row.enabledPeers,
              }),
            );
          }
          return;
        }
        if (rows.length === 0) {
          printProblem(context, 'no accounts yet: log one in with `tg-dialog-sync login --account <label>`');
          return;
        }
        printLine(
          context,
          formatTable(
            ['ACCOUNT', 'STATUS', 'TELEGRAM USER', 'LAST LOGIN', 'SESSION', 'PEERS', 'REASON'],
            rows.map((row) => [
              row.label,
              row.status,
              row.telegramUserId === null ? '—' : row.telegramUserId.toString(),
              formatTime(row.lastLoginAt),
              row.session,
              String(row.enabledPeers),
              shorten(row.statusReason, 100),
            ]),
          ),
        );
      });
    });
}
