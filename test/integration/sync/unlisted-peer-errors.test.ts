/**
 * Telegram adds error texts every few layers. A 4xx error the job does not list, on a call that
 * carries peers, is the peers' problem until proven otherwise: the batch is bisected, the bad peer
 * backed off with Telegram's code and text recorded, the other peers synced in the same run. The
 * operator sees the code in `configured_peers` (what `peers list` and `status` print), in the
 * dashboards' views and in the metric of peers failing with unlisted errors.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { countPeersWithUnlistedErrors } from '../../../src/store/peers/count-unlisted-errors.ts';
import { LISTED_ERROR_CODES } from '../../../src/telegram/error-policy.ts';
import { prismaExecutor } from '../../../src/store/prisma-executor.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  peerKeyOfMarked,
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
} from '../../helpers/sync-harness.ts';

const PEERS = 250;
const UNLISTED = 'CHANNEL_MONOFORUM_UNSUPPORTED';

describe('errors the job does not list', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let peers: bigint[];
  let bad: bigint;

  before(async () => {
    harness = await startSyncHarness({
      label: 'unlisted_errors',
      world: { seed: 'unlisted-errors', peers: 1200, accounts: 1 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    peers = syncablePeers(harness.world, me).slice(0, PEERS);
    assert.equal(peers.length, PEERS);
    // In the first batch: before the fix nothing else was ever requested.
    bad = peers.slice(0, 100).find((marked) => peerKeyOfMarked(marked).peerType === 'channel')!;
    assert.ok(bad !== undefined);
  });
  after(() => harness?.close());

  const run = () =>
    syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peers),
    });

  it(`isolates a channel answering 400 ${UNLISTED} and syncs the other ${PEERS - 1}`, async () => {
    const channelId = peerKeyOfMarked(bad).peerId;
    const fault = harness.server.faults.peerError({ channelId }, 400, UNLISTED, { method: 'messages.getPeerDialogs' });
    const result = assertRan(await run(), 'succeeded');
    fault.remove();
    assert.deepEqual(
      [result.counters.peersSynced + result.counters.peersNoDialog, result.counters.peersFailed],
      [PEERS - 1, 1],
    );
    assert.ok(fault.fired <= 1 + 7, `${fault.fired} calls carried the bad channel: bisection, not hammering`);

    const row = (
      await harness.sql.query(
        `SELECT status, last_error_code, last_error_text, consecutive_failures, next_attempt_at > now() AS backed_off
         FROM configured_peers WHERE account_id = $1 AND peer_type = 'channel' AND peer_id = $2`,
        [account.id, channelId.toString()],
      )
    ).rows[0];
    assert.deepEqual(
      [row.status, row.last_error_code, row.consecutive_failures, row.backed_off],
      ['failing', UNLISTED, 1, true],
    );
    assert.match(
      row.last_error_text,
      /400 CHANNEL_MONOFORUM_UNSUPPORTED.*does not list.*core\.telegram\.org\/api\/errors/,
    );
    assert.equal(
      (await harness.sql.query(`SELECT status FROM accounts WHERE id = $1`, [account.id])).rows[0].status,
      'active',
    );

    // The dashboards see it: the peer in backoff with its code, and the error in the history.
    const dashboard = await harness.sql.query(
      `SELECT last_error_code, is_in_backoff FROM dashboard_peers WHERE account_label = 'main' AND last_error_code IS NOT NULL`,
    );
    assert.deepEqual(dashboard.rows, [{ last_error_code: UNLISTED, is_in_backoff: true }]);
    const history = await harness.sql.query(
      `SELECT error_code, error_text FROM dashboard_peer_errors WHERE account_label = 'main'`,
    );
    assert.deepEqual(
      history.rows.map((entry) => entry.error_code),
      [UNLISTED],
    );

    // The metric's source: peers failing with an error the job does not list, by account and code.
    assert.deepEqual(await countPeersWithUnlistedErrors(prismaExecutor(harness.prisma), LISTED_ERROR_CODES), [
      { accountLabel: 'main', errorCode: UNLISTED, peers: 1 },
    ]);
  });

  it('skips the backed-off channel on the next run, which succeeds', async () => {
    const result = assertRan(await run(), 'succeeded');
    assert.deepEqual([result.counters.peersSkipped, result.counters.peersFailed], [1, 0]);
  });
});
