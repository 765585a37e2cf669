import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api } from 'telegram';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { createTestClient } from '../../src/testing/gramjs-client.ts';
import { STAND_IN_ACCOUNTS, standInWorld } from '../../src/testing/stand-in-world.ts';

const alice = STAND_IN_ACCOUNTS[0]!;

describe('auth-key exchange with an unmodified GramJS client', () => {
  let server: LocalTelegramServer;
  before(async () => {
    server = await startLocalTelegramServer({ world: standInWorld() });
  });
  after(async () => {
    await server.stop();
  });

  it('creates a key by handshake, then reconnects with the saved session', async () => {
    const client = createTestClient(server);
    try {
      await client.connect();
      const config = await client.invoke(new Api.help.GetConfig());
      assert.equal(config.thisDc, 2);
      assert.equal(config.dcOptions[0]?.port, server.port(2));
    } finally {
      await client.destroy();
    }
    const saved = (client.session as unknown as { save(): string }).save();
    assert.ok(saved.length > 300, 'the session holds the new auth key');
    assert.equal(server.keys.size, 1);

    const again = createTestClient(server, { session: saved });
    try {
      await again.connect();
      const nearest = await again.invoke(new Api.help.GetNearestDc());
      assert.equal(nearest.thisDc, 2);
    } finally {
      await again.destroy();
    }
    assert.equal(server.keys.size, 1, 'no second handshake');
  });

  it('answers data calls on an unauthorised key with 401 AUTH_KEY_UNREGISTERED', async () => {
    const client = createTestClient(server);
    try {
      await client.connect();
      await assert.rejects(
        client.invoke(new Api.updates.GetState()),
        (error: { code?: number; errorMessage?: string }) => {
          assert.equal(error.code, 401);
          assert.equal(error.errorMessage, 'AUTH_KEY_UNREGISTERED');
          return true;
        },
      );
      assert.equal(await client.isUserAuthorized(), false);
    } finally {
      await client.destroy();
    }
  });

  it('connects a pre-seeded session straight to the bound account', async () => {
    const client = createTestClient(server, { session: server.sessionFor(alice.userId) });
    try {
      await client.connect();
      const me = await client.getMe();
      assert.equal(me.id.toString(), alice.userId.toString());
    } finally {
      await client.destroy();
    }
  });
});
