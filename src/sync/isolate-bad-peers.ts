/**
 * Telegram fails a whole getPeerDialogs call when one requested peer is inaccessible, without saying
 * which. This finds the bad peers by bisection: split the failing batch, retry both halves, recurse
 * into the halves that fail. For k bad peers in a batch of n it costs about 2·k·log2(n) calls, and
 * every peer in a half that succeeds is synced on the way (the caller's `attempt` writes it).
 */

/** What one attempt on a group of peers came to. Other failures are thrown by `attempt` and end the isolation. */
export type AttemptOutcome = { readonly kind: 'synced' } | { readonly kind: 'peer-error'; readonly errorMessage: string };

export interface BadPeer<Peer> {
  readonly peer: Peer;
  readonly errorMessage: string;
}

export interface IsolationResult<Peer> {
  readonly bad: readonly BadPeer<Peer>[];
  /** Calls made by the isolation (not counting the failed call that started it). */
  readonly calls: number;
  /**
   * Every peer failed alike: not a peer problem (one bad peer per batch does not look like this), so
   * the caller should treat it as an account-level error instead of backing off every peer.
   */
  readonly everyPeerFailed: boolean;
}

export async function isolateBadPeers<Peer>(
  failedBatch: readonly Peer[],
  firstError: string,
  attempt: (peers: readonly Peer[]) => Promise<AttemptOutcome>,
): Promise<IsolationResult<Peer>> {
  const bad: BadPeer<Peer>[] = [];
  let calls = 0;
  let synced = 0;

  const isolate = async (peers: readonly Peer[], errorMessage: string): Promise<void> => {
    if (peers.length === 1) {
      bad.push({ peer: peers[0] as Peer, errorMessage });
      return;
    }
    const middle = Math.ceil(peers.length / 2);
    for (const half of [peers.slice(0, middle), peers.slice(middle)]) {
      calls += 1;
      const outcome = await attempt(half);
      if (outcome.kind === 'synced') synced += half.length;
      else await isolate(half, outcome.errorMessage);
    }
  };

  await isolate(failedBatch, firstError);
  const everyPeerFailed = synced === 0 && failedBatch.length > 1 && new Set(bad.map((entry) => entry.errorMessage)).size === 1;
  return { bad, calls, everyPeerFailed };
}
