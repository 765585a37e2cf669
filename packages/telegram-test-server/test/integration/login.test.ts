/**
 * Login end to end through GramJS's own flows (client.start / signInUser / signInBot), including
 * 2FA with a real SRP check, wrong codes and passwords, log-out, QR login and USER_MIGRATE.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Api, type TelegramClient } from 'telegram';
import { Raw } from 'telegram/events/index.js';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { createTestClient } from '../../src/testing/gramjs-client.ts';
import { STAND_IN_ACCOUNTS, standInWorld } from '../../src/testing/stand-in-world.ts';

const [alice, bob, bot] = STAND_IN_ACCOUNTS as [
  (typeof STAND_IN_ACCOUNTS)[0],
  (typeof STAND_IN_ACCOUNTS)[0],
  (typeof STAND_IN_ACCOUNTS)[0],
];

function sessionString(client: TelegramClient): string {
  return (client.session as unknown as { save(): string }).save();
}

describe('login on the local data center', () => {
  let server: LocalTelegramServer;
  const clients: TelegramClient[] = [];
  const newClient = (options: Parameters<typeof createTestClient>[1] = {}) => {
    const client = createTestClient(server, options);
    clients.push(client);
    return client;
  };
  before(async () => {
    server = await startLocalTelegramServer({ world: standInWorld(), dataCenters: [2, 3] });
  });
  afterEach(async () => {
    server.faults.clear();
    server.callLog.clear();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
  });
  after(async () => {
    await server.stop();
  });

  it('signs in with phone and the fixed code; the saved session stays logged in', async () => {
    const client = newClient();
    await client.start({
      phoneNumber: `+${alice.phone}`,
      phoneCode: async () => alice.loginCode,
      onError: (error) => assert.fail(error),
    });
    const me = await client.getMe();
    assert.equal(me.id.toString(), alice.userId.toString());
    const again = newClient({ session: sessionString(client) });
    await again.connect();
    assert.equal(await again.isUserAuthorized(), true);
  });

  it('rejects a wrong code with PHONE_CODE_INVALID, then accepts the right one', async () => {
    const client = newClient();
    const codes = ['99999', alice.loginCode];
    const seen: string[] = [];
    await client.start({
      phoneNumber: alice.phone,
      phoneCode: async () => codes.shift()!,
      onError: async (error) => {
        seen.push((error as { errorMessage?: string }).errorMessage ?? error.message);
        return false;
      },
    });
    assert.deepEqual(seen, ['PHONE_CODE_INVALID']);
    assert.equal(await client.isUserAuthorized(), true);
  });

  it('asks for the 2FA password and checks it by SRP (wrong password first)', async () => {
    const client = newClient();
    const passwords = ['wrong password', bob.password!];
    const seen: string[] = [];
    await client.start({
      phoneNumber: bob.phone,
      phoneCode: async () => bob.loginCode,
      password: async () => passwords.shift()!,
      onError: async (error) => {
        seen.push((error as { errorMessage?: string }).errorMessage ?? error.message);
        return false;
      },
    });
    assert.deepEqual(seen, ['PASSWORD_HASH_INVALID']);
    const me = await client.getMe();
    assert.equal(me.id.toString(), bob.userId.toString());
  });

  it('signs a bot in with its token, and refuses a wrong token', async () => {
    const wrong = newClient();
    await assert.rejects(wrong.start({ botAuthToken: '1:wrong', onError: () => undefined } as never), {
      errorMessage: 'ACCESS_TOKEN_INVALID',
    });
    const client = newClient();
    await client.start({ botAuthToken: bot.botToken!, onError: (error: Error) => assert.fail(error) } as never);
    const me = await client.getMe();
    assert.equal(me.bot, true);
  });

  it('logs out: the key is no longer authorised', async () => {
    const client = newClient({ session: server.sessionFor(alice.userId) });
    await client.connect();
    assert.equal(await client.isUserAuthorized(), true);
    await client.invoke(new Api.auth.LogOut());
    await assert.rejects(client.invoke(new Api.updates.GetState()), { errorMessage: 'AUTH_KEY_UNREGISTERED' });
  });

  it('logs in by QR token once the account "scans" it', async () => {
    const client = newClient();
    await client.connect();
    const updated = new Promise<void>((resolve) => {
      client.addEventHandler((update) => {
        if (update instanceof Api.UpdateLoginToken) resolve();
      }, new Raw({}));
    });
    const first = await client.invoke(
      new Api.auth.ExportLoginToken({ apiId: server.apiId, apiHash: server.apiHash, exceptIds: [] }),
    );
    assert.ok(first instanceof Api.auth.LoginToken);
    assert.equal(server.acceptLoginToken(Buffer.from(first.token), alice.userId), true);
    await updated;
    const second = await client.invoke(
      new Api.auth.ExportLoginToken({ apiId: server.apiId, apiHash: server.apiHash, exceptIds: [] }),
    );
    assert.ok(second instanceof Api.auth.LoginTokenSuccess);
    assert.ok(second.authorization instanceof Api.auth.Authorization);
    assert.equal(second.authorization.user.id.toString(), alice.userId.toString());
    assert.equal(await client.isUserAuthorized(), true);
  });

  it('follows USER_MIGRATE_3 from DC 2 to DC 3 and logs in there', async () => {
    server.faults.userMigrate(3, { method: 'auth.SendCode', dcId: 2 });
    const client = newClient({ dcId: 2 });
    await client.start({
      phoneNumber: alice.phone,
      phoneCode: async () => alice.loginCode,
      onError: (error) => assert.fail(error),
    });
    const sendCodes = server.callLog.calls('auth.SendCode');
    assert.deepEqual(
      sendCodes.map((c) => [c.dcId, c.outcome.kind === 'error' ? c.outcome.message : c.outcome.kind]),
      [
        [2, 'USER_MIGRATE_3'],
        [3, 'ok'],
      ],
    );
    const signIn = server.callLog.calls('auth.SignIn').at(-1);
    assert.equal(signIn?.dcId, 3);
    assert.equal(client.session.dcId, 3);
    const me = await client.getMe();
    assert.equal(me.id.toString(), alice.userId.toString());
  });
});
