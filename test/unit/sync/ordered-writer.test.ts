import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OrderedWriter } from '../../../src/sync/ordered-writer.ts';

/** `count` promise continuations, like the chain from a reply to the next request on the socket. */
async function continuations(count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) await Promise.resolve();
}

describe('OrderedWriter', () => {
  it('starts a write only after the caller has gone on: its next steps (the next request) come first', async () => {
    const writer = new OrderedWriter(1);
    const order: string[] = [];
    writer.enqueue(async () => {
      order.push('write started');
    });
    // What the caller does next, all of it promise continuations (no I/O): the write must not cut in.
    await continuations(200);
    order.push('next request sent');
    await writer.drain();
    assert.deepEqual(order, ['next request sent', 'write started']);
  });

  it('runs writes one at a time, in the order they were queued', async () => {
    const writer = new OrderedWriter(4);
    const order: string[] = [];
    let running = 0;
    for (const name of ['a', 'b', 'c', 'd']) {
      writer.enqueue(async () => {
        running += 1;
        assert.equal(running, 1, 'one write at a time');
        await continuations(name === 'a' ? 50 : 1);
        order.push(name);
        running -= 1;
      });
    }
    await writer.drain();
    assert.deepEqual(order, ['a', 'b', 'c', 'd']);
  });

  it('holds the caller back while more than maxPending writes wait', async () => {
    const writer = new OrderedWriter(1);
    /** A write that runs until released; resolves `started` with its release. */
    const blockedWrite = () => {
      let started!: (release: () => void) => void;
      const startedPromise = new Promise<() => void>((resolve) => (started = resolve));
      writer.enqueue(() => new Promise<void>((resolve) => started(resolve)));
      return startedPromise;
    };
    const first = blockedWrite();
    await writer.waitForRoom();
    const second = blockedWrite();
    let roomGiven = false;
    const room = writer.waitForRoom().then(() => {
      roomGiven = true;
    });
    const releaseFirst = await first;
    await continuations(50);
    assert.equal(roomGiven, false, 'two writes pending: no room at maxPending 1');
    releaseFirst();
    await room;
    (await second)();
    await writer.drain();
  });

  it('rethrows the first failure to the caller, and skips the writes queued after it', async () => {
    const writer = new OrderedWriter(2);
    const ran: string[] = [];
    writer.enqueue(async () => {
      ran.push('first');
      throw new Error('disk full');
    });
    writer.enqueue(async () => {
      ran.push('second');
    });
    await assert.rejects(writer.drain(), /disk full/);
    assert.deepEqual(ran, ['first']);
    await assert.rejects(writer.waitForRoom(), /disk full/);
    assert.throws(() => writer.enqueue(async () => undefined), /disk full/);
  });
});
