/**
 * Which peers the next getPeerDialogs call carries, so that bad peers are found in few calls and
 * every call that can be full is full. Pure: no I/O, the caller makes the calls and reports back.
 *
 * Telegram fails a whole call when one requested peer is inaccessible, without saying which. A
 * failed call's peers are a group known to hold a bad peer, isolated by bisection — but only one
 * half is ever asked for: when the first half fails, the second is no longer suspect and goes back
 * into the queue to travel in a full batch with the peers still waiting (a separate small call for
 * it would be wasted); when the first half succeeds, the bad peer is in the second half, which is
 * split without being asked for. One bad peer in a full batch so costs the failed batch plus one
 * call per halving (⌈log₂ 100⌉ = 7), and the peers synced on the way need no batch of their own.
 *
 * A peer that failed in an earlier run (its backoff over) is asked for on its own before the full
 * batches, so a peer that is still bad costs one call, not a new bisection.
 *
 * Peers failing alike prove nothing about the account (two channels the account was kicked from both
 * answer CHANNEL_PRIVATE). A peer is called bad only once a call that started after the failure that
 * implicated it succeeded — the account works — which the calls that follow almost always give for
 * free. When they do not (nothing has worked in this run yet, nothing is left to send, or a second
 * bisection ended without a success since the first), one probe decides: a call with a peer synced in this run, else with a peer that synced in an earlier run,
 * else a call that carries no peer. A probe that fails as well means the account is the problem:
 * nobody is backed off.
 */

/** What one call came to. Other failures (flood waits above the ceiling, account errors…) are thrown by the caller. */
export type AttemptOutcome =
  | { readonly kind: 'synced' }
  | { readonly kind: 'peer-error'; readonly errorMessage: string; readonly reresolvable: boolean };

export interface BadPeer<Peer> {
  readonly peer: Peer;
  readonly errorMessage: string;
  /** The error may come from a stale access hash: resolving the peer again is worth one try. */
  readonly reresolvable: boolean;
}

/**
 * The next call to make:
 * - `batch`: peers never seen failing in this run, as many as fit;
 * - `suspect`: one peer that failed in an earlier run;
 * - `bisect`: the first half of a group known to hold a bad peer;
 * - `probe`: is the account working? `peers` is one peer known to work, or empty (a call carrying no
 *   peer). `write` says whether a successful reply is the peer's sync (false for a peer already synced
 *   in this run).
 */
export type PlannedCall<Peer> =
  | { readonly kind: 'batch' | 'suspect' | 'bisect'; readonly seq: number; readonly peers: readonly Peer[] }
  | { readonly kind: 'probe'; readonly seq: number; readonly peers: readonly Peer[]; readonly write: boolean };

/** What a settled call means beyond its own peers. */
export interface Settled<Peer> {
  /** Peers now known to be bad: back them off (or resolve them again). */
  readonly bad: readonly BadPeer<Peer>[];
  /** Set when a probe failed too: the account is the problem, not its peers. */
  readonly accountWide: string | null;
}

export interface PlannerOptions<Peer> {
  readonly batchSize: number;
  /** It failed in an earlier run: asked for on its own first. */
  readonly failedBefore: (peer: Peer) => boolean;
  /** It synced in an earlier run: good for a probe. */
  readonly knownToWork: (peer: Peer) => boolean;
}

interface SuspectGroup<Peer> {
  readonly peers: readonly Peer[];
  /** The call that failed with these peers among its own, and its error. */
  readonly failedSeq: number;
  readonly errorMessage: string;
  readonly reresolvable: boolean;
}

interface Unconfirmed<Peer> extends BadPeer<Peer> {
  readonly failedSeq: number;
  /** Asked for alone because it failed in an earlier run. */
  readonly failedBefore: boolean;
}

export class PeerCallPlanner<Peer> {
  /** Peers not suspected of anything, in order; peers cleared of suspicion go back to the front. */
  private fresh: Peer[];
  private readonly suspects: Peer[];
  /** Groups known to hold a bad peer, waiting for their next halving. */
  private readonly groups: SuspectGroup<Peer>[] = [];
  private readonly unconfirmed: Unconfirmed<Peer>[] = [];
  private readonly inFlight = new Map<number, { call: PlannedCall<Peer>; group: SuspectGroup<Peer> | null }>();
  private nextSeq = 0;
  private lastSuccessSeq = -1;
  private probeWanted = false;
  private probing = false;
  /** The last peer whose call succeeded in this run: the best probe. */
  private syncedInRun: Peer | null = null;

  constructor(
    peers: readonly Peer[],
    private readonly options: PlannerOptions<Peer>,
  ) {
    if (options.batchSize < 1) throw new Error('batchSize must be at least 1');
    this.suspects = peers.filter((peer) => options.failedBefore(peer));
    this.fresh = peers.filter((peer) => !options.failedBefore(peer));
  }

