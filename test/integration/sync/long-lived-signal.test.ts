/**
 * The worker passes its process-wide stop signal to every run. A run must leave nothing behind on it:
 * no abort listener, and no combined signal recorded in it (Node's AbortSignal.any keeps one entry per
 * call in each source for as long as the source lives, so combining it anew each run grows forever).
 */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  wantedPeersOfMarked,
} from '../../helpers/sync-harness.ts';

/** Combined signals Node recorded in `signal` (AbortSignal.any's dependants); 0 when it has none. */
function dependantsOf(signal: AbortSignal): number {
  const key = Object.getOwnPropertySymbols(signal).find((symbol) => symbol.description === 'kDependantSignals');
  return key === undefined ? 0 : ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[key]?.size ?? 0);
}

describe('runs under a long-lived stop signal', () => {
  let harness: SyncHarness;
  before(async () => {
    harness = await startSyncHarness({
      label: 'long_lived_signal',
      world: { seed: 'long-lived-signal', peers: 300, accounts: 1 },
    });
  });
  after(() => harness?.close());

  it('leave no listener and no combined signal on it, run after run', async () => {
    const user = harness.world.userAccounts[0]!.userId;
    const account = await harness.account(user, 'long-lived-signal');
    const peers = wantedPeersOfMarked(harness.world.peerDialogPeers(user).slice(0, 50));
    const stop = new AbortController();
    for (let run = 0; run < 3; run += 1) {
      assertRan(
        await syncAccount(harness.deps, {
          account,
          settings: TEST_SYNC_SETTINGS,
          trigger: 'test',
          signal: stop.signal,
          configuredPeers: peers,
        }),
        'succeeded',
      );
      assert.equal(getEventListeners(stop.signal, 'abort').length, 0, `abort listeners left after run ${run + 1}`);
      assert.equal(dependantsOf(stop.signal), 0, `combined signals recorded in the stop signal after run ${run + 1}`);
    }
  });
});
