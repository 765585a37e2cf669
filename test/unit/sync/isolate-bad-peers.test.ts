import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeerCallPlanner, type AttemptOutcome, type BadPeer } from '../../../src/sync/isolate-bad-peers.ts';

interface TestPeer {
  readonly id: number;
  readonly failedBefore?: boolean;
  readonly knownToWork?: boolean;
}

/**
 * Drives the planner against a stand-in for getPeerDialogs that fails the whole call when any
 * requested peer is bad (as Telegram does), one call at a time.
 */
function drive(
  peers: readonly TestPeer[],
  isBad: (peers: readonly TestPeer[]) => string | null,
  options: { batchSize?: number; probeFails?: boolean } = {},
) {
  const planner = new PeerCallPlanner(peers, {
    batchSize: options.batchSize ?? 100,
    failedBefore: (peer) => peer.failedBefore === true,
    knownToWork: (peer) => peer.knownToWork === true,
  });
  const synced: number[] = [];
  const bad: BadPeer<TestPeer>[] = [];
  const calls: { kind: string; size: number; ok: boolean }[] = [];
  for (let guard = 0; guard < 10_000; guard += 1) {
    const call = planner.next();
    if (call === 'done') return { synced, bad, calls, accountWide: null };
    assert.notEqual(call, 'wait', 'one call at a time never waits');
    if (call === 'wait') break;
    // A call carrying no peer (the probe) fails only for the account.
    const error =
      call.kind === 'probe' && options.probeFails === true
        ? 'PROBE_FAILED'
        : call.peers.length === 0
          ? null
          : isBad(call.peers);
    const outcome: AttemptOutcome =
      error === null ? { kind: 'synced' } : { kind: 'peer-error', errorMessage: error, reresolvable: false };
    calls.push({ kind: call.kind, size: call.peers.length, ok: error === null });
    if (error === null && (call.kind !== 'probe' || call.write)) synced.push(...call.peers.map((peer) => peer.id));
    const settled = planner.settle(call, outcome);
    bad.push(...settled.bad);
    if (settled.accountWide !== null) return { synced, bad, calls, accountWide: settled.accountWide };
  }
  assert.fail('the planner did not finish');
}

const peersOf = (count: number, extra: (id: number) => Partial<TestPeer> = () => ({})): TestPeer[] =>
  Array.from({ length: count }, (_, id) => ({ id, ...extra(id) }));
const failingOn =
  (badIds: ReadonlySet<number>, error = 'CHANNEL_PRIVATE') =>
  (peers: readonly TestPeer[]) =>
    peers.some((peer) => badIds.has(peer.id)) ? error : null;
const sorted = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);

