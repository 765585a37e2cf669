/**
 * A 100-peer messages.getPeerDialogs through a real GramJS client and the local DC, checked against
 * the simulated world; also reports the server's CPU per 100-peer reply.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, type TelegramClient } from 'telegram';
import { startLocalTelegramServer, type LocalTelegramServer } from '../../src/server.ts';
import { connectedClient } from '../../src/testing/gramjs-client.ts';
import { World, fromBigInteger, markedId } from '../../src/world/index.ts';

function markedPeerId(peer: Api.TypePeer): bigint {
  if (peer instanceof Api.PeerUser) return markedId('user', fromBigInteger(peer.userId));
  if (peer instanceof Api.PeerChat) return markedId('chat', fromBigInteger(peer.chatId));
  return markedId('channel', fromBigInteger((peer as Api.PeerChannel).channelId));
}

describe('getPeerDialogs against the simulated world', () => {
  let world: World;
  let server: LocalTelegramServer;
  let client: TelegramClient;
  let accountUserId: bigint;

  before(async () => {
    world = World.generate({ seed: 1, peers: 500 });
    server = await startLocalTelegramServer({ world });
    accountUserId = world.userAccounts[0]!.userId;
    client = await connectedClient(server, accountUserId);
  });
  after(async () => {
    await client?.destroy();
    await server?.stop();
  });

  function requestFor(peers: readonly bigint[]): Api.messages.GetPeerDialogs {
    return new Api.messages.GetPeerDialogs({
      peers: peers.map((p) => new Api.InputDialogPeer({ peer: world.inputPeer(accountUserId, p) })),
    });
  }

  it('returns the dialogs the world holds for 100 peers', async () => {
    const peers = world.peerDialogPeers(accountUserId).slice(0, 100);
    assert.equal(peers.length, 100, 'the generated world has at least 100 dialog peers');
    const reply = await client.invoke(requestFor(peers));
    assert.ok(reply instanceof Api.messages.PeerDialogs);
    const byPeer = new Map(reply.dialogs.map((d) => [markedPeerId(d.peer), d]));
    for (const peer of peers) {
      const expected = world.dialog(accountUserId, peer);
      const got = byPeer.get(peer);
      if (expected === null) {
        assert.equal(got, undefined, `peer ${peer} has no dialog in the world`);
        continue;
      }
      assert.ok(got instanceof Api.Dialog, `dialog for ${peer}`);
      assert.equal(got.topMessage, expected.topMessage, `top message of ${peer}`);
      assert.equal(got.unreadCount, expected.unreadCount, `unread count of ${peer}`);
    }
    const call = server.callLog.calls('messages.GetPeerDialogs').at(-1);
    assert.equal(call?.peers?.length, 100);
    assert.equal(call?.outcome.kind, 'ok');
    assert.deepEqual(server.unexpectedErrors, []);
  });

  it('reports the server CPU per 100-peer reply', async () => {
    const peers = world.peerDialogPeers(accountUserId).slice(0, 100);
    // Warm up the JIT first: the figure is for a long-running server.
    for (let i = 0; i < 50; i++) await client.invoke(requestFor(peers));
    server.stats.reset();
    const rounds = 100;
    for (let i = 0; i < rounds; i++) await client.invoke(requestFor(peers));
    const cost = server.stats.cost('messages.GetPeerDialogs');
    assert.equal(cost.calls, rounds);
    const perCall = server.stats.perCallMs('messages.GetPeerDialogs');
    console.log(
      `# server CPU per 100-peer getPeerDialogs reply: ${perCall.toFixed(2)} ms ` +
        `(world ${(cost.handlerMs / rounds).toFixed(2)}, serialise ${(cost.serializeMs / rounds).toFixed(2)}, ` +
        `gzip ${(cost.gzipMs / rounds).toFixed(2)}, encrypt ${(cost.encryptMs / rounds).toFixed(2)}; ` +
        `${Math.round(cost.resultBytes / rounds)} B → ${Math.round(cost.sentBytes / rounds)} B on the wire)`,
    );
    assert.ok(cost.sentBytes < cost.resultBytes, 'large replies go out gzip_packed');
  });
});
