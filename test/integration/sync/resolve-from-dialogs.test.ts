/**
 * Issue 14 (points 1 and 4): a first sync resolves from what the account already has before it asks.
 * The data center limits contacts.resolveUsername per account as Telegram does (its default budget,
 * escalating FLOOD_WAITs beyond it), and a first sync of 2,000 usernames of which 90 % are in the
 * account's dialogs must never reach that budget: the dialog list carries those peers with their
 * access hashes, so only the other 10 % cost a resolveUsername call each.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_RESOLVE_FLOOD } from 'telegram-test-server/world';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { startSyncHarness, TEST_SYNC_SETTINGS, type SyncHarness } from '../../helpers/sync-harness.ts';
import { assertRan } from '../../helpers/sync-harness.ts';

const IN_DIALOGS = 1_800;
const ELSEWHERE = 200;

describe('resolving from the account’s own dialogs', () => {
  let harness: SyncHarness;
  let account: AccountRecord;
  let inDialogs: string[];
  let elsewhere: string[];

  before(async () => {
    // The data center's default resolveUsername budget: no test override.
    harness = await startSyncHarness({
      label: 'resolve_from_dialogs',
      world: { seed: 'resolve-from-dialogs', peers: 6_000, accounts: 2 },
    });
    const me = harness.world.userAccounts[0]!.userId;
    account = await harness.account(me, 'main');
    const dialogPeers = new Set(harness.world.peerDialogPeers(me));
    const firstUsername = (marked: bigint) => harness.world.usernamesOf(marked).find((entry) => entry.active)?.username;
    const named = harness.world.allPeers
      .filter((peer) => peer.kind !== 'chat' && !(peer.kind === 'user' && peer.accountIndex !== null))
      .map((peer) => ({
        marked: harness.world.markedIdOf(peer),
        username: firstUsername(harness.world.markedIdOf(peer)),
      }))
      .filter((peer): peer is { marked: bigint; username: string } => peer.username !== undefined);
    inDialogs = named
      .filter((peer) => dialogPeers.has(peer.marked))
      .map((peer) => peer.username)
      .slice(0, IN_DIALOGS);
    // Outside the dialogs and visible to the account (getPeerDialogs omits them without an error).
    elsewhere = named
      .filter((peer) => !dialogPeers.has(peer.marked) && harness.world.peerDialogOutcome(me, peer.marked) === 'omitted')
      .map((peer) => peer.username)
      .slice(0, ELSEWHERE);
    assert.equal(inDialogs.length, IN_DIALOGS, 'the world has enough named peers in the dialogs');
    assert.equal(elsewhere.length, ELSEWHERE, 'the world has enough named peers outside the dialogs');
    assert.ok(
      ELSEWHERE <= DEFAULT_RESOLVE_FLOOD.freeCalls,
      'the peers outside the dialogs fit the data center’s budget',
    );
  });
  after(() => harness?.close());

  async function assertAllResolved(): Promise<void> {
    const { rows } = await harness.sql.query(
      `SELECT input, status FROM configured_peers WHERE account_id = $1 AND (peer_id IS NULL OR status NOT IN ('synced', 'no_dialog'))`,
      [account.id],
    );
    assert.deepEqual(rows, [], 'every configured username was resolved and synced');
  }

  it('a first sync of 2,000 usernames, 90 % of them in the dialogs, calls resolveUsername only for the rest and never reaches the budget', async () => {
    const configuredPeers = [...inDialogs, ...elsewhere].map((name) => ({
      input: `@${name}`,
      normalizedInput: `username:${name.toLowerCase()}`,
    }));
    // A short ceiling: a flood wait would defer resolveUsername at once instead of being slept through.
    const settings = {
      ...TEST_SYNC_SETTINGS,
      floodWaitCeilingSeconds: 5,
      resolveUsername: { budgetPerRun: 1_000, intervalMs: 0 },
    };
    const result = assertRan(
      await syncAccount(harness.deps, { account, settings, trigger: 'test', configuredPeers }),
      'succeeded',
    );
    const resolveCalls = harness.server.callLog.calls('contacts.ResolveUsername');
    const floodWaits = resolveCalls.filter(
      (call) => call.outcome.kind === 'error' && call.outcome.message.startsWith('FLOOD_WAIT_'),
    );
    assert.equal(
      floodWaits.length,
      0,
      `the data center answered ${floodWaits.length} FLOOD_WAIT(s) to resolveUsername`,
    );
    // Only names outside the dialogs were asked for (a few of them the dialog pages brought anyway, e.g. as senders).
    const asked = resolveCalls.map((call) => (call.request as { username: string }).username.toLowerCase());
    const dialogNames = new Set(inDialogs.map((name) => name.toLowerCase()));
    assert.deepEqual(
      asked.filter((name) => dialogNames.has(name)),
      [],
      'no username in the dialogs was asked for',
    );
    assert.ok(
      asked.length <= ELSEWHERE && asked.length >= ELSEWHERE * 0.9,
      `${asked.length} resolveUsername calls for ${ELSEWHERE} names outside the dialogs`,
    );
    assert.equal(result.counters.peersResolved, IN_DIALOGS + ELSEWHERE);
    const { rows } = await harness.sql.query(
      `SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND peer_id IS NULL`,
      [account.id],
    );
    assert.equal(rows[0].n, 0, 'every configured username was resolved');
    await assertAllResolved();
  });

  it('a later run with only stored peers left to resolve scans nothing and asks nothing', async () => {
    // The same usernames configured again under other spellings: all stored now.
    await harness.sql.query(
      `UPDATE configured_peers SET peer_type = NULL, peer_id = NULL, resolved_at = NULL, status = 'pending' WHERE account_id = $1`,
      [account.id],
    );
    const before = {
      resolve: harness.server.callLog.calls('contacts.ResolveUsername').length,
      dialogs: harness.server.callLog.calls('messages.GetDialogs').length,
    };
    const settings = {
      ...TEST_SYNC_SETTINGS,
      floodWaitCeilingSeconds: 5,
      resolveUsername: { budgetPerRun: 1_000, intervalMs: 0 },
    };
    assertRan(await syncAccount(harness.deps, { account, settings, trigger: 'test' }), 'succeeded');
    await assertAllResolved();
    assert.equal(
      harness.server.callLog.calls('contacts.ResolveUsername').length - before.resolve,
      0,
      'no resolveUsername call',
    );
    assert.equal(harness.server.callLog.calls('messages.GetDialogs').length - before.dialogs, 0, 'no dialog scan');
  });

  it('resolves at most SYNC_RESOLVE_USERNAME_BUDGET names per run, paced; the rest wait as pending and the next runs resolve them', async () => {
    const other = harness.world.userAccounts[1]!.userId;
    const second = await harness.account(other, 'second');
    const dialogPeers = new Set(harness.world.peerDialogPeers(other));
    const named = harness.world.allPeers
      .filter((peer) => peer.kind !== 'chat' && !(peer.kind === 'user' && peer.accountIndex !== null))
      .map((peer) => ({
        marked: harness.world.markedIdOf(peer),
        username: harness.world.usernamesOf(harness.world.markedIdOf(peer)).find((entry) => entry.active)?.username,
      }))
      .filter((peer): peer is { marked: bigint; username: string } => peer.username !== undefined);
    const known = named.filter((peer) => dialogPeers.has(peer.marked)).slice(0, 10);
    const unknown = named
      .filter(
        (peer) => !dialogPeers.has(peer.marked) && harness.world.peerDialogOutcome(other, peer.marked) === 'omitted',
      )
      .slice(0, 25);
    const configuredPeers = [...known, ...unknown].map(({ username }) => ({
      input: `@${username}`,
      normalizedInput: `username:${username.toLowerCase()}`,
    }));
    const sleeps: number[] = [];
    const deps = harness.dependencies({ sleep: async (ms) => void sleeps.push(ms) });
    const settings = { ...TEST_SYNC_SETTINGS, resolveUsername: { budgetPerRun: 10, intervalMs: 1_000 } };
    const calls = (method: string) =>
      harness.server.callLog.calls(method).filter((call) => call.accountUserId === other).length;
    const waiting = async () =>
      (
        await harness.sql.query(
          `SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND status = 'pending' AND peer_id IS NULL AND last_error_code = 'RESOLVE_BUDGET_SPENT'`,
          [second.id],
        )
      ).rows[0].n;

    const first = assertRan(
      await syncAccount(deps, { account: second, settings, trigger: 'test', configuredPeers }),
      'succeeded',
    );
    assert.equal(calls('contacts.ResolveUsername'), 10, 'the first run spends its budget of 10');
    assert.equal(await waiting(), 15, 'the other 15 names wait as pending');
    assert.ok(first.counters.peersSynced >= known.length, 'the names found in the dialogs sync in the same run');
    assert.equal(sleeps.length, 9, 'each call after the first waits for its turn');
    assert.ok(
      sleeps.every((ms) => ms > 0 && ms <= 1_000),
      `paced: ${sleeps.join(', ')}`,
    );
    const { rows } = await harness.sql.query(
      `SELECT last_error_text FROM configured_peers WHERE account_id = $1 AND last_error_code = 'RESOLVE_BUDGET_SPENT' LIMIT 1`,
      [second.id],
    );
    assert.match(
      rows[0].last_error_text,
      /waits for a contacts\.resolveUsername call: each run makes at most 10 \(SYNC_RESOLVE_USERNAME_BUDGET\)/,
    );

    const scans = calls('messages.GetDialogs');
    assertRan(await syncAccount(deps, { account: second, settings, trigger: 'test', configuredPeers }), 'succeeded');
    assert.equal(calls('contacts.ResolveUsername'), 20);
    assert.equal(
      calls('messages.GetDialogs'),
      scans,
      'names a complete scan already missed are not looked for in the dialogs again',
    );
    assert.equal(await waiting(), 5);

    assertRan(await syncAccount(deps, { account: second, settings, trigger: 'test', configuredPeers }), 'succeeded');
    assert.equal(calls('contacts.ResolveUsername'), 25, 'one call per name outside the dialogs, over three runs');
    assert.equal(await waiting(), 0);
    const synced = await harness.sql.query(
      `SELECT count(*)::int AS n FROM configured_peers WHERE account_id = $1 AND status IN ('synced', 'no_dialog')`,
      [second.id],
    );
    assert.equal(synced.rows[0].n, known.length + unknown.length);
  });
});
