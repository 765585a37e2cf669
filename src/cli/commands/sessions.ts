import { AppError } from '../../errors/app-error.ts';
import type { Command } from 'commander';
import { keyRingFromConfig } from '../../sessions/database-session-store.ts';
import { reencryptSessions, type ReencryptReport } from '../../sessions/reencrypt-sessions.ts';
import { prismaTransactor } from '../../store/transaction.ts';
import type { CliContext } from '../cli-context.ts';
import { printLine, withCliRuntime } from './cli-runtime.ts';

export class SessionsNotEncryptedError extends AppError<'sessions_not_encrypted'> {
  constructor() {
    super(
      'sessions are stored as files in TELEGRAM_SESSION_DIR, not encrypted in the database: set TELEGRAM_SESSION_ENCRYPTION_KEY and TELEGRAM_SESSION_KEY_ID to use keys',
      { kind: 'sessions_not_encrypted', userMistake: true },
    );
  }
}

/** `sessions reencrypt`: moves every stored session to the current key (the second half of a key rotation). */
export function registerSessionsCommands(program: Command, context: CliContext): void {
  const sessions = program.command('sessions').description('stored sessions (encrypted in the database)');
  sessions
    .command('reencrypt')
    .description(
      're-encrypt every stored session under TELEGRAM_SESSION_KEY_ID, reading older ones with TELEGRAM_SESSION_PREVIOUS_KEYS',
    )
    .action(async () => {
      await withCliRuntime(context, async (runtime) => {
        const encryption = runtime.config.telegram.sessionEncryption;
        if (encryption === undefined) throw new SessionsNotEncryptedError();
        const report = await reencryptSessions(prismaTransactor(runtime.prisma), keyRingFromConfig(encryption));
        for (const line of describeReport(report)) printLine(context, line);
        if (report.unreadable.length > 0) process.exitCode = 1;
      });
    });
}

export function describeReport(report: ReencryptReport): string[] {
  const moved = [...report.reencrypted.values()].reduce((sum, count) => sum + count, 0);
  const from = [...report.reencrypted].map(([keyId, count]) => `${count} from "${keyId}"`).join(', ');
  const lines = [
    `Re-encrypted ${moved} session(s) under key id "${report.currentKeyId}"${moved > 0 ? ` (${from})` : ''}; ${report.alreadyCurrent} already under it.`,
  ];
  if (report.unreadable.length > 0) {
    lines.push(
      `${report.unreadable.length} session(s) could not be read and were left as they were; add their key to TELEGRAM_SESSION_PREVIOUS_KEYS and run this again:`,
    );
    for (const entry of report.unreadable)
      lines.push(`  account "${entry.accountLabel}": key id "${entry.keyId}": ${entry.reason}`);
  } else if (moved + report.alreadyCurrent > 0) {
    lines.push(
      'No stored session needs a previous key any more: TELEGRAM_SESSION_PREVIOUS_KEYS can be emptied (after every process has the current key).',
    );
  }
  return lines;
}
