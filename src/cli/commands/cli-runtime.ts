/**
 * What the account, peer and status commands share: the runtime opened with logs on stderr (stdout
 * carries the command's result), a reachability check of the database that fails in one line, and
 * output that passes the secret scrubber.
 */
import { AppError, asError } from '../../errors/app-error.ts';
import { redactDatabaseUrl } from '../../observability/redaction.ts';
import { openRuntime, type Runtime } from '../../app/runtime.ts';
import { createLogger } from '../../observability/logger.ts';
import type { CliContext } from '../cli-context.ts';
import { databaseMessageOf } from '../../observability/error-text.ts';
import { assertDatabaseMigrated } from '../../db/migration-status.ts';

export class DatabaseUnreachableError extends AppError<'database_unreachable'> {
  constructor(where: string, reason: string) {
    super(`cannot reach the database at ${where}: ${reason}`, { kind: 'database_unreachable' });
  }
}

export async function withCliRuntime<Result>(
  context: CliContext,
  work: (runtime: Runtime) => Promise<Result>,
): Promise<Result> {
  const config = context.loadConfig();
  const logger = createLogger({
    level: config.log.level,
    format: config.log.format,
    production: config.production,
    secrets: context.secrets,
    base: { service: 'tg-dialog-sync' },
    destination: process.stderr,
    isTty: process.stderr.isTTY === true,
  });
  const runtime = await openRuntime(config, { secrets: context.secrets, logger });
  try {
    await checkDatabase(runtime);
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/**
 * Before a command does anything: the database answers, and has this program's migrations (else
 * every statement fails on a missing table, far from the cause).
 * @throws DatabaseUnreachableError, DatabaseNotMigratedError
 */
export async function checkDatabase(runtime: Runtime): Promise<void> {
  try {
    await runtime.db.query('SELECT 1', []);
  } catch (error) {
    throw new DatabaseUnreachableError(redactDatabaseUrl(runtime.databaseUrl), databaseErrorReason(error));
  }
  await assertDatabaseMigrated(runtime.db, runtime.databaseUrl);
}

/** The useful part of a driver or Prisma error, on one line. */
export function databaseErrorReason(error: unknown): string {
  const message = asError(error).message;
  const text = databaseMessageOf(message)?.message ?? message;
  return text.replace(/\s+/g, ' ').trim() || 'unknown error';
}

/** Writes a line of the command's result to stdout, scrubbed of every registered secret. */
export function printLine(context: CliContext, text = ''): void {
  process.stdout.write(`${context.secrets.scrub(text)}\n`);
}

/** Writes many result lines to stdout in one write, scrubbed. */
export function printLines(context: CliContext, lines: readonly string[]): void {
  if (lines.length > 0) process.stdout.write(`${context.secrets.scrub(lines.join('\n'))}\n`);
}

/** Writes a warning or problem line to stderr, scrubbed. */
export function printProblem(context: CliContext, text: string): void {
  process.stderr.write(`${context.secrets.scrub(text)}\n`);
}

/** 2026-11-25 23:40:12Z */
export function formatTime(date: Date | null | undefined): string {
  if (date === null || date === undefined) return '—';
  return new Date(date)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** Left-aligned columns, two spaces apart; cells are single-line. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = columnWidths([headers, ...rows]);
  return [headers, ...rows].map((row) => formatTableRow(row, widths)).join('\n');
}

/**
 * The width of each column over `rows`, widening `widths` in place when given (so a long table can be
 * measured a page at a time). A loop, not Math.max(...cells): spreading 110,000+ values as arguments
 * overflows the call stack.
 */
export function columnWidths(rows: Iterable<readonly string[]>, widths: number[] = []): number[] {
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, singleLine(cell).length);
    });
  }
  return widths;
}

/** One table line: every column but the last padded to its width. */
export function formatTableRow(row: readonly string[], widths: readonly number[]): string {
  return row
    .map((cell, column) =>
      column === row.length - 1 ? singleLine(cell) : singleLine(cell).padEnd(widths[column] ?? 0),
    )
    .join('  ')
    .trimEnd();
}

function singleLine(cell: string): string {
  return cell.replace(/\s+/g, ' ');
}

/** Shortens a long text for a table cell. */
export function shorten(text: string | null | undefined, max = 60): string {
  if (text === null || text === undefined || text === '') return '—';
  const single = text.replace(/\s+/g, ' ');
  return single.length <= max ? single : `${single.slice(0, max - 1)}…`;
}
