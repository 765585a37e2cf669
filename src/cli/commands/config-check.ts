/**
 * `config check`: is this installation ready to run, without running it? The settings are valid,
 * the database answers, its migrations are applied, and every account's stored session can be read
 * (decrypted, for sessions in the database). Telegram is not contacted and nothing is synced or
 * written. One line per check on stdout; exit 1 when any fails. No line carries a secret: the
 * settings' problems never echo secret values, URLs are shown with the password masked, sessions
 * are only read, and every line passes the secret scrubber.
 */
import type { Command } from 'commander';
import {
  configSecretValues,
  isConfigError,
  loadDatabaseConfig,
  type Config,
  type DatabaseOnlyConfig,
} from '../../config/index.ts';
import { databaseUrlPassword } from '../../config/database-url.ts';
import { redactDatabaseUrl } from '../../observability/redaction.ts';
import { resolveDatabase, type ResolvedDatabase } from '../../db/connect.ts';
import { missingMigrations } from '../../db/migration-status.ts';
import { readLocalMigrations } from '../../db/migrations-folder.ts';
import { databaseSessionStore, keyRingFromConfig } from '../../sessions/database-session-store.ts';
import { fileSessionStore } from '../../sessions/file-session-store.ts';
import { SessionUnreadableError, type SessionStore } from '../../sessions/session-store.ts';
import { listAccounts } from '../../store/accounts/accounts.ts';
import type { SqlExecutor } from '../../store/sql-executor.ts';
import type { CliContext } from '../cli-context.ts';
import { databaseCliSettingsFor } from '../database-cli-settings.ts';
import { databaseErrorReason, printLine, printProblem } from './cli-runtime.ts';
import { connectDatabase, type DatabaseConnection } from './database-connection.ts';

type CheckState = 'ok' | 'FAIL' | 'skip';

interface CheckTally {
  passed: number;
  failed: number;
}

export function registerConfigCommands(program: Command, context: CliContext): void {
  const config = program.command('config').description('the configuration (environment and config file)');
  config
    .command('check')
    .description(
      'check the settings, the database, its migrations and that every stored session can be read (no Telegram call, no sync)',
    )
    .action(async () => {
      const tally = await runChecks(context);
      const total = tally.passed + tally.failed;
      if (tally.failed === 0) printLine(context, `config check: all ${total} checks passed`);
      else {
        printProblem(context, `config check: ${tally.failed} of ${total} checks failed`);
        process.exitCode = 1;
      }
    });
}

async function runChecks(context: CliContext): Promise<CheckTally> {
  const tally: CheckTally = { passed: 0, failed: 0 };
  const report = (state: CheckState, check: string, detail: string, more: readonly string[] = []) => {
    if (state === 'ok') tally.passed += 1;
    if (state === 'FAIL') tally.failed += 1;
    printLine(context, `${state.padEnd(4)}  ${check}: ${detail}`);
    for (const line of more) printLine(context, `        ${line}`);
  };

  // Settings: the full configuration; when it is invalid, the database part alone, so the database
  // checks still run and the operator fixes everything in one round.
  let config: Config | undefined;
  let databaseConfig: DatabaseOnlyConfig | undefined;
  try {
    config = context.loadConfig();
    databaseConfig = config;
    context.secrets.addAll(configSecretValues(config));
    report('ok', 'settings', describeSettings(config));
  } catch (error) {
    if (!isConfigError(error)) throw error;
    report(
      'FAIL',
      'settings',
      `${error.problems.length} problem(s)`,
      error.problems.map((problem) => `- ${problem.option}: ${problem.message}`),
    );
    try {
      databaseConfig = loadDatabaseConfig();
    } catch (databaseError) {
      if (!isConfigError(databaseError)) throw databaseError;
    }
  }
  if (databaseConfig === undefined) {
    report('skip', 'database', 'not checked until the database settings above are fixed');
    return tally;
  }
  if (databaseConfig.database.kind === 'external') {
    const password = databaseUrlPassword(databaseConfig.database.url);
    if (password !== undefined) context.secrets.add(password);
  }

  const { database: resolveOptions, logger, migrationsDir } = databaseCliSettingsFor(databaseConfig, true);
  let database: ResolvedDatabase;
  let connection: DatabaseConnection;
  try {
    database = await resolveDatabase(resolveOptions);
  } catch (error) {
    report('FAIL', 'database', error instanceof Error ? error.message : String(error));
    return tally;
  }
  try {
    try {
      connection = await connectDatabase(database.url);
    } catch (error) {
      report('FAIL', 'database', error instanceof Error ? error.message : String(error));
      return tally;
    }
    try {
      report(
        'ok',
        'database',
        `reachable at ${redactDatabaseUrl(database.url)} (PostgreSQL ${connection.serverVersion}, ${database.source})`,
      );
      const migrated = await checkMigrations(connection.db, migrationsDir, report);
      if (config === undefined) report('skip', 'sessions', 'not checked until the settings above are fixed');
      else if (!migrated) report('skip', 'sessions', 'not checked until the migrations are applied');
      else await checkSessions(context, config, connection.db, report);
    } finally {
      await connection.close();
    }
  } finally {
    await database
      .stop()
      .catch((error: unknown) => logger.warn({ error: String(error) }, 'stopping the database failed'));
  }
  return tally;
}

