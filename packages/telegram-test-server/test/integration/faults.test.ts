/**
 * Every injectable fault, observed through a real GramJS client the way it would be from Telegram.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Api, errors, type TelegramClient } from 'telegram';
import { peersInclude } from '../../src/faults.ts';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { TimeoutError, connectedClient, withTimeout } from '../../src/testing/gramjs-client.ts';
import { STAND_IN_ACCOUNTS, standInWorld } from '../../src/testing/stand-in-world.ts';

const alice = STAND_IN_ACCOUNTS[0]!;
const bob = STAND_IN_ACCOUNTS[1]!;
const getState = () => new Api.updates.GetState();

interface RpcLike {
  code?: number;
  errorMessage?: string;
  seconds?: number;
}

async function rpcFailure(promise: Promise<unknown>): Promise<Error & RpcLike> {
  try {
    await promise;
  } catch (error) {
    return error as Error & RpcLike;
  }
  assert.fail('the call was expected to fail');
}

function peerDialogs(peers: Api.TypeInputPeer[]): Api.messages.GetPeerDialogs {
  return new Api.messages.GetPeerDialogs({ peers: peers.map((peer) => new Api.InputDialogPeer({ peer })) });
}

describe('fault injection seen by GramJS', () => {
  let server: LocalTelegramServer;
  let client: TelegramClient;
  before(async () => {
    server = await startLocalTelegramServer({ world: standInWorld() });
    client = await connectedClient(server, alice.userId);
  });
  afterEach(() => {
    server.faults.clear();
    server.callLog.clear();
  });
  after(async () => {
    await client.destroy();
    await server.stop();
  });

  it('FLOOD_WAIT_X on the n-th call surfaces as FloodWaitError with seconds', async () => {
    server.faults.floodWait(7, { method: 'updates.getState', nthCall: 2 });
    await client.invoke(getState());
    const error = await rpcFailure(client.invoke(getState()));
    assert.ok(error instanceof errors.FloodWaitError);
    assert.equal(error.code, 420);
    assert.equal(error.seconds, 7);
    await client.invoke(getState());
  });

  it('FLOOD_PREMIUM_WAIT_X on every n-th call', async () => {
    server.faults.floodWait(3, { method: 'updates.GetState', everyNthCall: 2, premium: true });
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await client.invoke(getState());
        outcomes.push('ok');
      } catch (error) {
        assert.ok(error instanceof errors.FloodWaitError);
        assert.equal(error.seconds, 3);
        outcomes.push('flood');
      }
    }
    assert.deepEqual(outcomes, ['ok', 'flood', 'ok', 'flood']);
    assert.deepEqual(
      server.callLog.calls('updates.GetState').map((e) => e.outcome.kind === 'error' && e.outcome.message),
      [false, 'FLOOD_PREMIUM_WAIT_3', false, 'FLOOD_PREMIUM_WAIT_3'],
    );
  });

  it('a per-method flood budget answers FLOOD_WAIT once the window is used up', async () => {
    server.faults.floodBudget({ calls: 3, windowMs: 60_000 }, { method: 'updates.GetState' });
    for (let i = 0; i < 3; i++) await client.invoke(getState());
    const error = await rpcFailure(client.invoke(getState()));
    assert.ok(error instanceof errors.FloodWaitError);
    assert.ok(error.seconds! >= 1 && error.seconds! <= 60, `waits for the rest of the window (${error.seconds})`);
    await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
  });

  it('INTERNAL is a plain RPCError with code 500, not retried by GramJS', async () => {
    server.faults.internalError({ method: 'updates.GetState', nthCall: 1 });
    const error = await rpcFailure(client.invoke(getState()));
    assert.ok(error instanceof errors.RPCError);
    assert.ok(!(error instanceof errors.FloodWaitError));
    assert.equal(error.code, 500);
    assert.equal(error.errorMessage, 'INTERNAL');
    assert.equal(server.callLog.calls('updates.GetState').length, 1);
  });

  it('SLOWMODE_WAIT_X surfaces as SlowModeWaitError', async () => {
    server.faults.slowmodeWait(12, { method: 'updates.GetState', nthCall: 1 });
    const error = await rpcFailure(client.invoke(getState()));
    assert.ok(error instanceof errors.SlowModeWaitError);
    assert.equal(error.seconds, 12);
  });

  it('FROZEN_METHOD_INVALID is a 420 without seconds, not a flood wait', async () => {
    server.faults.frozenMethodInvalid({ nthCall: 1 });
    const error = await rpcFailure(client.invoke(getState()));
    assert.ok(!(error instanceof errors.FloodWaitError));
    assert.equal(error.code, 420);
    assert.equal(error.errorMessage, 'FROZEN_METHOD_INVALID');
    assert.equal(error.seconds, undefined);
  });

  it('AUTH_KEY_UNREGISTERED once, then SESSION_REVOKED for good with revokeKey', async () => {
    server.faults.authKeyUnregistered({ method: 'updates.GetState', nthCall: 1 });
    const unregistered = await rpcFailure(client.invoke(getState()));
    assert.equal(unregistered.code, 401);
    assert.equal(unregistered.errorMessage, 'AUTH_KEY_UNREGISTERED');
    await client.invoke(getState());

    const other = await connectedClient(server, alice.userId);
    try {
      server.faults.sessionRevoked({
        account: alice.userId,
        nthCall: 1,
        revokeKey: true,
        where: (c) => c.method === 'updates.GetState',
      });
      const revoked = await rpcFailure(other.invoke(getState()));
      assert.equal(revoked.code, 401);
      assert.equal(revoked.errorMessage, 'SESSION_REVOKED');
      server.faults.clear();
      const still = await rpcFailure(other.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] })));
      assert.equal(still.errorMessage, 'SESSION_REVOKED', 'the revoked key stays dead');
      await client.invoke(getState());
    } finally {
      await other.destroy();
    }
  });

  it('any (code, message) error, scoped to one account', async () => {
    const bobClient = await connectedClient(server, bob.userId);
    try {
      server.faults.rpcError(403, 'CHAT_WRITE_FORBIDDEN', { account: alice.userId });
      const error = await rpcFailure(client.invoke(getState()));
      assert.ok(error instanceof errors.RPCError);
      assert.equal(error.code, 403);
      assert.equal(error.errorMessage, 'CHAT_WRITE_FORBIDDEN');
      await bobClient.invoke(getState());
    } finally {
      await bobClient.destroy();
    }
  });

  it('faults scoped by a predicate on the request: getPeerDialogs calls that include a channel', async () => {
    server.faults.rpcError(400, 'CHANNEL_PRIVATE', {
      method: 'messages.GetPeerDialogs',
      where: peersInclude({ channelId: 777n }),
    });
    const channel = (id: number) =>
      new Api.InputPeerChannel({ channelId: BigInt(id) as never, accessHash: 1n as never });
    const error = await rpcFailure(client.invoke(peerDialogs([channel(5), channel(777)])));
    assert.equal(error.errorMessage, 'CHANNEL_PRIVATE');
    const ok = await client.invoke(peerDialogs([channel(5), channel(6)]));
    assert.ok(ok instanceof Api.messages.PeerDialogs);
    const logged = server.callLog.calls('messages.GetPeerDialogs');
    assert.deepEqual(logged[0]?.peers, [
      { type: 'channel', id: 5n },
      { type: 'channel', id: 777n },
    ]);
    assert.equal(logged[1]?.outcome.kind, 'ok');
  });

  it('added latency delays the reply but keeps it', async () => {
    const handle = server.faults.latency(30, { method: 'updates.GetState', jitterMs: 10 });
    const state = await client.invoke(getState());
    assert.ok(state instanceof Api.updates.State);
    assert.equal(handle.fired, 1);
  });

  it('a connection dropped before the reply: GramJS reconnects and resends', async () => {
    server.faults.dropConnection('before-reply', { method: 'updates.GetState', nthCall: 1 });
    const state = await client.invoke(getState());
    assert.ok(state instanceof Api.updates.State);
    const calls = server.callLog.calls('updates.GetState');
    assert.equal(calls[0]?.outcome.kind, 'dropped');
    assert.equal(calls.at(-1)?.outcome.kind, 'ok');
    assert.notEqual(calls[0]?.connectionId, calls.at(-1)?.connectionId, 'the retry came over a new connection');
  });

  it('a connection dropped after the reply: the reply arrives, the next call reconnects', async () => {
    server.faults.dropConnection('after-reply', { method: 'updates.GetState', nthCall: 1 });
    await client.invoke(getState());
    await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
    const first = server.callLog.calls('updates.GetState')[0]!;
    assert.deepEqual(first.outcome, { kind: 'dropped', when: 'after-reply' });
    const later = server.callLog.calls('users.GetUsers').at(-1)!;
    assert.notEqual(later.connectionId, first.connectionId);
  });

  it('a hung reply stays pending until the caller gives up', async () => {
    server.faults.hang({ method: 'updates.GetState', nthCall: 1 });
    const pending = client.invoke(getState());
    pending.catch(() => undefined);
    await assert.rejects(withTimeout(pending, 300, 'hung getState'), TimeoutError);
    const [call] = server.callLog.calls('updates.GetState');
    assert.equal(call?.outcome.kind, 'hung');
    assert.equal(call?.endedAt, null);
  });

  it('a barrier holds replies until released', async () => {
    const barrier = server.faults.barrier({ method: 'updates.GetState' });
    let answered = 0;
    const calls = [1, 2, 3].map(() =>
      client.invoke(getState()).then((r) => {
        answered++;
        return r;
      }),
    );
    await barrier.waitUntilHeld(3);
    assert.equal(answered, 0, 'nothing answered while held');
    assert.equal(
      server.callLog.maxConcurrency((e) => e.method === 'updates.GetState'),
      3,
    );
    barrier.release();
    const states = await Promise.all(calls);
    assert.equal(states.length, 3);
    assert.equal(answered, 3);
  });
});
