import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { printableText } from '../../../src/peers/printable-text.ts';

describe('printableText', () => {
  it('keeps ordinary text, including non-ASCII letters and emoji', () => {
    assert.equal(printableText('@café_chat ☕ 🙂'), '@café_chat ☕ 🙂');
  });

  it('makes control characters visible: C0, DEL, C1 and bidirectional overrides', () => {
    assert.equal(
      printableText('a\u0000b\u0007c\u001b[2Jd\te\nf\u007fg\u009bh\u202ei'),
      'a\\x00b\\x07c\\x1b[2Jd\\te\\nf\\x7fg\\x9bh\\u202ei',
    );
  });

  it('cuts long text and says how long it was (characters, not UTF-16 units)', () => {
    assert.equal(printableText('x'.repeat(10_000), 10), 'xxxxxxxxxx… (10000 characters)');
    assert.equal(printableText('🙂'.repeat(5), 3), '🙂🙂🙂… (5 characters)');
    assert.equal(printableText('short', 5), 'short');
  });
});