  /** How many calls are out (handed out by next(), not settled yet). */
  get callsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * The next call, `'wait'` when nothing can be sent before a call in flight settles, or `'done'`
   * when every peer was synced or found bad.
   */
  next(): PlannedCall<Peer> | 'wait' | 'done' {
    if (this.probing) return 'wait';
    const wantsProbe = this.unconfirmed.length > 0 && (this.probeWanted || this.nothingLeftToSend());
    if (wantsProbe) {
      if (this.inFlight.size > 0) return 'wait';
      return this.probe();
    }
    const group = this.groups.shift();
    if (group !== undefined) {
      const half = group.peers.slice(0, Math.ceil(group.peers.length / 2));
      return this.handOut({ kind: 'bisect', seq: this.nextSeq, peers: half }, group);
    }
    const suspect = this.suspects.shift();
    if (suspect !== undefined) return this.handOut({ kind: 'suspect', seq: this.nextSeq, peers: [suspect] }, null);
    if (this.fresh.length > 0) {
      const batch = this.fresh.slice(0, this.options.batchSize);
      this.fresh = this.fresh.slice(batch.length);
      return this.handOut({ kind: 'batch', seq: this.nextSeq, peers: batch }, null);
    }
    return this.inFlight.size > 0 ? 'wait' : 'done';
  }

  /** Reports how a call handed out by next() ended. */
  settle(call: PlannedCall<Peer>, outcome: AttemptOutcome): Settled<Peer> {
    const entry = this.inFlight.get(call.seq);
    if (entry === undefined) throw new Error(`call ${call.seq} was not handed out or was settled already`);
    this.inFlight.delete(call.seq);
    if (call.kind === 'probe') this.probing = false;

    if (outcome.kind === 'synced') {
      this.lastSuccessSeq = Math.max(this.lastSuccessSeq, call.seq);
      if (call.peers.length > 0) this.syncedInRun = call.peers[0] as Peer;
      if (entry.group !== null) {
        // The first half is good: the bad peer is in the second half, known without asking.
        const rest = entry.group.peers.slice(call.peers.length);
        this.suspectGroup({ ...entry.group, peers: rest });
      }
      if (call.kind === 'probe') this.probeWanted = false;
      return { bad: this.confirm(), accountWide: null };
    }

    if (call.kind === 'probe') return { bad: [], accountWide: outcome.errorMessage };
    const isolatedBefore = this.unconfirmed.some((entry) => !entry.failedBefore);
    if (entry.group !== null) {
      // The first half holds a bad peer; the second half is cleared of suspicion and travels with the others.
      const rest = entry.group.peers.slice(call.peers.length);
      this.fresh = [...rest, ...this.fresh];
    }
    const isolated = this.suspectGroup(
      {
        peers: call.peers,
        failedSeq: call.seq,
        errorMessage: outcome.errorMessage,
        reresolvable: outcome.reresolvable,
      },
      call.kind === 'suspect',
    );
    if (isolated && call.kind !== 'suspect' && (this.lastSuccessSeq < 0 || isolatedBefore)) {
      // A bisection found a peer before anything worked in this run (ask now, while the queue still
      // holds peers known to work), or found a second one with no success since the first: before
      // bisecting further, make sure it is not the account. Peers that failed before are expected
      // to fail again: the batches after them vouch for the account.
      this.probeWanted = true;
    }
    return { bad: this.confirm(), accountWide: null };
  }

  private handOut(call: PlannedCall<Peer>, group: SuspectGroup<Peer> | null): PlannedCall<Peer> {
    this.nextSeq += 1;
    this.inFlight.set(call.seq, { call, group });
    return call;
  }

  private probe(): PlannedCall<Peer> {
    this.probing = true;
    if (this.syncedInRun !== null)
      return this.handOut({ kind: 'probe', seq: this.nextSeq, peers: [this.syncedInRun], write: false }, null);
    const index = this.fresh.findIndex((peer) => this.options.knownToWork(peer));
    if (index >= 0) {
      const [peer] = this.fresh.splice(index, 1);
      return this.handOut({ kind: 'probe', seq: this.nextSeq, peers: [peer as Peer], write: true }, null);
    }
    return this.handOut({ kind: 'probe', seq: this.nextSeq, peers: [], write: false }, null);
  }

  private nothingLeftToSend(): boolean {
    return (
      this.groups.length === 0 && this.suspects.length === 0 && this.fresh.length === 0 && this.inFlight.size === 0
    );
  }

  /** Queues a group for bisection; a single peer is isolated instead (returns true then). */
  private suspectGroup(group: SuspectGroup<Peer>, failedBefore = false): boolean {
    if (group.peers.length === 0) return false;
    if (group.peers.length > 1) {
      this.groups.push(group);
      return false;
    }
    this.unconfirmed.push({
      peer: group.peers[0] as Peer,
      errorMessage: group.errorMessage,
      reresolvable: group.reresolvable,
      failedSeq: group.failedSeq,
      failedBefore,
    });
    return true;
  }

  /** The bad peers a later success vouches for: the account worked after they failed. */
  private confirm(): BadPeer<Peer>[] {
    const confirmed: BadPeer<Peer>[] = [];
    for (let index = this.unconfirmed.length - 1; index >= 0; index -= 1) {
      const entry = this.unconfirmed[index] as Unconfirmed<Peer>;
      if (entry.failedSeq >= this.lastSuccessSeq) continue;
      this.unconfirmed.splice(index, 1);
      confirmed.unshift({ peer: entry.peer, errorMessage: entry.errorMessage, reresolvable: entry.reresolvable });
    }
    if (this.unconfirmed.length === 0) this.probeWanted = false;
    return confirmed;
  }
}