type Report = (state: CheckState, check: string, detail: string, more?: readonly string[]) => void;

function describeSettings(config: Config): string {
  const sessions =
    config.telegram.sessionEncryption === undefined
      ? `sessions in ${config.telegram.sessionDir}`
      : `sessions encrypted in the database (key id "${config.telegram.sessionEncryption.keyId}")`;
  const file = config.configFile === undefined ? '' : `, config file ${config.configFile}`;
  return `valid (NODE_ENV=${config.nodeEnv}${file}; ${sessions})`;
}

/** @returns whether every migration is applied */
async function checkMigrations(db: SqlExecutor, migrationsDir: string, report: Report): Promise<boolean> {
  const total = (await readLocalMigrations(migrationsDir)).length;
  let missing: string[];
  try {
    missing = await missingMigrations(db, migrationsDir);
  } catch (error) {
    report('FAIL', 'migrations', `cannot read the migration history: ${databaseErrorReason(error)}`);
    return false;
  }
  if (missing.length === 0) {
    report('ok', 'migrations', `all ${total} applied`);
    return true;
  }
  report(
    'FAIL',
    'migrations',
    `${missing.length} of ${total} not applied (first ${missing[0]}): run \`tg-dialog-sync db migrate\``,
  );
  return false;
}

async function checkSessions(context: CliContext, config: Config, db: SqlExecutor, report: Report): Promise<void> {
  const encryption = config.telegram.sessionEncryption;
  const sessions: SessionStore =
    encryption === undefined
      ? fileSessionStore(config.telegram.sessionDir)
      : databaseSessionStore(db, keyRingFromConfig(encryption));
  const accounts = await listAccounts(db);
  if (accounts.length === 0) {
    report('ok', 'accounts', 'none yet (log one in with `tg-dialog-sync login --account <label>`)');
    return;
  }
  for (const account of accounts) {
    const check = `account "${account.label}"`;
    let session: string | null;
    try {
      session = await sessions.load(account.label, account.id);
    } catch (error) {
      if (!(error instanceof SessionUnreadableError)) {
        report('FAIL', check, `the session could not be read: ${databaseErrorReason(error)}`);
        continue;
      }
      report('FAIL', check, error.message);
      continue;
    }
    if (session !== null) {
      context.secrets.add(session);
      report('ok', check, `session readable (status ${account.status})`);
    } else if (account.status === 'disabled') {
      report('skip', check, 'disabled, no stored session');
    } else {
      report(
        'FAIL',
        check,
        `no stored session (${sessions.location(account.label)}): log in with \`tg-dialog-sync login --account ${account.label}\``,
      );
    }
  }
}