/** Seeded, so the cases are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PeerCallPlanner', () => {
  it('finds one bad peer of a full batch in ⌈log₂ 100⌉ more calls and syncs all the others', () => {
    const peers = peersOf(100);
    const result = drive(peers, failingOn(new Set([37])));
    assert.deepEqual(
      result.bad.map((entry) => [entry.peer.id, entry.errorMessage]),
      [[37, 'CHANNEL_PRIVATE']],
    );
    assert.deepEqual(
      sorted(result.synced),
      peers.map((peer) => peer.id).filter((id) => id !== 37),
    );
    assert.ok(result.calls.length <= 1 + 7, `${result.calls.length} calls`);
  });

  it('sends halves cleared of suspicion in full batches with the peers still waiting', () => {
    // The issue's case: 618 peers, one bad one early in its batch. Its bisection only ever goes into
    // first halves, so every second half is cleared and must rejoin a full batch, not go out alone.
    const result = drive(peersOf(618), failingOn(new Set([300])));
    const successes = result.calls.filter((call) => call.ok);
    assert.ok(
      result.calls.length <= Math.ceil(618 / 100) + 8,
      `${result.calls.length} calls: ${result.calls.map((call) => `${call.size}${call.ok ? '' : '!'}`).join(' ')}`,
    );
    assert.ok(
      successes.filter((call) => call.size < 100).length <= 2,
      result.calls.map((call) => `${call.size}${call.ok ? '' : '!'}`).join(' '),
    );
    assert.equal(result.synced.length, 617);
  });

  it('stays within ⌈N/100⌉ + k·(⌈log₂ 100⌉ + 1) calls for k bad peers anywhere, each found with its own error', () => {
    const random = seeded(14);
    for (const [count, k] of [
      [618, 1],
      [1000, 7],
      [2000, 20],
      [250, 3],
      [102, 2],
      [99, 5],
    ] as const) {
      const badIds = new Set<number>();
      while (badIds.size < k) badIds.add(Math.floor(random() * count));
      const errors = new Map(
        [...badIds].map((id, index) => [id, index % 2 === 0 ? 'CHANNEL_PRIVATE' : 'SOME_NEW_400']),
      );
      const result = drive(
        peersOf(count),
        (peers) => errors.get(peers.find((peer) => errors.has(peer.id))?.id ?? -1) ?? null,
      );
      assert.deepEqual(
        new Map(result.bad.map((entry) => [entry.peer.id, entry.errorMessage])),
        errors,
        `N=${count} k=${k}`,
      );
      assert.equal(result.synced.length, count - k);
      assert.ok(
        result.calls.length <= Math.ceil(count / 100) + k * 8,
        `N=${count} k=${k}: ${result.calls.length} calls`,
      );
    }
  });

  it('asks for a peer that failed before on its own first: ⌈N/100⌉ + k calls once their backoff is over', () => {
    const badIds = new Set([3, 250, 251, 900]);
    const peers = peersOf(1000, (id) => ({ failedBefore: badIds.has(id), knownToWork: !badIds.has(id) }));
    const result = drive(peers, failingOn(badIds));
    assert.deepEqual(sorted(result.bad.map((entry) => entry.peer.id)), [...badIds]);
    assert.ok(result.calls.length <= Math.ceil(1000 / 100) + badIds.size, `${result.calls.length} calls`);
    assert.deepEqual(
      result.calls.slice(0, 4).map((call) => [call.kind, call.size]),
      Array.from({ length: 4 }, () => ['suspect', 1]),
    );
    // One of them is good again: synced by its own call.
    const recovered = drive(peers, failingOn(new Set([3, 250, 251])));
    assert.ok(recovered.synced.includes(900));
  });

  it('two bad channels at the end of the list are two bad peers: a peer synced in this run vouches for the account', () => {
    const result = drive(peersOf(102), failingOn(new Set([100, 101])));
    assert.equal(result.accountWide, null);
    assert.deepEqual(sorted(result.bad.map((entry) => entry.peer.id)), [100, 101]);
    assert.equal(result.synced.length, 100);
    const probe = result.calls.find((call) => call.kind === 'probe');
    assert.deepEqual(probe, { kind: 'probe', size: 1, ok: true });
  });

  it('calls it account-wide when a probe with a peer that worked before fails too, and names no bad peer', () => {
    const result = drive(
      peersOf(1000, () => ({ knownToWork: true })),
      () => 'CHANNEL_PRIVATE',
    );
    assert.equal(result.accountWide, 'CHANNEL_PRIVATE');
    assert.deepEqual(result.bad, []);
    assert.ok(result.calls.length <= 10, `${result.calls.length} calls`);
    assert.deepEqual(result.calls.at(-1), { kind: 'probe', size: 1, ok: false });
  });

  it('calls it account-wide when every call fails from the middle of a run: two bisections, then a probe with a peer synced in this run', () => {
    let calls = 0;
    const result = drive(peersOf(500), () => ((calls += 1) === 1 ? null : 'CHANNEL_PRIVATE'));
    assert.equal(result.accountWide, 'CHANNEL_PRIVATE');
    assert.deepEqual(result.bad, []);
    assert.ok(result.calls.length <= 1 + 2 * 8 + 1, `${result.calls.length} calls`);
    assert.deepEqual(result.calls.at(-1), { kind: 'probe', size: 1, ok: false });
  });

  it('probes with a call carrying no peer when no peer is known to work', () => {
    const allBad = drive(peersOf(3), () => 'CHANNEL_PRIVATE');
    assert.equal(allBad.accountWide, null, 'the account answered: these are bad peers');
    assert.deepEqual(sorted(allBad.bad.map((entry) => entry.peer.id)), [0, 1, 2]);
    assert.ok(allBad.calls.some((call) => call.kind === 'probe' && call.size === 0));
    const account = drive(peersOf(3), () => 'CHANNEL_PRIVATE', { probeFails: true });
    assert.equal(account.accountWide, 'PROBE_FAILED');
    assert.deepEqual(account.bad, []);
  });

  it('never sends an empty call, and a single failing peer costs no further call when the account is known to work', () => {
    const result = drive(peersOf(101), failingOn(new Set([100])));
    assert.ok(result.calls.every((call) => call.size > 0));
    assert.equal(result.calls.length, 3, 'the 100, the 1 that failed, and a probe');
    assert.deepEqual(drive([], () => null).calls, []);
  });

  it('with calls in flight, waits instead of probing and confirms bad peers by a later success', () => {
    const planner = new PeerCallPlanner(peersOf(3), {
      batchSize: 2,
      failedBefore: () => false,
      knownToWork: () => false,
    });
    const first = planner.next();
    const second = planner.next();
    assert.ok(first !== 'wait' && first !== 'done' && second !== 'wait' && second !== 'done');
    assert.deepEqual([first.peers.length, second.peers.length], [2, 1]);
    assert.equal(planner.next(), 'wait');
    // The single peer fails: bad unless the account is the problem; the 2-peer call still out.
    assert.deepEqual(
      planner.settle(second, { kind: 'peer-error', errorMessage: 'CHANNEL_PRIVATE', reresolvable: false }).bad,
      [],
    );
    assert.equal(planner.next(), 'wait');
    const settled = planner.settle(first, { kind: 'synced' });
    assert.deepEqual(settled.bad, [], 'a call that started before the failure vouches for nothing');
    const probe = planner.next();
    assert.ok(probe !== 'wait' && probe !== 'done' && probe.kind === 'probe' && probe.write === false);
    assert.deepEqual(
      planner.settle(probe, { kind: 'synced' }).bad.map((entry) => entry.peer.id),
      [2],
    );
    assert.equal(planner.next(), 'done');
  });
});
