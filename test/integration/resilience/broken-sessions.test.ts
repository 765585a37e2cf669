/**
 * Sessions that break or move in ways GramJS reports badly. Transport error −404 (Telegram no longer
 * knows the auth key): GramJS 2.26.22 only emits a "broken" state and stops reading, so calls used to
 * time out and be retried as transient on every run. The session is dead: the account must become
 * needs_login with the hint to log in again, quickly and without hammering. 303 *_MIGRATE_X for a
 * logged-in session: GramJS rethrows NETWORK/PHONE_MIGRATE and follows USER_MIGRATE with a fresh,
 * logged-out key; the job must move to DC X with its authorization and go on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import { createTelegramClient } from '../../../src/telegram/create-client.ts';
import { openGateway } from '../../../src/telegram/gateway.ts';
import { configureTestDataCenter } from '../../../src/telegram/test-data-center.ts';
import {
  startSyncHarness,
  syncablePeers,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  wantedPeersOfMarked,
} from '../../helpers/sync-harness.ts';

const PEERS = 300;
/** Long enough for a loaded machine, short enough that timing out instead would show. */
const CALL_TIMEOUT_MS = 4_000;

describe('broken sessions', () => {
  let harness: SyncHarness;
  const users: bigint[] = [];
  const peersOf = new Map<bigint, bigint[]>();

  before(async () => {
    harness = await startSyncHarness({
      label: 'res_broken',
      world: { seed: 'resilience-broken', peers: 1500, accounts: 5 },
      dataCenters: [2, 3],
    });
    for (const account of harness.world.userAccounts.slice(0, 5)) {
      users.push(account.userId);
      peersOf.set(account.userId, syncablePeers(harness.world, account.userId).slice(0, PEERS));
    }
  });
  after(() => harness?.close());
  const dataCenter = () => configureTestDataCenter(harness.server.testDataCenterOptions());
  const silent = createLogger({ level: 'silent', format: 'json' });

  const sync = (account: AccountRecord) =>
    syncAccount(harness.dependencies({ callTimeoutMs: CALL_TIMEOUT_MS }), {
      account,
      settings: { ...TEST_SYNC_SETTINGS, callTimeoutMs: CALL_TIMEOUT_MS },
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peersOf.get(account.telegramUserId!)!),
    });
  const accountRow = async (id: number) =>
    (await harness.sql.query('SELECT status, status_reason FROM accounts WHERE id = $1', [id])).rows[0];

  it('stops an account whose auth key Telegram forgot mid-run (−404): needs_login, log in again, no retries', async () => {
    const user = users[0]!;
    const account = await harness.account(user, 'forgotten-mid-run');
    const fault = harness.server.faults.unknownAuthKey({
      account: user,
      method: 'messages.getPeerDialogs',
      nthCall: 2,
    });
    const result = assertRan(await sync(account), 'failed');
    fault.remove();
    assert.equal(result.errorKind, 'account_needs_login', `${result.errorKind}: ${result.errorText}`);
    assert.match(
      result.errorText ?? '',
      /^AUTH_KEY_UNKNOWN_404: .*transport error -404.*log in again with `tg-dialog-sync login`/,
    );
    assert.equal(result.counters.retries, 0, 'a dead key is not retried');
    assert.equal(result.counters.peersSynced + result.counters.peersNoDialog, 100, 'the batch before it was written');
    const row = await accountRow(account.id);
    assert.equal(row.status, 'needs_login');
    assert.match(row.status_reason, /^AUTH_KEY_UNKNOWN_404: .*log in again/);
  });

  it('stops an account whose auth key Telegram forgot before the run (connecting meets −404)', async () => {
    const user = users[1]!;
    const account = await harness.account(user, 'forgotten-before');
    // The first thing a connecting client sends: initConnection(help.getConfig).
    const fault = harness.server.faults.unknownAuthKey({ account: user, method: 'help.getConfig' });
    const result = assertRan(await sync(account), 'failed');
    fault.remove();
    assert.equal(fault.fired, 1);
    assert.equal(result.errorKind, 'account_needs_login', `${result.errorKind}: ${result.errorText}`);
    assert.match(result.errorText ?? '', /transport error -404.*log in again/);
    assert.equal(result.counters.retries, 0);
    assert.equal((await accountRow(account.id)).status, 'needs_login');
  });

  for (const [index, migration] of [
    [2, 'NETWORK_MIGRATE'],
    [3, 'USER_MIGRATE'],
    [4, 'PHONE_MIGRATE'],
  ] as const) {
    it(`follows 303 ${migration}_3 for a logged-in session to DC 3 with its authorization, and syncs every peer`, async () => {
      const user = users[index]!;
      const account = await harness.account(user, `migrated-${index}`);
      const before = harness.server.callLog.entries().length;
      // This account's getPeerDialogs belong to DC 3 from now on: DC 2 answers every one with 303.
      const fault = harness.server.faults.rpcError(303, `${migration}_3`, {
        account: user,
        method: 'messages.getPeerDialogs',
        dcId: 2,
      });
      const result = assertRan(await sync(account), 'succeeded');
      fault.remove();
      assert.equal(fault.fired, 1, 'moved at the first 303');
      assert.equal(result.counters.peersSynced + result.counters.peersNoDialog, PEERS);
      const calls = harness.server.callLog
        .entries()
        .slice(before)
        .filter((call) => call.method === 'messages.GetPeerDialogs' && call.outcome.kind === 'ok');
      assert.equal(calls.length, PEERS / 100);
      assert.ok(
        calls.every((call) => call.dcId === 3 && call.accountUserId === user),
        'every batch answered on DC 3, by a key logged in there',
      );
      assert.equal((await accountRow(account.id)).status, 'active');
    });
  }

  it('hands the moved session out for storing: the next connection starts on DC 3, without a 303', async () => {
    const user = users[2]!;
    const fault = harness.server.faults.networkMigrate(3, {
      account: user,
      method: 'messages.getPeerDialogs',
      dcId: 2,
    });
    const peer = harness.world.peerDialogPeers(user).find((marked) => marked > 0n)!;
    const stored: string[] = [];
    const open = (session: string) =>
      openGateway({
        client: createTelegramClient({
          session,
          apiId: harness.server.apiId,
          apiHash: harness.server.apiHash,
          testDataCenter: dataCenter(),
          logger: silent,
        }),
        callTimeoutMs: CALL_TIMEOUT_MS,
        onSessionChanged: async (moved) => {
          stored.push(moved);
        },
      });
    const hash = harness.world.accessHash(user, peer);
    // The replies' rows are not stored here: any owner maps them.
    const owner = { accountId: 0, selfUserId: 0n };
    const first = await open(harness.server.sessionFor(user));
    try {
      await first.getPeerDialogs([{ peerType: 'user', peerId: peer, accessHash: hash }], owner);
    } finally {
      await first.destroy();
    }
    assert.equal(fault.fired, 1);
    assert.equal(stored.length, 1, 'the moved session is handed out once');
    const before = harness.server.callLog.entries().length;
    const second = await open(stored[0]!);
    try {
      await second.getPeerDialogs([{ peerType: 'user', peerId: peer, accessHash: hash }], owner);
    } finally {
      await second.destroy();
    }
    fault.remove();
    assert.equal(fault.fired, 1, 'no second 303');
    const calls = harness.server.callLog.entries().slice(before);
    assert.ok(
      calls.length > 0 && calls.every((call) => call.dcId === 3),
      calls.map((call) => `${call.method}@${call.dcId}`).join(', '),
    );
  });
});
