import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeError } from '../../../src/observability/error-text.ts';

describe('describeError', () => {
  it("reduces Prisma's multi-line raw-query error to PostgreSQL's code and message", () => {
    const error = new Error(
      '\nInvalid `prisma.$queryRawUnsafe()` invocation:\n\n\nRaw query failed. Code: `57P01`. Message: `terminating connection due to administrator command`',
    );
    assert.equal(describeError(error), 'database error 57P01: terminating connection due to administrator command');
  });

  it('keeps other errors, on one line', () => {
    assert.equal(describeError(new Error('first line\n  second line')), 'first line second line');
    assert.equal(describeError('plain'), 'plain');
    assert.equal(describeError(new Error('')), 'unknown error');
  });
});
