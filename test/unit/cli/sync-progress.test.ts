import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  barLine,
  finalProgress,
  logProgressView,
  terminalProgressView,
} from '../../../src/cli/commands/sync-progress.ts';
import type { RunningRunProgress } from '../../../src/store/accounts/running-run-progress.ts';

const STARTED = new Date('2026-12-07T10:00:00Z');

/** A run's counters as the progress query returns them: nothing done yet unless said. */
function run(accountLabel: string, counts: Partial<RunningRunProgress> = {}): RunningRunProgress {
  return {
    accountLabel,
    startedAt: STARTED,
    peersToResolve: 0,
    peersResolveDone: 0,
    peersTotal: 0,
    peersDone: 0,
    peersFailed: 0,
    ...counts,
  };
}

function terminal(): { stream: NodeJS.WritableStream; text: () => string } {
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
  return { stream, text: () => text };
}

describe('sync progress', () => {
  it('draws one bar per account at a terminal, ending where the run ended', () => {
    const { stream, text } = terminal();
    const view = terminalProgressView(stream);
    view.update([run('main')]);
    view.update([
      run('main', { peersTotal: 600, peersDone: 200, peersFailed: 1 }),
      run('second', { peersTotal: 50, peersDone: 50, peersFailed: 0 }),
    ]);
    view.update([run('main', { peersTotal: 600, peersDone: 600, peersFailed: 2 })]);
    view.stop();
    assert.match(text(), /main \[[█░]+\] 600\/600 peers \| 2 failed/);
    assert.match(text(), /second \[[█░]+\] 50\/50 peers \| 0 failed/);
  });

  it('shows a run from its start: starting, then resolving with its counts, then syncing', () => {
    const bar = (fraction: number) => '#'.repeat(Math.round(fraction * 10)).padEnd(10, '.');
    assert.equal(barLine(run('main'), 3, bar), 'main [..........] starting | 3s');
    // A run that ended before knowing its peers (deferred…) does not stay "starting".
    assert.equal(barLine({ ...run('main'), ended: true }, 4, bar), 'main [..........] ended before syncing | 4s');
    assert.equal(
      barLine(run('main', { peersToResolve: 300, peersResolveDone: 120 }), 45, bar),
      'main [####......] resolving 120/300 peers | 45s',
    );
    assert.equal(
      barLine(run('main', { peersToResolve: 300, peersResolveDone: 300, peersTotal: 300, peersDone: 150 }), 126, bar),
      'main [#####.....] 150/300 peers | 0 failed | 2m06s',
    );
    assert.equal(
      barLine(run('main', { peersTotal: 10, peersDone: 12 }), 3725, bar).endsWith('10/10 peers | 0 failed | 1h02m05s'),
      true,
    );
  });

  it("draws the clock from the run's start (started_at), not from when the bar appeared", () => {
    const { stream, text } = terminal();
    let clock = STARTED.getTime() + 80_000;
    const view = terminalProgressView(stream, () => clock);
    view.update([run('main', { peersToResolve: 300, peersResolveDone: 100 })]);
    clock = STARTED.getTime() + 126_000;
    view.update([run('main', { peersToResolve: 300, peersResolveDone: 300, peersTotal: 300, peersDone: 300 })]);
    view.stop();
    assert.match(text(), /main \[█+\] 300\/300 peers \| 0 failed \| 2m06s/);
  });

  it('keeps the clock of a run it knew when the final counters carry no start', () => {
    const { stream, text } = terminal();
    let clock = STARTED.getTime() + 10_000;
    const view = terminalProgressView(stream, () => clock);
    view.update([run('main', { peersTotal: 10, peersDone: 4 })]);
    clock = STARTED.getTime() + 70_000;
    view.update([run('main', { startedAt: null, peersTotal: 10, peersDone: 10 })]);
    view.stop();
    assert.match(text(), /main \[█+\] 10\/10 peers \| 0 failed \| 1m10s/);
  });

  it('logs a line per account when its counters changed, at most once per interval', () => {
    const lines: Array<{ object: Record<string, unknown>; message: string }> = [];
    let clock = 0;
    const view = logProgressView(
      { info: (object, message) => lines.push({ object: object as Record<string, unknown>, message }) },
      10_000,
      () => clock,
    );
    const at = (seconds: number) => STARTED.getTime() + seconds * 1000;
    clock = at(20);
    view.update([run('main', { peersTotal: 600, peersDone: 100, peersFailed: 0 })]);
    clock = at(25);
    view.update([run('main', { peersTotal: 600, peersDone: 300, peersFailed: 0 })]); // too soon
    clock = at(32);
    view.update([run('main', { peersTotal: 600, peersDone: 300, peersFailed: 1 })]);
    clock = at(50);
    view.update([run('main', { peersTotal: 600, peersDone: 300, peersFailed: 1 })]); // unchanged
    assert.deepEqual(
      lines.map((line) => line.message),
      [
        'sync progress: main 100/600 peers (16%), 0 failed, 20s since the run started',
        'sync progress: main 300/600 peers (50%), 1 failed, 32s since the run started',
      ],
    );
    assert.deepEqual(lines[1]!.object, {
      account: 'main',
      peersDone: 300,
      peersTotal: 600,
      peersFailed: 1,
      elapsedSeconds: 32,
    });
  });

  it('logs the resolution phase before any peer is synced', () => {
    const lines: Array<{ object: Record<string, unknown>; message: string }> = [];
    let clock = STARTED.getTime() + 2_000;
    const view = logProgressView(
      { info: (object, message) => lines.push({ object: object as Record<string, unknown>, message }) },
      10_000,
      () => clock,
    );
    view.update([run('main')]); // nothing to say yet: the run logs its own start
    view.update([run('main', { peersToResolve: 300 })]);
    clock = STARTED.getTime() + 80_000;
    view.update([run('main', { peersToResolve: 300, peersResolveDone: 200 })]);
    assert.deepEqual(
      lines.map((line) => line.message),
      [
        'sync progress: main resolving 0/300 peers (0%), 2s since the run started',
        'sync progress: main resolving 200/300 peers (66%), 1m20s since the run started',
      ],
    );
    assert.deepEqual(lines[1]!.object, {
      account: 'main',
      phase: 'resolving',
      peersResolveDone: 200,
      peersToResolve: 300,
      elapsedSeconds: 80,
    });
  });

  it("turns finished runs' counters into a final snapshot, leaving skipped accounts out", () => {
    const counters = {
      peersToResolve: 3,
      peersResolveDone: 3,
      peersTotal: 10,
      peersSynced: 7,
      peersFailed: 1,
      peersNoDialog: 2,
    } as never;
    assert.deepEqual(
      finalProgress([
        {
          account: 'a',
          result: { status: 'succeeded', runId: 1n, counters, errorKind: null, errorText: null, resumeAt: null },
        },
        { account: 'b', result: { status: 'skipped', reason: 'busy' } },
      ]),
      [
        {
          ...run('a', {
            startedAt: null,
            peersToResolve: 3,
            peersResolveDone: 3,
            peersTotal: 10,
            peersDone: 10,
            peersFailed: 1,
          }),
          ended: true,
        },
      ],
    );
  });
});
