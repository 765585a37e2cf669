import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isolateBadPeers, type AttemptOutcome } from '../../../src/sync/isolate-bad-peers.ts';

/** A stand-in for getPeerDialogs: fails the whole call when any requested peer is bad. */
function fakeTelegram(badPeers: ReadonlyMap<number, string>) {
  const synced: number[] = [];
  const attempt = async (peers: readonly number[]): Promise<AttemptOutcome> => {
    const firstBad = peers.find((peer) => badPeers.has(peer));
    if (firstBad !== undefined) return { kind: 'peer-error', errorMessage: badPeers.get(firstBad) as string };
    synced.push(...peers);
    return { kind: 'synced' };
  };
  return { attempt, synced };
}

const batch = Array.from({ length: 100 }, (_, index) => index);

describe('isolateBadPeers', () => {
  it('finds one bad peer in about 2·log2(n) calls and syncs all the others', async () => {
    const telegram = fakeTelegram(new Map([[37, 'CHANNEL_PRIVATE']]));
    const result = await isolateBadPeers(batch, 'CHANNEL_PRIVATE', telegram.attempt);
    assert.deepEqual(result.bad, [{ peer: 37, errorMessage: 'CHANNEL_PRIVATE' }]);
    assert.ok(result.calls <= 2 * Math.ceil(Math.log2(100)), `calls: ${result.calls}`);
    assert.deepEqual([...telegram.synced].sort((a, b) => a - b), batch.filter((peer) => peer !== 37));
    assert.equal(result.everyPeerFailed, false);
  });

  it('finds several bad peers with their own errors within 2·k·log2(n) calls', async () => {
    const bad = new Map([[0, 'CHANNEL_PRIVATE'], [50, 'CHANNEL_INVALID'], [51, 'PEER_ID_INVALID'], [99, 'CHANNEL_PRIVATE']]);
    const telegram = fakeTelegram(bad);
    const result = await isolateBadPeers(batch, 'CHANNEL_PRIVATE', telegram.attempt);
    assert.deepEqual(new Map(result.bad.map((entry) => [entry.peer, entry.errorMessage])), bad);
    assert.ok(result.calls <= 2 * bad.size * Math.ceil(Math.log2(100)), `calls: ${result.calls}`);
    assert.equal(telegram.synced.length, 96);
  });

  it('reports when every peer fails alike, which is not a peer problem', async () => {
    const telegram = fakeTelegram(new Map(batch.slice(0, 8).map((peer) => [peer, 'CHANNEL_PRIVATE'])));
    const result = await isolateBadPeers(batch.slice(0, 8), 'CHANNEL_PRIVATE', telegram.attempt);
    assert.equal(result.everyPeerFailed, true);
    assert.equal(result.bad.length, 8);
  });

  it('does not call Telegram again for a single failing peer', async () => {
    const telegram = fakeTelegram(new Map([[5, 'CHANNEL_PRIVATE']]));
    const result = await isolateBadPeers([5], 'CHANNEL_PRIVATE', telegram.attempt);
    assert.deepEqual([result.calls, result.bad.length, result.everyPeerFailed], [0, 1, false]);
  });

  it('lets other failures end the isolation', async () => {
    await assert.rejects(
      isolateBadPeers([1, 2], 'CHANNEL_PRIVATE', async () => {
        throw new Error('account stopped');
      }),
      /account stopped/,
    );
  });
});
