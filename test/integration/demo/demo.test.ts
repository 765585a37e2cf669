/**
 * `npm run demo` as a person runs it: it must finish on its own, show what was synced and backed off
 * and why, print no secret, and leave nothing running.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startNode, TSX } from '../../helpers/cli-process.ts';
import { portIsFree } from '../../helpers/free-port.ts';

const ROOT = join(import.meta.dirname, '../../..');

describe('npm run demo', () => {
  it('syncs a generated world through the real CLI, explains the backed-off peer, and stops everything', async () => {
    const demo = startNode([...TSX, join(ROOT, 'scripts/demo.ts')], { PATH: process.env.PATH }, { cwd: ROOT });
    const { code } = await demo.exited;
    const output = demo.output();
    assert.equal(code, 0, output);
    assert.match(
      output,
      /Result: run succeeded in [\d.]+ s — \d+ of \d+ peers synced, 1 failed, \d+ API calls, 1 flood wait\(s\) of 2 s waited out by the job/,
    );
    assert.match(output, /Synced dialogs by kind:\n(\s+\w+\s+\d+ dialogs, \d+ unread messages\n)+/);
    assert.match(output, /CHANNEL_PRIVATE — the channel is private/);
    assert.match(output, /warn: .*peers\.txt:\d+: t\.me\/\+<digits> is a phone number link/);
    assert.match(output, /psql "\$\(cat \.data\/demo\/database-url\)"/);
    assert.doesNotMatch(output, /postgresql:\/\/[^"\s]*:[^@\s]+@/, 'no database password on screen');
    assert.doesNotMatch(output, /\b99966\d{5}\b/, 'no phone number on screen');
    assert.equal(await portIsFree(54349), true, 'the demo database was stopped');
  });
});
