/**
 * How the local DC answers what it does not implement, and where it routes what it does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api, type TelegramClient } from 'telegram';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { connectedClient } from '../../src/testing/gramjs-client.ts';
import { STAND_IN_ACCOUNTS, standInWorld } from '../../src/testing/stand-in-world.ts';

const alice = STAND_IN_ACCOUNTS[0]!;

describe('method dispatch', () => {
  let server: LocalTelegramServer;
  let client: TelegramClient;
  let world: ReturnType<typeof standInWorld>;
  before(async () => {
    world = standInWorld();
    server = await startLocalTelegramServer({ world, dataCenters: [2, 3] });
    client = await connectedClient(server, alice.userId);
  });
  after(async () => {
    await client.destroy();
    await server.stop();
  });

  it("gives a method the world does not implement Telegram's INPUT_METHOD_INVALID_<id>_…", async () => {
    const request = new Api.messages.GetDialogFilters();
    await assert.rejects(client.invoke(request), (error: { code?: number; errorMessage?: string }) => {
      assert.equal(error.code, 400);
      assert.equal(error.errorMessage, `INPUT_METHOD_INVALID_${request.CONSTRUCTOR_ID >>> 0}_0`);
      return true;
    });
  });

  it('answers a constructor it cannot even parse the same way', async () => {
    const fake = {
      CONSTRUCTOR_ID: 0x0badf00d,
      SUBCLASS_OF_ID: 0,
      classType: 'request',
      className: 'fake.Unknown',
      getBytes: () => Buffer.from([0x0d, 0xf0, 0xad, 0x0b]),
      readResult: () => undefined,
      resolve: async () => undefined,
    };
    await assert.rejects(client.invoke(fake as never), {
      code: 400,
      errorMessage: `INPUT_METHOD_INVALID_${0x0badf00d}_0`,
    });
    const logged = server.callLog.entries().at(-1);
    assert.equal(logged?.method, 'unknown#0badf00d');
    assert.deepEqual(logged?.outcome, { kind: 'error', code: 400, message: `INPUT_METHOD_INVALID_${0x0badf00d}_0` });
  });

  it("hands data calls to the world as the key's account", async () => {
    world.calls.length = 0;
    const state = await client.invoke(new Api.updates.GetState());
    assert.ok(state instanceof Api.updates.State);
    assert.deepEqual(
      world.calls.map((c) => [c.ctx.accountUserId, c.ctx.isBot, c.method]),
      [[alice.userId, false, 'updates.GetState']],
    );
  });

  it('answers help.getConfig with every local DC', async () => {
    const config = await client.invoke(new Api.help.GetConfig());
    assert.deepEqual(
      config.dcOptions.map((o) => [o.id, o.ipAddress, o.port]),
      [
        [2, '127.0.0.1', server.port(2)],
        [3, '127.0.0.1', server.port(3)],
      ],
    );
  });

  it('logs each call with its method, key, connection, account and outcome', async () => {
    server.callLog.clear();
    await client.invoke(new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }));
    const [entry] = server.callLog.calls('users.GetUsers');
    assert.ok(entry);
    assert.equal(entry.accountUserId, alice.userId);
    assert.equal(entry.dcId, 2);
    assert.match(entry.authKeyId, /^[0-9a-f]{16}$/);
    assert.equal(entry.outcome.kind, 'ok');
    assert.ok(entry.endedAt !== null && entry.endedAt >= entry.startedAt);
    assert.ok(
      entry.request instanceof Api.users.GetUsers,
      'the request is unwrapped from invokeWithLayer/initConnection',
    );
  });

  it('pre-seeds sessions on any local DC', async () => {
    const onDc3 = await connectedClient(server, alice.userId, { dcId: 3 });
    try {
      const me = await onDc3.getMe();
      assert.equal(me.id.toString(), alice.userId.toString());
      assert.equal(server.callLog.calls('users.GetUsers').at(-1)?.dcId, 3);
    } finally {
      await onDc3.destroy();
    }
  });

  it('revokes every key of an account at once (a remote log-out)', async () => {
    const bob = STAND_IN_ACCOUNTS[1]!;
    const bobClient = await connectedClient(server, bob.userId);
    try {
      await bobClient.invoke(new Api.updates.GetState());
      assert.equal(server.revokeAccountKeys(bob.userId), 1);
      await assert.rejects(bobClient.invoke(new Api.updates.GetState()), {
        code: 401,
        errorMessage: 'SESSION_REVOKED',
      });
      await client.invoke(new Api.updates.GetState());
    } finally {
      await bobClient.destroy();
    }
  });

  it('answers destroy_session for an unknown session with destroy_session_none', async () => {
    const result = await client.invoke(new Api.DestroySession({ sessionId: bigInt(12345) }));
    assert.ok(result instanceof Api.DestroySessionNone);
    assert.equal(result.sessionId.toString(), '12345');
  });
});
