import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { linkSignals } from '../../../src/sync/linked-signal.ts';

describe('linkSignals', () => {
  it('aborts with the reason of whichever source aborts first', () => {
    const stop = new AbortController();
    const lost = new AbortController();
    const linked = linkSignals(stop.signal, lost.signal);
    assert.equal(linked.signal.aborted, false);
    lost.abort('the account lock was lost');
    assert.equal(linked.signal.aborted, true);
    assert.equal(linked.signal.reason, 'the account lock was lost');
    stop.abort('SIGTERM');
    assert.equal(linked.signal.reason, 'the account lock was lost');
  });

  it('is aborted at once when a source already is, and ignores undefined sources', () => {
    const stopped = new AbortController();
    stopped.abort('SIGINT');
    const linked = linkSignals(undefined, new AbortController().signal, stopped.signal);
    assert.equal(linked.signal.aborted, true);
    assert.equal(linked.signal.reason, 'SIGINT');
    assert.equal(linkSignals(undefined).signal.aborted, false);
  });

  it('stops following its sources once disposed', () => {
    const stop = new AbortController();
    const linked = linkSignals(stop.signal);
    linked.dispose();
    linked.dispose();
    stop.abort('SIGTERM');
    assert.equal(linked.signal.aborted, false);
  });

  it('leaves nothing on a long-lived source, run after run', () => {
    // The worker's stop signal lives as long as the process; every run links it with its own lock.
    const stop = new AbortController();
    for (let run = 0; run < 1000; run += 1) {
      const lost = new AbortController();
      const linked = linkSignals(stop.signal, lost.signal);
      const onAbort = () => undefined;
      linked.signal.addEventListener('abort', onAbort);
      if (run % 3 === 0) lost.abort('the account lock was lost');
      linked.signal.removeEventListener('abort', onAbort);
      linked.dispose();
      assert.equal(getEventListeners(lost.signal, 'abort').length, 0);
    }
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
    // What AbortSignal.any would have left behind instead: Node keeps one entry per call in the source.
    const dependants = Object.getOwnPropertySymbols(stop.signal).find(
      (symbol) => symbol.description === 'kDependantSignals',
    );
    assert.equal(dependants, undefined);
  });

  it('lets go of the other sources as soon as one aborts', () => {
    const stop = new AbortController();
    const lost = new AbortController();
    linkSignals(stop.signal, lost.signal);
    assert.equal(getEventListeners(stop.signal, 'abort').length, 1);
    lost.abort('gone');
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
  });
});
