/**
 * An error as one line a person can read, for run rows, summaries and one-line CLI failures. Prisma's
 * raw-query errors span several lines ("Invalid `prisma.$queryRawUnsafe()` invocation: … Code: `57P01`.
 * Message: `…`"): only PostgreSQL's code and message are kept.
 */
import { asError } from '../errors/app-error.ts';

export function describeError(error: unknown): string {
  const message = asError(error).message;
  const database = databaseMessageOf(message);
  const text =
    database === null
      ? message
      : `database error${database.code === null ? '' : ` ${database.code}`}: ${database.message}`;
  return text.replace(/\s+/g, ' ').trim() || 'unknown error';
}

/** PostgreSQL's own code and message inside a Prisma error message, if it is one. */
export function databaseMessageOf(message: string): { code: string | null; message: string } | null {
  const text = /Message: `([^`]*)`/.exec(message);
  if (text === null) return null;
  return { code: /Code: `([^`]*)`/.exec(message)?.[1] ?? null, message: text[1] ?? '' };
}
