import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Api } from 'telegram';
import { FIXED_PEER_COUNT, World, type PeerRecord } from '../../src/world/index.ts';
import { callAs, peerDialogsRequest } from '../../src/world/test-support.ts';

/** Everything a test could read from a world, as comparable JSON. */
function snapshot(world: World): string {
  const accounts = world.userAccounts.map((a) => ({
    a,
    dialogs: world.dialogsOf(a.userId),
    tops: world.dialogsOf(a.userId).map((d) => world.message(a.userId, d.peer, d.topMessage)),
    state: world.accountUpdateState(a.userId),
  }));
  return JSON.stringify(
    { peers: world.allPeers, accounts, invites: world.inviteLinks, botAccounts: world.botAccounts },
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  );
}

describe('world generation', () => {
  it('is deterministic: the same seed gives the same world, another seed another world', () => {
    const a = snapshot(World.generate({ seed: 'alpha', peers: 1500, accounts: 3 }));
    const b = snapshot(World.generate({ seed: 'alpha', peers: 1500, accounts: 3 }));
    const c = snapshot(World.generate({ seed: 'beta', peers: 1500, accounts: 3 }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('has every kind of peer and the special cases even in a tiny world', () => {
    const world = World.generate({ seed: 3, peers: FIXED_PEER_COUNT });
    assert.ok(world.users(true).length >= 3);
    assert.ok(world.bots().length >= 2); // one generated bot + the bot account
    assert.equal(world.basicGroups().length, 2);
    assert.equal(world.broadcastChannels().length, 2);
    assert.equal(world.supergroups().length, 2);
    assert.equal(world.forums().length, 1);
    assert.equal(world.migratedGroups().length, 1);
    assert.equal(world.userAccounts.length, 1);
    assert.equal(world.botAccounts.length, 1);
    // several usernames, one of them collectible and one inactive
    const multi = world.allPeers.filter((p) => p.kind !== 'chat' && p.usernames.length > 1);
    assert.ok(multi.some((p) => p.kind === 'user') && multi.some((p) => p.kind === 'channel'));
    for (const p of multi) {
      if (p.kind === 'chat') continue;
      assert.ok(p.usernames.some((u) => u.editable && u.active));
      assert.ok(p.usernames.some((u) => !u.editable && u.active));
      assert.ok(p.usernames.some((u) => !u.active));
    }
  });

  it('makes raw ids collide across id spaces while marked ids stay apart', () => {
    const world = World.generate({ seed: 5, peers: 50 });
    const collisions = world.rawIdCollisions();
    assert.ok(collisions.length >= 2);
    for (const [x, y] of collisions) {
      const px = world.peer(x) as PeerRecord;
      const py = world.peer(y) as PeerRecord;
      assert.equal(px.id, py.id);
      assert.notEqual(px.kind, py.kind);
      assert.notEqual(x, y);
    }
    assert.ok(collisions.some(([x, y]) => x > 0n && y <= -1_000_000_000_000n)); // user vs channel
    assert.ok(collisions.some(([x, y]) => (x < 0n && x > -1_000_000_000_000n) || (y < 0n && y > -1_000_000_000_000n))); // a basic group
  });

  it('links migrated basic groups and their supergroups both ways', () => {
    const world = World.generate({ seed: 8, peers: 400 });
    const pairs = world.migratedGroups();
    assert.ok(pairs.length > 1);
    for (const { chat, channel } of pairs) {
      const c = world.peer(chat);
      const ch = world.peer(channel);
      assert.ok(c?.kind === 'chat' && ch?.kind === 'channel');
      assert.equal(ch.broadcast, false);
      assert.equal(world.peer(channel) && ch.migratedFromIndex, c.index);
      const first = world.message(world.accounts[0]!.userId, channel, 1);
      assert.deepEqual(first?.action, { type: 'migrateFrom', title: c.title, chatId: c.id });
    }
  });

  it('gives accounts overlapping but different dialog sets and per-account views', () => {
    const world = World.generate({ seed: 11, peers: 3000, accounts: 2 });
    const [a, b] = world.userAccounts.map((x) => x.userId) as [bigint, bigint];
    const da = new Map(world.dialogsOf(a).map((d) => [d.peer, d]));
    const db = new Map(world.dialogsOf(b).map((d) => [d.peer, d]));
    const shared = [...da.keys()].filter((p) => db.has(p));
    assert.ok(shared.length > 100);
    assert.ok(shared.length < da.size && shared.length < db.size);
    const sharedChannels = shared.filter((p) => world.peer(p)?.kind === 'channel');
    const sharedChats = shared.filter((p) => world.peer(p)?.kind === 'chat');
    // channel message ids are per channel; basic-group ids per account
    for (const p of sharedChannels) assert.equal(da.get(p)?.topMessage, db.get(p)?.topMessage);
    assert.ok(sharedChats.some((p) => da.get(p)?.topMessage !== db.get(p)?.topMessage));
    // counters, mute and folders differ between accounts for at least some shared dialogs
    assert.ok(sharedChannels.some((p) => da.get(p)?.unreadCount !== db.get(p)?.unreadCount));
    assert.ok(shared.some((p) => da.get(p)?.notifySettings.muteUntil !== db.get(p)?.notifySettings.muteUntil));
    // access hashes are per account
    assert.notEqual(world.accessHash(a, sharedChannels[0]!), world.accessHash(b, sharedChannels[0]!));
  });

  it('covers the dialog features: pts on channels only, mute forever, drafts, folders, ttl, unread marks', () => {
    const world = World.generate({ seed: 12, peers: 5000 });
    const me = world.accounts[0]!.userId;
    const dialogs = world.dialogsOf(me);
    for (const d of dialogs) {
      const isChannel = world.peer(d.peer)?.kind === 'channel';
      assert.equal(d.pts !== null, isChannel, `pts presence for ${d.peer}`);
      assert.ok(d.readInboxMaxId <= d.topMessage && d.unreadMentionsCount <= d.unreadCount);
    }
    assert.ok(dialogs.some((d) => d.notifySettings.muteUntil === 2 ** 31 - 1));
    assert.ok(dialogs.some((d) => d.notifySettings.muteUntil === null));
    assert.ok(dialogs.some((d) => d.draft !== null));
    assert.ok(dialogs.some((d) => d.folderId === 1));
    assert.ok(dialogs.some((d) => d.ttlPeriod !== null));
    assert.ok(dialogs.some((d) => d.unreadMark));
    assert.ok(dialogs.some((d) => d.unreadMentionsCount > 0));
    assert.ok(dialogs.some((d) => d.unreadReactionsCount > 0));
    assert.ok(dialogs.some((d) => d.pinned));
    const kinds = new Set<string>(
      dialogs
        .map((d) => world.message(me, d.peer, d.topMessage))
        .map((m) => m?.media?.type ?? (m?.action ? 'service' : 'text')),
    );
    for (const k of ['text', 'service', 'photo', 'document', 'geo', 'poll', 'webpage']) assert.ok(kinds.has(k), k);
    const tops = dialogs.map((d) => world.message(me, d.peer, d.topMessage));
    assert.ok(tops.every((m) => m !== null));
    assert.ok(tops.some((m) => m?.fwdFrom !== null));
    assert.ok(tops.some((m) => m?.replyToMsgId !== null));
    assert.ok(tops.some((m) => m?.views !== null));
  });

  it('builds 100,000 peers and answers a 100-peer getPeerDialogs from it (times reported, not asserted)', (t) => {
    let start = performance.now();
    const world = World.generate({ seed: 'scale', peers: 100_000, accounts: 2 });
    const generateMs = performance.now() - start;
    assert.equal(world.allPeers.length, 100_000 + 3);
    const me = world.accounts[0]!.userId;
    const peers = world.peerDialogPeers(me).slice(-100);
    const request = peerDialogsRequest(world, me, peers);
    for (let i = 0; i < 50; i++) callAs(world, me, request); // warm up
    const rounds = 200;
    const cpu0 = process.cpuUsage();
    start = performance.now();
    let reply: Api.messages.PeerDialogs | undefined;
    for (let i = 0; i < rounds; i++) reply = callAs<Api.messages.PeerDialogs>(world, me, request);
    const wallMs = (performance.now() - start) / rounds;
    const cpu = process.cpuUsage(cpu0);
    assert.equal(reply?.dialogs.length, 100);
    t.diagnostic(`generate 100k peers × 2 accounts: ${generateMs.toFixed(0)} ms`);
    t.diagnostic(
      `100-peer getPeerDialogs reply: ${wallMs.toFixed(2)} ms wall, ${((cpu.user + cpu.system) / 1000 / rounds).toFixed(2)} ms CPU per call`,
    );
  });
});
