/**
 * Input a user typed or a file held, echoed in an error, is cut short and made printable (issue 17:
 * "a 10,000-character peers-file line echoed whole in its error"): every shape of a bad peer or rule
 * line, an account label, a file name.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAccountLabel } from '../../../src/app/login-account.ts';
import { UnknownAccountError } from '../../../src/app/sync-now.ts';
import { PeersFileError } from '../../../src/peers/peers-file-error.ts';
import { parsePeersFile } from '../../../src/peers/peers-file.ts';

const LONG = `z\u001b[2J${'z'.repeat(10_000)}`;
/** Far below the input's length, above any message's own words. */
const MAX_MESSAGE = 400;

function assertCut(text: string): void {
  assert.ok(text.length < MAX_MESSAGE, `${text.length} characters: ${text.slice(0, 120)}…`);
  assert.doesNotMatch(text, /\u001b/, 'no control character is echoed');
}

describe('input echoed in errors', () => {
  it('cuts every shape of a bad peers-file line, in plain text and YAML files', () => {
    const long = 'z'.repeat(10_000);
    const shapes = [
      LONG,
      `@${long}`,
      `t.me/${long}`,
      `https://t.me/+${long}`,
      `tg://${long}`,
      `tg://resolve?domain=${long}`,
      `-100${'9'.repeat(10_000)}`,
      `not ${long}`,
      `all ${long}`,
      `all channels in folder "x" ${long}`,
      `a b ${LONG}`,
    ];
    for (const [file, text] of [
      ['peers.txt', shapes.join('\n')],
      ['peers.yaml', shapes.map((shape) => `- ${JSON.stringify(shape)}`).join('\n')],
    ] as const) {
      const parsed = parsePeersFile(file, text);
      assert.equal(parsed.problems.length, shapes.length, file);
      for (const problem of parsed.problems) assertCut(`${problem.input}: ${problem.reason}`);
    }
  });

  it('cuts a file that cannot be parsed, and its name', () => {
    for (const [file, text] of [
      ['peers.yaml', `${'k'.repeat(10_000)}: x: y`],
      ['peers.json', `["${'q'.repeat(10_000)}`],
    ] as const) {
      assert.throws(
        () => parsePeersFile(file, text),
        (error: unknown) => error instanceof PeersFileError && (assertCut(error.message), true),
      );
    }
    assertCut(new PeersFileError(`/tmp/${LONG}.txt`, 'is empty (0 bytes)', 'fix the file').message);
  });

  it('cuts an account label in "no account" and "not a valid account label"', () => {
    assertCut(new UnknownAccountError(LONG, ['main']).message);
    assert.match(new UnknownAccountError('nobody', ['main']).message, /^no account "nobody" \(known: main\)$/);
    assert.throws(
      () => assertAccountLabel(LONG),
      (error: unknown) => error instanceof Error && (assertCut(error.message), true),
    );
  });
});
