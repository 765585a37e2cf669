/**
 * Measures the local data center as a benchmark would see it (prints a small report):
 *   npx tsx packages/telegram-test-server/src/measure.ts [--peers 500] [--rounds 200]
 * - fresh connect (auth-key exchange + initConnection) and pre-seeded connect, median ms;
 * - sequential 100-peer getPeerDialogs round trip, median ms;
 * - the server's CPU per 100-peer reply (world handler, serialisation, gzip, encryption) next to
 *   GramJS's cost of decoding the same reply, measured in the same process.
 */
import { parseArgs } from 'node:util';
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';
import { serializeResult } from './method-router.ts';
import { startLocalTelegramServer } from './server.ts';
import { createTestClient } from './testing/gramjs-client.ts';
import { World, callWorldMethod } from './world/index.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const { values } = parseArgs({
  options: { peers: { type: 'string', default: '500' }, rounds: { type: 'string', default: '200' } },
});
const rounds = Number(values.rounds);
const world = World.generate({ seed: 1, peers: Number(values.peers) });
const server = await startLocalTelegramServer({ world });
const account = world.userAccounts[0]!.userId;
const peers = world.peerDialogPeers(account).slice(0, 100);
const request = () =>
  new Api.messages.GetPeerDialogs({
    peers: peers.map((p) => new Api.InputDialogPeer({ peer: world.inputPeer(account, p) })),
  });

try {
  // Warm-up: the first exchange builds the shared DH group (~0.25 s prime check) and JITs the code.
  const warm = createTestClient(server);
  await warm.connect();
  await warm.destroy();
  server.stats.reset();
  const fresh: number[] = [];
  for (let i = 0; i < 20; i++) {
    const client = createTestClient(server);
    const t = performance.now();
    await client.connect();
    fresh.push(performance.now() - t);
    await client.destroy();
  }
  const seeded: number[] = [];
  for (let i = 0; i < 20; i++) {
    const client = createTestClient(server, { session: server.sessionFor(account) });
    const t = performance.now();
    await client.connect();
    seeded.push(performance.now() - t);
    await client.destroy();
  }
  const handshakeMs = server.stats.handshakeMs / Math.max(1, server.stats.handshakes);
  const client = createTestClient(server, { session: server.sessionFor(account) });
  await client.connect();
  for (let i = 0; i < 50; i++) await client.invoke(request());
  server.stats.reset();
  const rtt: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await client.invoke(request());
    rtt.push(performance.now() - t);
  }
  await client.destroy();
  const cost = server.stats.cost('messages.GetPeerDialogs');

  // The client's side of the same reply: GramJS's TL reader on the serialised bytes.
  const reply = serializeResult(callWorldMethod(world, { accountUserId: account, isBot: false }, request()));
  for (let i = 0; i < 50; i++) new BinaryReader(reply).tgReadObject();
  const t = performance.now();
  for (let i = 0; i < rounds; i++) new BinaryReader(reply).tgReadObject();
  const clientDecode = (performance.now() - t) / rounds;

  const per = (ms: number) => (ms / cost.calls).toFixed(2);
  console.log(
    [
      `fresh connect (handshake + initConnection): median ${median(fresh).toFixed(1)} ms`,
      `pre-seeded connect: median ${median(seeded).toFixed(1)} ms`,
      `sequential 100-peer getPeerDialogs round trip: median ${median(rtt).toFixed(2)} ms over ${rounds} calls`,
      `server CPU per 100-peer reply: ${server.stats.perCallMs('messages.GetPeerDialogs').toFixed(2)} ms ` +
        `(world ${per(cost.handlerMs)}, serialise ${per(cost.serializeMs)}, gzip ${per(cost.gzipMs)}, encrypt ${per(cost.encryptMs)}); ` +
        `${Math.round(cost.resultBytes / cost.calls)} B → ${Math.round(cost.sentBytes / cost.calls)} B gzip_packed`,
      `GramJS decode of the same reply (client side): ${clientDecode.toFixed(2)} ms`,
      `server time per auth-key exchange: ${handshakeMs.toFixed(2)} ms (the rest of a fresh connect is GramJS's 2048-bit modExp)`,
    ].join('\n'),
  );
} finally {
  await server.stop();
}
