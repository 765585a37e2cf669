import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseErrorReason, formatTable, formatTime, shorten } from '../../../src/cli/commands/cli-runtime.ts';
import { oneLineError } from '../../../src/cli/commands/cli-errors.ts';

describe('CLI formatting', () => {
  it('aligns table columns and keeps cells on one line', () => {
    assert.equal(
      formatTable(
        ['A', 'BB', 'C'],
        [
          ['long value', 'x', 'multi\nline'],
          ['y', 'zzz', ''],
        ],
      ),
      'A           BB   C\nlong value  x    multi line\ny           zzz',
    );
  });

  it('formats times to the second in UTC, and a missing one as a dash', () => {
    assert.equal(formatTime(new Date('2026-11-25T23:40:12.345Z')), '2026-11-25 23:40:12Z');
    assert.equal(formatTime(null), '—');
  });

  it('shortens long text', () => {
    assert.equal(shorten('a'.repeat(10), 5), 'aaaa…');
    assert.equal(shorten(null), '—');
  });

  it("reduces Prisma's multi-line errors to their message line", () => {
    const prismaError = new Error(
      "\nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `N/A`. Message: `Can't reach database server at 127.0.0.1:1`",
    );
    prismaError.name = 'PrismaClientKnownRequestError';
    assert.equal(databaseErrorReason(prismaError), "Can't reach database server at 127.0.0.1:1");
    const simplified = oneLineError(prismaError) as Error;
    assert.equal(simplified.message, "database error: Can't reach database server at 127.0.0.1:1");
    const other = new Error('x');
    assert.equal(oneLineError(other), other);
  });
});
