import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { finalProgress, logProgressView, terminalProgressView } from '../../../src/cli/commands/sync-progress.ts';

describe('sync progress', () => {
  it('draws one bar per account at a terminal, ending where the run ended', () => {
    let text = '';
    const stream = Object.assign(
      new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          text += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 120 },
    );
    const view = terminalProgressView(stream);
    view.update([{ accountLabel: 'main', peersTotal: 0, peersDone: 0, peersFailed: 0 }]);
    view.update([
      { accountLabel: 'main', peersTotal: 600, peersDone: 200, peersFailed: 1 },
      { accountLabel: 'second', peersTotal: 50, peersDone: 50, peersFailed: 0 },
    ]);
    view.update([{ accountLabel: 'main', peersTotal: 600, peersDone: 600, peersFailed: 2 }]);
    view.stop();
    assert.match(text, /main \[[█░]+\] 600\/600 peers \| 2 failed/);
    assert.match(text, /second \[[█░]+\] 50\/50 peers \| 0 failed/);
  });

  it('logs a line per account when its counters changed, at most once per interval', () => {
    const lines: Array<{ object: Record<string, unknown>; message: string }> = [];
    let clock = 0;
    const view = logProgressView(
      { info: (object, message) => lines.push({ object: object as Record<string, unknown>, message }) },
      10_000,
      () => clock,
    );
    view.update([{ accountLabel: 'main', peersTotal: 600, peersDone: 100, peersFailed: 0 }]);
    clock = 5_000;
    view.update([{ accountLabel: 'main', peersTotal: 600, peersDone: 300, peersFailed: 0 }]); // too soon
    clock = 12_000;
    view.update([{ accountLabel: 'main', peersTotal: 600, peersDone: 300, peersFailed: 1 }]);
    clock = 30_000;
    view.update([{ accountLabel: 'main', peersTotal: 600, peersDone: 300, peersFailed: 1 }]); // unchanged
    assert.deepEqual(
      lines.map((line) => line.message),
      ['sync progress: main 100/600 peers (16%), 0 failed', 'sync progress: main 300/600 peers (50%), 1 failed'],
    );
    assert.deepEqual(lines[1]!.object, { account: 'main', peersDone: 300, peersTotal: 600, peersFailed: 1 });
  });

  it("turns finished runs' counters into a final snapshot, leaving skipped accounts out", () => {
    const counters = { peersTotal: 10, peersSynced: 7, peersFailed: 1, peersNoDialog: 2 } as never;
    assert.deepEqual(
      finalProgress([
        {
          account: 'a',
          result: { status: 'succeeded', runId: 1n, counters, errorKind: null, errorText: null, resumeAt: null },
        },
        { account: 'b', result: { status: 'skipped', reason: 'busy' } },
      ]),
      [{ accountLabel: 'a', peersTotal: 10, peersDone: 10, peersFailed: 1 }],
    );
  });
});
