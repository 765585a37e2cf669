/**
 * Account-level errors stop that account only: a revoked or logged-out session marks it needs_login
 * with the login hint while another account's run completes; a frozen account (FROZEN_METHOD_INVALID,
 * a 420 without seconds) is marked frozen and none of its peers is backed off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  syncablePeers,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  wantedPeersOfMarked,
} from '../../helpers/sync-harness.ts';

const PEERS = 400;

describe('account errors', () => {
  let harness: SyncHarness;
  const users: bigint[] = [];
  const peersOf = new Map<bigint, bigint[]>();

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_account',
      world: { seed: 'resilience-account', peers: 2000, accounts: 6 },
    });
    for (const account of harness.world.userAccounts.slice(0, 6)) {
      users.push(account.userId);
      peersOf.set(account.userId, syncablePeers(harness.world, account.userId).slice(0, PEERS));
    }
  });
  after(() => harness?.close());

  const sync = (account: AccountRecord) =>
    syncAccount(harness.deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peersOf.get(account.telegramUserId!)!),
    });
  const accountRow = async (id: number) =>
    (await harness.sql.query('SELECT status, status_reason FROM accounts WHERE id = $1', [id])).rows[0];
  const backedOff = async (id: number) =>
    (
      await harness.sql.query(
        `SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND (next_attempt_at IS NOT NULL OR consecutive_failures > 0 OR status = 'failing')`,
        [id],
      )
    ).rows[0].n;
  const peerErrors = async (id: number) =>
    (await harness.sql.query(`SELECT count(*)::int AS n FROM peer_sync_errors WHERE account_id = $1`, [id])).rows[0].n;

  for (const [index, error] of [
    [0, 'SESSION_REVOKED'],
    [1, 'AUTH_KEY_UNREGISTERED'],
  ] as const) {
    it(`stops an account whose session is gone (${error}) with the login hint, while another account completes`, async () => {
      const revokedUser = users[index * 2]!;
      const healthyUser = users[index * 2 + 1]!;
      const revoked = await harness.account(revokedUser, `revoked-${index}`);
      const healthy = await harness.account(healthyUser, `healthy-${index}`);
      // Mid-run for one, at the very first call for the other; the key stays dead either way.
      const fault = harness.server.faults.rpcError(401, error, {
        account: revokedUser,
        revokeKey: true,
        ...(error === 'SESSION_REVOKED' ? { method: 'messages.getPeerDialogs', nthCall: 2 } : {}),
      });
      const [stopped, completed] = await Promise.all([sync(revoked), sync(healthy)]);
      fault.remove();

      const result = assertRan(stopped, 'failed');
      assert.equal(result.errorKind, 'account_needs_login');
      assert.match(result.errorText ?? '', new RegExp(`^${error}: .*log in again with \`tg-dialog-sync login\``));
      const row = await accountRow(revoked.id);
      assert.equal(row.status, 'needs_login');
      assert.match(row.status_reason, new RegExp(`^${error}: .*log in again`));
      assert.equal(await backedOff(revoked.id), 0, 'no peer is blamed for the session');
      const calls = harness.server.callLog.entries(
        (call) => call.accountUserId === revokedUser && call.outcome.kind === 'error',
      );
      assert.equal(calls.length, 1, 'one rejected call, then no hammering');

      assert.equal(assertRan(completed, 'succeeded').counters.peersSynced, PEERS);
      assert.equal((await accountRow(healthy.id)).status, 'active');

      // The stopped account is not tried again until someone logs in.
      const callsBefore = harness.server.callLog.entries().length;
      const again = await sync({ ...revoked, status: 'needs_login', statusReason: row.status_reason });
      assert.equal(again.status, 'skipped');
      if (again.status === 'skipped') assert.match(again.reason, /needs_login: .*log in again/);
      assert.equal(harness.server.callLog.entries().length, callsBefore);
    });
  }

  it('marks a frozen account frozen (FROZEN_METHOD_INVALID, 420 without seconds) and backs off none of its peers', async () => {
    const frozenUser = users[4]!;
    // A fresh label: the same world account, a new job account.
    const frozen = await harness.account(frozenUser, 'frozen');
    const before = harness.server.callLog.calls('messages.GetPeerDialogs').length;
    const fault = harness.server.faults.frozenMethodInvalid({ account: frozenUser, method: 'messages.getPeerDialogs' });
    const result = assertRan(await sync(frozen), 'failed');
    fault.remove();
    assert.equal(fault.fired, 1, 'stopped at the first frozen answer: no retry, no bisection');
    assert.equal(harness.server.callLog.calls('messages.GetPeerDialogs').length - before, 1);
    assert.equal(result.errorKind, 'account_frozen');
    assert.equal(result.counters.floodWaits, 0, 'a 420 without seconds is not a flood wait');
    const row = await accountRow(frozen.id);
    assert.equal(row.status, 'frozen');
    assert.match(row.status_reason, /^FROZEN_METHOD_INVALID: Telegram froze the account/);
    assert.equal(await backedOff(frozen.id), 0);
    assert.equal(await peerErrors(frozen.id), 0);
    const waits = await harness.sql.query('SELECT count(*)::int AS n FROM account_method_waits WHERE account_id = $1', [
      frozen.id,
    ]);
    assert.equal(waits.rows[0].n, 0);
  });

  it('treats FROZEN_PARTICIPANT_MISSING in the middle of a bisection as the account, not the peers', async () => {
    const frozenUser = users[5]!;
    const frozen = await harness.account(frozenUser, 'frozen-participant');
    // First batch answers; then the account is frozen.
    const fault = harness.server.faults.rpcError(400, 'FROZEN_PARTICIPANT_MISSING', {
      account: frozenUser,
      method: 'messages.getPeerDialogs',
      nthCall: 2,
    });
    const result = assertRan(await sync(frozen), 'failed');
    fault.remove();
    assert.equal(result.errorKind, 'account_frozen');
    assert.equal(result.counters.peersSynced, 100);
    assert.equal((await accountRow(frozen.id)).status, 'frozen');
    assert.equal(await backedOff(frozen.id), 0);
    assert.equal(await peerErrors(frozen.id), 0);
  });
});
