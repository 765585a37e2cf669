/**
 * Issue 14 (points 1 and 4): a first sync resolves from what the account already has before it asks.
 * The data center limits contacts.resolveUsername per account as Telegram does (its default budget,
 * escalating FLOOD_WAITs beyond it), and a first sync of 2,000 usernames of which 90 % are in the
 * account's dialogs must never reach that budget: the dialog list carries those peers with their
 * access hashes, so only the other 10 % cost a resolveUsername call each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { DEFAULT_RESOLVE_FLOOD } from '../../telegram-server/world/model.ts';
import { startSyncHarness, TEST_SYNC_SETTINGS, type SyncHarness } from '../../helpers/sync-harness.ts';
import { assertRan } from '../resilience/support.ts';

const IN_DIALOGS = 1_800;
const ELSEWHERE = 200;

describe('resolving from the account’s own dialogs', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let inDialogs: string[];
  let elsewhere: string[];

  before(async () => {
    // The data center's default resolveUsername budget: no test override.
    harness = await startSyncHarness({ label: 'resolve_from_dialogs', world: { seed: 'resolve-from-dialogs', peers: 6_000, accounts: 1 } });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const dialogPeers = new Set(harness.world.peerDialogPeers(me));
    const firstUsername = (marked: bigint) => harness.world.usernamesOf(marked).find((entry) => entry.active)?.username;
    const named = harness.world.allPeers
      .filter((peer) => peer.kind !== 'chat' && !(peer.kind === 'user' && peer.accountIndex !== null))
      .map((peer) => ({ marked: harness.world.markedIdOf(peer), username: firstUsername(harness.world.markedIdOf(peer)) }))
      .filter((peer): peer is { marked: bigint; username: string } => peer.username !== undefined);
    inDialogs = named.filter((peer) => dialogPeers.has(peer.marked)).map((peer) => peer.username).slice(0, IN_DIALOGS);
    // Outside the dialogs and visible to the account (getPeerDialogs omits them without an error).
    elsewhere = named.filter((peer) => !dialogPeers.has(peer.marked) && harness.world.peerDialogOutcome(me, peer.marked) === 'omitted').map((peer) => peer.username).slice(0, ELSEWHERE);
    assert.equal(inDialogs.length, IN_DIALOGS, 'the world has enough named peers in the dialogs');
    assert.equal(elsewhere.length, ELSEWHERE, 'the world has enough named peers outside the dialogs');
    assert.ok(ELSEWHERE <= DEFAULT_RESOLVE_FLOOD.freeCalls, 'the peers outside the dialogs fit the data center’s budget');
  });
  after(() => harness?.close());

  async function assertAllResolved(): Promise<void> {
    const { rows } = await harness.sql.query(`SELECT input, status FROM configured_peers WHERE account_id = $1 AND (peer_id IS NULL OR status NOT IN ('synced', 'no_dialog'))`, [account.id]);
    assert.deepEqual(rows, [], 'every configured username was resolved and synced');
  }

  it('a first sync of 2,000 usernames, 90 % of them in the dialogs, calls resolveUsername only for the rest and never reaches the budget', async () => {
    const configuredPeers = [...inDialogs, ...elsewhere].map((name) => ({ input: `@${name}`, normalizedInput: `username:${name.toLowerCase()}` }));
    // A short ceiling: a flood wait would defer resolveUsername at once instead of being slept through.
    const settings = { ...TEST_SYNC_SETTINGS, floodWaitCeilingSeconds: 5, resolveUsername: { budgetPerRun: 1_000, intervalMs: 0 } };
    const result = assertRan(await syncAccount(harness.deps, { account, settings, trigger: 'test', configuredPeers }), 'succeeded');
    const resolveCalls = harness.server.callLog.calls('contacts.ResolveUsername');
    const floodWaits = resolveCalls.filter((call) => call.outcome.kind === 'error' && call.outcome.message.startsWith('FLOOD_WAIT_'));
    assert.equal(floodWaits.length, 0, `the data center answered ${floodWaits.length} FLOOD_WAIT(s) to resolveUsername`);
    // Only names outside the dialogs were asked for (a few of them the dialog pages brought anyway, e.g. as senders).
    const asked = resolveCalls.map((call) => (call.request as { username: string }).username.toLowerCase());
    const dialogNames = new Set(inDialogs.map((name) => name.toLowerCase()));
    assert.deepEqual(asked.filter((name) => dialogNames.has(name)), [], 'no username in the dialogs was asked for');
    assert.ok(asked.length <= ELSEWHERE && asked.length >= ELSEWHERE * 0.9, `${asked.length} resolveUsername calls for ${ELSEWHERE} names outside the dialogs`);
    assert.equal(result.counters.peersResolved, IN_DIALOGS + ELSEWHERE);
    const { rows } = await harness.sql.query(`SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND peer_id IS NULL`, [account.id]);
    assert.equal(rows[0].n, 0, 'every configured username was resolved');
    await assertAllResolved();
  });

  it('a later run with only stored peers left to resolve scans nothing and asks nothing', async () => {
    // The same usernames configured again under other spellings: all stored now.
    await harness.sql.query(`UPDATE configured_peers SET peer_type = NULL, peer_id = NULL, resolved_at = NULL, status = 'pending' WHERE account_id = $1`, [account.id]);
    const before = { resolve: harness.server.callLog.calls('contacts.ResolveUsername').length, dialogs: harness.server.callLog.calls('messages.GetDialogs').length };
    const settings = { ...TEST_SYNC_SETTINGS, floodWaitCeilingSeconds: 5, resolveUsername: { budgetPerRun: 1_000, intervalMs: 0 } };
    const result = assertRan(await syncAccount(harness.deps, { account, settings, trigger: 'test' }), 'succeeded');
    await assertAllResolved();
    assert.equal(harness.server.callLog.calls('contacts.ResolveUsername').length - before.resolve, 0, 'no resolveUsername call');
    assert.equal(harness.server.callLog.calls('messages.GetDialogs').length - before.dialogs, 0, 'no dialog scan');
  });
});
