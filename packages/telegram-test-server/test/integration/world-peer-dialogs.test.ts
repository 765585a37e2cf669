/**
 * The simulated world through the real MTProto server and an unmodified GramJS client: a 100-peer
 * getPeerDialogs must arrive exactly as the world describes it, errors must arrive as Telegram's,
 * and the volatile fields must move between calls while the content stays.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, errors, type TelegramClient } from 'telegram';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { connectedClient, withTimeout } from '../../src/testing/gramjs-client.ts';
import { World } from '../../src/world/index.ts';
import {
  contentOf,
  expectedDialogsReply,
  peerDialogsRequest,
  plainDialogsReply,
} from '../../src/world/test-support.ts';

describe('the world through MTProto and GramJS', () => {
  let now = 1_800_000_000;
  let world: World;
  let server: LocalTelegramServer;
  let client: TelegramClient;
  let me: bigint;

  before(async () => {
    world = World.generate({
      seed: 'integration',
      peers: 5000,
      accounts: 2,
      clock: () => now,
      resolveFlood: { freeCalls: 2, windowSeconds: 3600, firstWaitSeconds: 7, growthFactor: 2 },
    });
    server = await startLocalTelegramServer({ world });
    me = world.userAccounts[0]!.userId;
    client = await withTimeout(connectedClient(server, me), 10_000, 'connect');
  });
  after(async () => {
    await client?.destroy();
    await server?.stop();
  });

  const invoke = <R extends Api.AnyRequest>(request: R) =>
    withTimeout(client.invoke(request), 10_000, request.className);

  it('delivers a 100-peer getPeerDialogs exactly as the world holds it', async () => {
    // 80 dialog peers mixed with 20 peers the account has no dialog with (omitted, no error)
    const dialogPeers = world.peerDialogPeers(me).slice(100, 180);
    const omitted = world.omittedPeers(me).slice(0, 20);
    const peers = dialogPeers.flatMap((p, i) =>
      i % 4 === 0 && omitted[i / 4] !== undefined ? [p, omitted[i / 4]!] : [p],
    );
    assert.equal(peers.length, 100);
    const reply = await invoke(peerDialogsRequest(world, me, peers));
    assert.ok(reply instanceof Api.messages.PeerDialogs);
    const expected = expectedDialogsReply(world, me, peers);
    assert.equal(expected.dialogs.length, 80);
    assert.deepEqual(plainDialogsReply(reply), expected);
    assert.equal(reply.state.pts, world.accountUpdateState(me).pts);
    assert.ok(
      reply.users.some((u) => u instanceof Api.User && u.min),
      'min users survive the wire',
    );
    assert.deepEqual(server.unexpectedErrors, []);
  });

  it('moves the volatile fields between two calls and nothing else', async () => {
    const peers = world.peerDialogPeers(me).slice(0, 100);
    const first = await invoke(peerDialogsRequest(world, me, peers));
    now += 1;
    const second = await invoke(peerDialogsRequest(world, me, peers));
    assert.deepEqual(contentOf(second), contentOf(first));
    assert.notEqual(second.state.date, first.state.date);
    const views = (r: Api.messages.PeerDialogs) =>
      r.messages.map((m) => (m instanceof Api.Message ? m.views : undefined));
    assert.notDeepEqual(views(second), views(first));
  });

  it('fails the whole call with CHANNEL_PRIVATE for one kicked channel', async () => {
    const peers = world.peerDialogPeers(me).slice(0, 99);
    const channel = peers.find((p) => world.peer(p)?.kind === 'channel')!;
    world.kickAccount(me, channel);
    try {
      await assert.rejects(invoke(peerDialogsRequest(world, me, peers)), (e: unknown) => {
        assert.ok(e instanceof errors.RPCError);
        assert.equal(e.errorMessage, 'CHANNEL_PRIVATE');
        return true;
      });
    } finally {
      world.restoreAccess(channel, me);
    }
    const reply = await invoke(peerDialogsRequest(world, me, peers));
    assert.equal(reply.dialogs.length, 99);
  });

  it('sees mutations on the next call', async () => {
    const channel = world.peerDialogPeers(me).find((p) => world.peer(p)?.kind === 'channel')!;
    const posted = world.postNulMessage(channel);
    const reply = await invoke(peerDialogsRequest(world, me, [channel]));
    assert.equal((reply.dialogs[0] as Api.Dialog).topMessage, posted.channelMessageId);
    assert.ok((reply.messages[0] as Api.Message).message.includes('\u0000'));
  });

  it('surfaces resolveUsername flood waits as FloodWaitError with the seconds', async () => {
    const name = world
      .usernamesOf(world.peerDialogPeers(me).find((p) => world.usernamesOf(p).some((u) => u.active))!)
      .find((u) => u.active)!.username;
    const resolved = await invoke(new Api.contacts.ResolveUsername({ username: name }));
    assert.ok(resolved instanceof Api.contacts.ResolvedPeer);
    await invoke(new Api.contacts.ResolveUsername({ username: name }));
    await assert.rejects(invoke(new Api.contacts.ResolveUsername({ username: name })), (e: unknown) => {
      assert.ok(e instanceof errors.FloodWaitError);
      assert.equal(e.seconds, 7);
      return true;
    });
  });

  it('refuses getPeerDialogs to a bot with BOT_METHOD_INVALID', async () => {
    const bot = await withTimeout(connectedClient(server, world.botAccounts[0]!.userId), 10_000, 'bot connect');
    try {
      await assert.rejects(
        withTimeout(
          bot.invoke(
            new Api.messages.GetPeerDialogs({ peers: [new Api.InputDialogPeer({ peer: new Api.InputPeerSelf() })] }),
          ),
          10_000,
          'bot call',
        ),
        (e: unknown) => e instanceof errors.RPCError && e.errorMessage === 'BOT_METHOD_INVALID',
      );
    } finally {
      await bot.destroy();
    }
  });
});
