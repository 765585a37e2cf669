import { databaseErrorReason } from './cli-runtime.ts';

/**
 * Errors whose message spans several lines (Prisma's "Invalid `prisma.$queryRawUnsafe()` invocation:
 * … Message: `…`") reduced to the useful line, so every CLI failure ends as one line on stderr.
 * Other errors pass through unchanged (config errors keep their list of problems).
 */
export function oneLineError(error: unknown): unknown {
  if (!(error instanceof Error) || !error.name.startsWith('PrismaClient')) return error;
  const simplified = new Error(`database error: ${databaseErrorReason(error)}`);
  simplified.name = 'DatabaseError';
  if (error.stack !== undefined) simplified.stack = error.stack;
  return simplified;
}
