/**
 * Unknown usernames (issue 16.6): they resolved at ~22 per second against ~735 for names that exist.
 * The cause was the job's socket, not the data center: after an RPC error GramJS sends its own
 * msgs_ack as a separate small write, Nagle's algorithm then holds the job's next request until the
 * server's delayed TCP ACK (~40 ms), and the server — like Telegram — answers nothing to a msgs_ack.
 * These tests prove the job's part without timing: every connection it opens has TCP_NODELAY, and an
 * unknown name costs exactly one call and no wait of the job's own. (The rate is measured in
 * `npm run bench -- --only resolve`.)
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { classifyTelegramError } from '../../../src/telegram/classify-error.ts';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { syncAccount } from '../../../src/sync/sync-account.ts';
import {
  startSyncHarness,
  TEST_SYNC_SETTINGS,
  wantedPeersOfMarked,
  type SyncHarness,
  assertRan,
} from '../../helpers/sync-harness.ts';

const UNKNOWN = Array.from({ length: 30 }, (_, index) => `nobody_has_this_${index}`);

describe('unknown usernames', () => {
  let harness: SyncHarness;
  let account: AccountRecord;

  before(async () => {
    harness = await startSyncHarness({
      label: 'unknown_usernames',
      world: { seed: 'unknown-usernames', peers: 200, accounts: 1 },
    });
    account = await harness.account(harness.world.userAccounts[0]!.userId, 'main');
  });
  after(() => harness?.close());

  it("every connection the job opens to Telegram has Nagle's algorithm off, reconnects included", async () => {
    const port = harness.server.port();
    const connected = new Set<net.Socket>();
    const noDelay = new Set<net.Socket>();
    const originalConnect = net.Socket.prototype.connect;
    const originalSetNoDelay = net.Socket.prototype.setNoDelay;
    // Spies on the real sockets (the connection itself is real TCP to the data center).
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      const target = args[0];
      const targetPort =
        typeof target === 'object' && target !== null ? Number((target as { port?: unknown }).port) : Number(target);
      if (targetPort === port) connected.add(this);
      return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    } as typeof net.Socket.prototype.connect;
    net.Socket.prototype.setNoDelay = function (this: net.Socket, enable?: boolean) {
      if (enable !== false) noDelay.add(this);
      else noDelay.delete(this);
      return originalSetNoDelay.call(this, enable);
    };
    try {
      const gateway = await harness.deps.openGateway(account);
      const owner = { accountId: account.id, selfUserId: harness.world.userAccounts[0]!.userId };
      try {
        const unknown = await gateway.resolveUsername(UNKNOWN[0]!, owner).then(
          () => assert.fail('an unknown name resolved'),
          (error: unknown) => classifyTelegramError(error),
        );
        assert.deepEqual(unknown, { kind: 'unresolvable', errorMessage: 'USERNAME_NOT_OCCUPIED' });
        // The connection drops after the next reply: GramJS reconnects by itself for the one after.
        harness.server.faults.dropConnection('after-reply', { method: 'contacts.ResolveUsername', nthCall: 1 });
        const state = harness.world.state;
        const known = [...state.byUsername].find(([, index]) => state.peers[index]?.kind === 'user')![0];
        await gateway.resolveUsername(known, owner);
        await gateway.resolveUsername(known, owner);
      } finally {
        await gateway.destroy();
      }
      const connections = new Set(
        harness.server.callLog.calls('contacts.ResolveUsername').map((call) => call.connectionId),
      );
      assert.ok(
        connections.size >= 2,
        `the calls went over ${connections.size} connection(s); a reconnect was expected`,
      );
      assert.ok(connected.size >= 2, `${connected.size} socket(s) connected to the data center`);
      for (const socket of connected) assert.ok(noDelay.has(socket), 'a connection to Telegram was left with Nagle on');
    } finally {
      net.Socket.prototype.connect = originalConnect;
      net.Socket.prototype.setNoDelay = originalSetNoDelay;
    }
  });

  it('an unknown name costs one resolveUsername call and no wait of the job: the run marks it unresolvable', async () => {
    const sleeps: number[] = [];
    const deps = harness.dependencies({ sleep: async (ms) => void sleeps.push(ms) });
    const before = harness.server.callLog.calls('contacts.ResolveUsername').length;
    const known = harness.world.peerDialogPeers(account.telegramUserId!).slice(0, 5);
    const configuredPeers = [
      ...UNKNOWN.map((name) => ({ input: `@${name}`, normalizedInput: `username:${name}` })),
      ...wantedPeersOfMarked(known),
    ];
    const result = assertRan(
      await syncAccount(deps, { account, settings: TEST_SYNC_SETTINGS, trigger: 'test', configuredPeers }),
      'succeeded',
    );
    assert.equal(result.counters.peersSynced, known.length);
    assert.equal(
      harness.server.callLog.calls('contacts.ResolveUsername').length - before,
      UNKNOWN.length,
      'one call per unknown name, no retries',
    );
    assert.deepEqual(sleeps, [], 'the job never waited between calls');
    const { rows } = await harness.sql.query(
      `SELECT count(*)::int AS n FROM configured_peers WHERE normalized_input LIKE 'username:nobody_has_this_%' AND last_error_code = 'USERNAME_NOT_OCCUPIED'`,
    );
    assert.equal(rows[0].n, UNKNOWN.length);
  });
});
