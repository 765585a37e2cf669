/**
 * How a run starts: Telegram's part of the setup (connect, then the session check) goes on while the
 * database records and prepares the run, and the first getPeerDialogs waits for both. Ordering is
 * asserted through gates and event order, never through timing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import type { TransactionClient } from '../../../src/store/transaction.ts';
import { syncAccount, type SyncDependencies } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  syncablePeers,
  TEST_SYNC_SETTINGS,
  type SyncHarness,
  assertRan,
  wantedPeersOfMarked,
} from '../../helpers/sync-harness.ts';

const PEERS = 150;

/** The harness's dependencies, recording database transactions and Telegram steps in one event list. */
function instrumented(
  harness: SyncHarness,
  hooks: { beforeTransaction?: (index: number) => Promise<void>; beforeConnect?: () => Promise<void> } = {},
) {
  const events: string[] = [];
  let transactions = 0;
  const prisma: TransactionClient = {
    async $transaction(work, options) {
      const index = ++transactions;
      events.push(`tx ${index}`);
      await hooks.beforeTransaction?.(index);
      return harness.prisma.$transaction(work, options);
    },
  };
  const deps: SyncDependencies = {
    ...harness.deps,
    prisma,
    openGateway: async (account) => {
      events.push('connect');
      await hooks.beforeConnect?.();
      const gateway = await harness.deps.openGateway(account);
      events.push('connected');
      return {
        ...gateway,
        async getSelf() {
          events.push('getSelf');
          try {
            const self = await gateway.getSelf();
            events.push('getSelf ok');
            return self;
          } catch (error) {
            events.push('getSelf failed');
            throw error;
          }
        },
        getPeerDialogs(peers, owner) {
          events.push('getPeerDialogs');
          return gateway.getPeerDialogs(peers, owner);
        },
        async destroy() {
          events.push('destroy');
          await gateway.destroy();
        },
      };
    },
  };
  return { deps, events };
}

/** A promise with its resolve function. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('run setup: Telegram connects while the database prepares the run', () => {
  let harness: SyncHarness;
  let users: bigint[];

  before(async () => {
    harness = await startSyncHarness({ label: 'run_setup', world: { seed: 'run-setup', peers: 1500, accounts: 3 } });
    users = harness.world.userAccounts.slice(0, 3).map((account) => account.userId);
    peersOf = new Map(users.map((user) => [user, syncablePeers(harness.world, user).slice(0, PEERS)]));
  });
  after(() => harness?.close());
  let peersOf: Map<bigint, bigint[]>;

  const sync = (deps: SyncDependencies, account: AccountRecord) =>
    syncAccount(deps, {
      account,
      settings: TEST_SYNC_SETTINGS,
      trigger: 'test',
      configuredPeers: wantedPeersOfMarked(peersOf.get(account.telegramUserId!)!),
    });

  it(
    'connects right after reading the method waits, while the run is recorded and the due peers are read',
    { timeout: 60_000 },
    async () => {
      const account = await harness.account(users[0]!, 'overlap');
      // First run resolves the peers (this needs Telegram before the due peers are read).
      assertRan(await sync(harness.deps, account), 'succeeded');

      // The connection is held until the database has begun the last setup step (transactions: 1 method
      // waits, 2 start run, 3 reconcile, 4 unresolved peers, 5 due peers). Were they done one after the
      // other, connecting first, the run would never finish (the test fails on its timeout).
      const dueRead = gate();
      const { deps, events } = instrumented(harness, {
        beforeTransaction: async (index) => {
          if (index === 5) dueRead.open();
        },
        beforeConnect: () => dueRead.opened,
      });
      const result = assertRan(await sync(deps, account), 'succeeded');
      assert.equal(result.counters.peersSynced + result.counters.peersNoDialog, PEERS);
      assert.deepEqual(
        events.slice(0, 2),
        ['tx 1', 'connect'],
        'connecting starts right after the method waits are read',
      );
      const firstCall = events.indexOf('getPeerDialogs');
      assert.ok(
        !events.includes('getSelf'),
        "a logged-in account's session is checked by its first call, not by a round trip of its own",
      );
      assert.ok(events.indexOf('tx 5') < firstCall);
      assert.equal(events.at(-1), 'destroy');
    },
  );

  it('a database step that fails decides the outcome even when Telegram failed first, and no client outlives the run', async () => {
    const user = users[1]!;
    const account = await harness.account(user, 'db-fails');
    const telegramFailed = gate();
    const fault = harness.server.faults.rpcError(401, 'AUTH_KEY_UNREGISTERED', {
      account: user,
      method: 'users.GetUsers',
    });
    const { deps, events } = instrumented(harness, {
      // Reconciling the peer list (transaction 3) fails, after the session check failed.
      beforeTransaction: async (index) => {
        if (index !== 3) return;
        await telegramFailed.opened;
        throw new Error('reconcile failed: the database is having a bad day');
      },
    });
    const wrapped: SyncDependencies = {
      ...deps,
      // The session is found by the account's user (the harness's sessions), not by the record below.
      openGateway: async () => {
        const gateway = await deps.openGateway(account);
        return {
          ...gateway,
          getSelf: () =>
            gateway.getSelf().catch((error: unknown) => {
              telegramFailed.open();
              throw error;
            }),
        };
      },
    };
    try {
      // An account whose Telegram user is not recorded yet: its session is checked (users.getUsers) while
      // the database prepares the run.
      const unknownUser = { ...account, telegramUserId: null };
      const result = assertRan(
        await syncAccount(wrapped, {
          account: unknownUser,
          settings: TEST_SYNC_SETTINGS,
          trigger: 'test',
          configuredPeers: wantedPeersOfMarked(peersOf.get(user)!),
        }),
        'failed',
      );
      // A failed database step is named as the database's (16.4).
      assert.equal(result.errorKind, 'database');
      assert.match(result.errorText ?? '', /^database error: reconcile failed: .*bad day/);
    } finally {
      fault.remove();
    }
    const row = (await harness.sql.query('SELECT status FROM accounts WHERE id = $1', [account.id])).rows[0];
    assert.equal(row.status, 'active', 'the session error came second: the account is not marked');
    assert.ok(events.includes('getSelf failed'));
    assert.ok(!events.includes('getPeerDialogs'));
    assert.equal(events.at(-1), 'destroy', 'the client is destroyed before syncAccount returns');
  });

  it('a run deferred by a flood wait neither connects nor calls Telegram', async () => {
    const account = await harness.account(users[2]!, 'deferred');
    await harness.sql.query(
      `INSERT INTO account_method_waits (account_id, method, resume_at, requested_seconds, error_message)
       VALUES ($1, 'messages.getPeerDialogs', now() + interval '1 hour', 3600, 'FLOOD_WAIT_3600')`,
      [account.id],
    );
    const { deps, events } = instrumented(harness);
    const result = assertRan(await sync(deps, account), 'deferred');
    assert.match(result.errorText ?? '', /deferred by a flood wait until/);
    assert.ok(!events.includes('connect'));
  });
});
