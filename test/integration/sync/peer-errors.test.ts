/**
 * One inaccessible peer fails Telegram's whole getPeerDialogs call. With 7 private channels spread
 * over 1,000 peers, bisection isolates them in few calls, every other peer syncs in the same run, the
 * bad ones are marked (and their stored rows kept, flagged forbidden), skipped while in backoff, and
 * synced again once accessible and due.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../../../src/sync/sync-account.ts';
import {
  assertRan,
  peerKeyOfMarked,
  startSyncHarness,
  syncablePeers,
  wantedPeersOfMarked,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
} from '../../helpers/sync-harness.ts';

const BAD = 7;

const counters = (result: SyncAccountResult) => assertRan(result, 'succeeded').counters;

describe('peer errors', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let me: bigint;
  let peers: bigint[];
  let bad: bigint[];

  before(async () => {
    harness = await startSyncHarness({
      label: 'peer_errors',
      world: { seed: 'peer-errors', peers: 3000, accounts: 1 },
    });
    me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    // Upgraded groups resolve to their supergroups (and may collapse into duplicates): leave them out
    // so that 1,000 configured peers are 1,000 synced peers.
    peers = syncablePeers(harness.world, me).slice(0, 1000);
    // One private channel in each of 7 different batches.
    const channels = peers
      .map((marked, index) => ({ marked, index }))
      .filter(({ marked }) => peerKeyOfMarked(marked).peerType === 'channel');
    bad = [];
    for (let batch = 0; batch < 10 && bad.length < BAD; batch += 1) {
      const pick = channels.find(
        ({ index }) => index >= batch * 100 + 10 && index < batch * 100 + 100 && batch % 10 !== 3 && batch % 10 !== 7,
      );
      if (pick !== undefined) bad.push(pick.marked);
    }
    assert.equal(bad.length, BAD);
  });
  after(() => harness?.close());

  const run = () =>
    syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peers),
    });
  const peerDialogsCalls = () => harness.server.callLog.calls('messages.GetPeerDialogs').length;

  it('syncs the other 993 in the same run and isolates the 7 within 10 + 2·7·7 calls', async () => {
    // First a clean run, so the channels have stored rows that must survive.
    counters(await run());
    const stored = await harness.sql.query(`SELECT count(*)::int AS n FROM channels WHERE id = ANY($1::bigint[])`, [
      bad.map((marked) => peerKeyOfMarked(marked).peerId.toString()),
    ]);
    assert.equal(stored.rows[0].n, BAD);
    await harness.sql.query(`UPDATE configured_peers SET last_attempt_at = NULL`);

    for (const marked of bad) harness.world.kickAccount(me, marked);
    const before = peerDialogsCalls();
    const result = counters(await run());
    const calls = peerDialogsCalls() - before;
    assert.ok(calls <= 10 + 2 * BAD * 7, `${calls} getPeerDialogs calls`);
    assert.deepEqual([result.peersSynced, result.peersFailed], [1000 - BAD, BAD]);

    const failing = await harness.sql.query(
      `SELECT peer_id::text, last_error_code, last_error_text, consecutive_failures, next_attempt_at > now() + interval '50 minutes' AS backed_off
       FROM configured_peers WHERE account_id = $1 AND status = 'failing' ORDER BY peer_id`,
      [account.id],
    );
    assert.deepEqual(
      failing.rows.map((row) => row.peer_id).sort(),
      bad.map((marked) => peerKeyOfMarked(marked).peerId.toString()).sort(),
    );
    for (const row of failing.rows) {
      assert.deepEqual([row.last_error_code, row.consecutive_failures, row.backed_off], ['CHANNEL_PRIVATE', 1, true]);
      assert.match(row.last_error_text, /private/);
    }
    const forbidden = await harness.sql.query(
      `SELECT count(*)::int AS n FROM account_channels WHERE account_id = $1 AND is_forbidden AND forbidden_since IS NOT NULL AND channel_id = ANY($2::bigint[])`,
      [account.id, bad.map((marked) => peerKeyOfMarked(marked).peerId.toString())],
    );
    assert.equal(forbidden.rows[0].n, BAD, 'stored channels are kept and marked forbidden');
    const kept = await harness.sql.query(
      `SELECT count(*)::int AS n FROM dialogs WHERE account_id = $1 AND peer_type = 'channel' AND peer_id = ANY($2::bigint[])`,
      [account.id, bad.map((marked) => peerKeyOfMarked(marked).peerId.toString())],
    );
    assert.equal(kept.rows[0].n, BAD, 'their dialogs are kept');
    const errors = await harness.sql.query(
      `SELECT count(*)::int AS n FROM peer_sync_errors WHERE error_code = 'CHANNEL_PRIVATE'`,
    );
    assert.equal(errors.rows[0].n, BAD);
  });

  it('skips the backed-off peers on the next run, and syncs them once accessible and due', async () => {
    const before = harness.server.callLog.calls('messages.GetPeerDialogs');
    const skipped = counters(await run());
    assert.deepEqual([skipped.peersSkipped, skipped.peersFailed], [BAD, 0]);
    const requested = harness.server.callLog
      .calls('messages.GetPeerDialogs')
      .slice(before.length)
      .flatMap((call) => call.peers ?? []);
    const badIds = new Set(bad.map((marked) => peerKeyOfMarked(marked).peerId.toString()));
    assert.ok(requested.length > 0);
    assert.equal(
      requested.some((peer) => peer.type === 'channel' && badIds.has(peer.id.toString())),
      false,
      'no call asked for a backed-off peer',
    );

    for (const marked of bad) harness.world.restoreAccess(marked, me);
    // Their backoff expires (the clock is the database's: move the deadline instead of waiting an hour).
    await harness.sql.query(
      `UPDATE configured_peers SET next_attempt_at = now() - interval '1 second' WHERE status = 'failing'`,
    );
    const recovered = counters(await run());
    assert.equal(recovered.peersFailed, 0);
    const statuses = await harness.sql.query(
      `SELECT status, count(*)::int AS n FROM configured_peers WHERE account_id = $1 GROUP BY 1`,
      [account.id],
    );
    assert.deepEqual(statuses.rows, [{ status: 'synced', n: 1000 }]);
    const forbidden = await harness.sql.query(
      `SELECT count(*)::int AS n FROM account_channels WHERE account_id = $1 AND is_forbidden AND channel_id = ANY($2::bigint[])`,
      [account.id, bad.map((marked) => peerKeyOfMarked(marked).peerId.toString())],
    );
    assert.equal(forbidden.rows[0].n, 0, 'accessible again: no longer marked forbidden');
  });
});
