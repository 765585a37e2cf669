/**
 * Many calls in flight on one connection, and one auth key used from two connections at once
 * (AUTH_KEY_DUPLICATED) versus GramJS's own reconnect (not a duplicate).
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Api } from 'telegram';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { connectedClient, createTestClient } from '../../src/testing/gramjs-client.ts';
import { STAND_IN_ACCOUNTS, standInWorld } from '../../src/testing/stand-in-world.ts';

const alice = STAND_IN_ACCOUNTS[0]!;
const getState = () => new Api.updates.GetState();
const getSelf = () => new Api.users.GetUsers({ id: [new Api.InputUserSelf()] });

describe('concurrency on the local data center', () => {
  let server: LocalTelegramServer;
  before(async () => {
    server = await startLocalTelegramServer({ world: standInWorld() });
  });
  afterEach(() => {
    server.faults.clear();
    server.callLog.clear();
  });
  after(async () => {
    await server.stop();
  });

  it('answers 1,000 concurrent calls from one client, all in flight at once', async () => {
    const client = await connectedClient(server, alice.userId);
    try {
      const barrier = server.faults.barrier({ method: 'updates.GetState' });
      const calls = Array.from({ length: 1000 }, () => client.invoke(getState()));
      await barrier.waitUntilHeld(1000);
      const logged = server.callLog.calls('updates.GetState');
      assert.equal(new Set(logged.map((e) => e.connectionId)).size, 1, 'all on one connection');
      barrier.release();
      const results = await Promise.all(calls);
      assert.equal(results.length, 1000);
      assert.ok(results.every((r) => r instanceof Api.updates.State));
      assert.equal(
        server.callLog.maxConcurrency((e) => e.method === 'updates.GetState'),
        1000,
      );
    } finally {
      await client.destroy();
    }
  });

  it('serves several clients of several accounts at once, each as its own account', async () => {
    const clients = await Promise.all(
      STAND_IN_ACCOUNTS.flatMap((a) => [a, a]).map((a) => connectedClient(server, a.userId)),
    );
    try {
      const barrier = server.faults.barrier({ method: 'users.GetUsers' });
      const calls = clients.flatMap((c) => Array.from({ length: 20 }, () => c.invoke(getSelf())));
      await barrier.waitUntilHeld(calls.length);
      barrier.release();
      const replies = await Promise.all(calls);
      const ids = replies.map((users) => (users as Api.User[])[0]!.id.toString());
      const expected = STAND_IN_ACCOUNTS.flatMap((a) => [a, a]).flatMap((a) =>
        Array.from({ length: 20 }, () => a.userId.toString()),
      );
      assert.deepEqual(ids, expected);
      assert.equal(new Set(server.callLog.calls('users.GetUsers').map((e) => e.connectionId)).size, clients.length);
    } finally {
      await Promise.all(clients.map((c) => c.destroy()));
    }
  });

  it('answers AUTH_KEY_DUPLICATED when two connections use one key at the same time', async () => {
    const session = server.sessionFor(alice.userId);
    const first = createTestClient(server, { session });
    const second = createTestClient(server, { session });
    try {
      await first.connect();
      await second.connect();
      const barrier = server.faults.barrier({ method: 'updates.GetState' });
      const held = first.invoke(getState());
      held.catch(() => undefined);
      await barrier.waitUntilHeld(1);
      await assert.rejects(second.invoke(getSelf()), (error: { code?: number; errorMessage?: string }) => {
        assert.equal(error.code, 406);
        assert.equal(error.errorMessage, 'AUTH_KEY_DUPLICATED');
        return true;
      });
      barrier.release();
      await assert.rejects(held, { errorMessage: 'AUTH_KEY_DUPLICATED' }, 'the key is dead for both connections');
      const calls = server.callLog.entries();
      const [a, b] = [
        calls.find((c) => c.method === 'updates.GetState')!,
        calls.find((c) => c.method === 'users.GetUsers')!,
      ];
      assert.notEqual(a.connectionId, b.connectionId);
      assert.equal(a.authKeyId, b.authKeyId);
    } finally {
      await first.destroy();
      await second.destroy();
    }
  });

  it('does not take GramJS reconnecting (with a call in flight) for a duplicate', async () => {
    const client = await connectedClient(server, alice.userId);
    try {
      const barrier = server.faults.barrier({ method: 'updates.GetState' });
      const held = client.invoke(getState());
      await barrier.waitUntilHeld(1);
      // The server drops the connection under the held call; GramJS reconnects with the same key
      // and resends both calls while the old connection's call is still held on the server.
      server.faults.dropConnection('before-reply', { method: 'users.GetUsers', nthCall: 1 });
      const self = client.invoke(getSelf());
      await server.callLog.waitFor((e) => e.method === 'users.GetUsers' && e.outcome.kind === 'ok');
      await barrier.waitUntilHeld(2);
      barrier.release();
      const [state, users] = await Promise.all([held, self]);
      assert.ok(state instanceof Api.updates.State);
      assert.ok(Array.isArray(users));
      const connections = new Set(server.callLog.entries().map((e) => e.connectionId));
      assert.ok(connections.size >= 2, 'the calls came over two connections');
      assert.ok(
        server.callLog.entries().every((e) => e.outcome.kind !== 'error'),
        'no AUTH_KEY_DUPLICATED',
      );
    } finally {
      await client.destroy();
    }
  });

  it("does not take GramJS's own reconnect after a transport error (old socket closing as the new one opens) for a duplicate", async () => {
    const client = await connectedClient(server, alice.userId);
    try {
      const barrier = server.faults.barrier({ method: 'updates.GetState' });
      const held = client.invoke(getState());
      await barrier.waitUntilHeld(1);
      // -429 keeps the server's side of the connection open: GramJS itself closes it and reconnects.
      server.faults.transportError(429, { method: 'users.GetUsers', nthCall: 1 });
      const self = client.invoke(getSelf());
      await server.callLog.waitFor((e) => e.method === 'users.GetUsers' && e.outcome.kind === 'ok');
      await barrier.waitUntilHeld(2);
      barrier.release();
      const [state, users] = await Promise.all([held, self]);
      assert.ok(state instanceof Api.updates.State);
      assert.ok(Array.isArray(users));
      const first = server.callLog.calls('users.GetUsers')[0];
      assert.deepEqual(first?.outcome, { kind: 'transport-error', code: 429 });
      assert.ok(
        server.callLog.entries().every((e) => e.outcome.kind !== 'error'),
        'no AUTH_KEY_DUPLICATED',
      );
    } finally {
      await client.destroy();
    }
  });
});
