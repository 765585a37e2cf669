import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { World, toBigInteger, unmark } from '../../src/world/index.ts';
import { callAs, markedIdOfTl, peerDialogsRequest, rpcErrorOf } from '../../src/world/test-support.ts';

const world = World.generate({ seed: 'rules', peers: 2000, accounts: 2 });
const [me, other] = world.userAccounts.map((a) => a.userId) as [bigint, bigint];
const bot = world.botAccounts[0]!.userId;

function inputWithHash(marked: bigint, hash: bigint): Api.TypeInputPeer {
  const { kind, id } = unmark(marked);
  if (kind === 'user') return new Api.InputPeerUser({ userId: toBigInteger(id), accessHash: toBigInteger(hash) });
  if (kind === 'channel')
    return new Api.InputPeerChannel({ channelId: toBigInteger(id), accessHash: toBigInteger(hash) });
  return new Api.InputPeerChat({ chatId: toBigInteger(id) });
}

function peerDialogsWith(inputs: Api.TypeInputPeer[]): Api.messages.GetPeerDialogs {
  return new Api.messages.GetPeerDialogs({ peers: inputs.map((peer) => new Api.InputDialogPeer({ peer })) });
}

const myDialogPeers = world.peerDialogPeers(me);
const aUser = myDialogPeers.find((p) => world.peer(p)?.kind === 'user')!;
const aChannel = myDialogPeers.find((p) => world.peer(p)?.kind === 'channel')!;

describe('access hashes', () => {
  it('accepts the account’s own hash', () => {
    const reply = callAs<Api.messages.PeerDialogs>(world, me, peerDialogsRequest(world, me, [aUser, aChannel]));
    assert.deepEqual(
      reply.dialogs.map((d) => markedIdOfTl((d as Api.Dialog).peer)),
      [aUser, aChannel],
    );
  });

  it('rejects a wrong hash: PEER_ID_INVALID for users, CHANNEL_INVALID for channels', () => {
    const bad = world.accessHash(me, aUser) ^ 1n;
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsWith([inputWithHash(aUser, bad)]))),
      'PEER_ID_INVALID',
    );
    const badChannel = world.accessHash(me, aChannel) + 1n;
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsWith([inputWithHash(aChannel, badChannel)]))),
      'CHANNEL_INVALID',
    );
  });

  it('rejects another account’s hash and a min hash', () => {
    const foreign = world.accessHash(other, aChannel);
    assert.notEqual(foreign, world.accessHash(me, aChannel));
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsWith([inputWithHash(aChannel, foreign)]))),
      'CHANNEL_INVALID',
    );
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsWith([inputWithHash(aUser, world.minAccessHash(aUser))]))),
      'PEER_ID_INVALID',
    );
    // and the other account accepts its own hash for the same channel
    assert.equal(
      rpcErrorOf(() => callAs(world, other, peerDialogsWith([inputWithHash(aChannel, foreign)]))),
      null,
    );
  });

  it('applies the same rules in users.getUsers and channels.getChannels', () => {
    const { id } = unmark(aUser);
    const good = new Api.InputUser({ userId: toBigInteger(id), accessHash: toBigInteger(world.accessHash(me, aUser)) });
    const users = callAs<Api.User[]>(world, me, new Api.users.GetUsers({ id: [good, new Api.InputUserSelf()] }));
    assert.equal(users.length, 2);
    assert.equal(users[1]?.self, true);
    const wrong = new Api.InputUser({ userId: toBigInteger(id), accessHash: bigInt(123) });
    assert.equal(
      rpcErrorOf(() => callAs(world, me, new Api.users.GetUsers({ id: [wrong] }))),
      'USER_ID_INVALID',
    );
    const ch = unmark(aChannel);
    const wrongChannel = new Api.InputChannel({
      channelId: toBigInteger(ch.id),
      accessHash: toBigInteger(world.accessHash(other, aChannel)),
    });
    assert.equal(
      rpcErrorOf(() => callAs(world, me, new Api.channels.GetChannels({ id: [wrongChannel] }))),
      'CHANNEL_INVALID',
    );
  });
});

describe('messages.getChats', () => {
  it('returns basic groups the account is in and rejects others with CHAT_ID_INVALID', () => {
    const mine = world
      .dialogsOf(me)
      .map((d) => d.peer)
      .filter((p) => world.peer(p)?.kind === 'chat');
    const notMine = world.basicGroups().find((p) => !world.dialog(me, world.markedIdOf(p)))!;
    const ids = mine.slice(0, 3).map((p) => toBigInteger(-p));
    const reply = callAs<Api.messages.Chats>(world, me, new Api.messages.GetChats({ id: ids }));
    assert.deepEqual(
      reply.chats.map((c) => markedIdOfTl(c)),
      mine.slice(0, 3),
    );
    assert.equal(
      rpcErrorOf(() => callAs(world, me, new Api.messages.GetChats({ id: [...ids, toBigInteger(notMine.id)] }))),
      'CHAT_ID_INVALID',
    );
  });
});

describe('messages.getPeerDialogs rules', () => {
  it('omits peers the account has no dialog with, without an error', () => {
    const omitted = world.omittedPeers(me).slice(0, 20);
    assert.ok(omitted.length === 20);
    const wanted = [...myDialogPeers.slice(0, 30), ...omitted];
    const reply = callAs<Api.messages.PeerDialogs>(world, me, peerDialogsRequest(world, me, wanted));
    assert.deepEqual(
      reply.dialogs.map((d) => markedIdOfTl((d as Api.Dialog).peer)),
      myDialogPeers.slice(0, 30),
    );
  });

  it('rejects an empty vector and more than 100 peers', () => {
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsWith([]))),
      'INPUT_PEERS_EMPTY',
    );
    const many = myDialogPeers.slice(0, 101);
    assert.equal(many.length, 101);
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsRequest(world, me, many))),
      'LIMIT_INVALID',
    );
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsRequest(world, me, many.slice(0, 100)))),
      null,
    );
  });

  it('refuses bots', () => {
    assert.equal(
      rpcErrorOf(() => callAs(world, bot, peerDialogsWith([new Api.InputPeerSelf()]))),
      'BOT_METHOD_INVALID',
    );
    const getDialogs = new Api.messages.GetDialogs({
      offsetDate: 0,
      offsetId: 0,
      offsetPeer: new Api.InputPeerEmpty(),
      limit: 10,
      hash: bigInt.zero,
    });
    assert.equal(
      rpcErrorOf(() => callAs(world, bot, getDialogs)),
      'BOT_METHOD_INVALID',
    );
  });

  it('fails the whole call for one inaccessible peer among good ones', () => {
    const kicked = world.allPeers.find(
      (p) =>
        p.kind === 'channel' &&
        world.peerDialogOutcome(me, world.markedIdOf(p)) === 'CHANNEL_PRIVATE' &&
        world.dialog(me, world.markedIdOf(p)),
    )!;
    assert.ok(kicked, 'the world has a channel the account was kicked from');
    assert.equal(world.chatAsSeenBy(me, world.markedIdOf(kicked)).kind, 'channelForbidden');
    const privateNotMember = world.allPeers.find(
      (p) => p.kind === 'channel' && p.usernames.length === 0 && !world.dialog(me, world.markedIdOf(p)),
    )!;
    const strangersGroup = world.allPeers.find((p) => p.kind === 'chat' && !world.dialog(me, world.markedIdOf(p)))!;
    for (const [bad, expected] of [
      [world.markedIdOf(kicked), 'CHANNEL_PRIVATE'],
      [world.markedIdOf(privateNotMember), 'CHANNEL_PRIVATE'],
      [world.markedIdOf(strangersGroup), 'PEER_ID_INVALID'],
    ] as const) {
      const peers = [...myDialogPeers.slice(0, 50), bad, ...myDialogPeers.slice(50, 99)];
      assert.equal(
        rpcErrorOf(() => callAs(world, me, peerDialogsRequest(world, me, peers))),
        expected,
      );
    }
    assert.equal(
      rpcErrorOf(() => callAs(world, me, peerDialogsWith([new Api.InputPeerEmpty()]))),
      'PEER_ID_INVALID',
    );
  });

  it('returns a basic group the account was kicked from, as chatForbidden', () => {
    const kickedGroup = world
      .dialogsOf(me)
      .find((d) => world.peer(d.peer)?.kind === 'chat' && world.chatAsSeenBy(me, d.peer).kind === 'chatForbidden')!;
    assert.ok(kickedGroup);
    const reply = callAs<Api.messages.PeerDialogs>(world, me, peerDialogsRequest(world, me, [kickedGroup.peer]));
    assert.equal(reply.dialogs.length, 1);
    assert.ok(reply.chats[0] instanceof Api.ChatForbidden);
  });
});

describe('contacts.resolveUsername', () => {
  it('resolves active usernames (any case, with @), collectible ones too, not inactive ones', () => {
    const w = World.generate({ seed: 'resolve', peers: 200 });
    const acc = w.accounts[0]!.userId;
    const multi = w.allPeers.find((p) => p.kind === 'channel' && p.usernames.length > 2)!;
    const marked = w.markedIdOf(multi);
    for (const u of w.usernamesOf(marked)) {
      const call = () =>
        callAs<Api.contacts.ResolvedPeer>(
          w,
          acc,
          new Api.contacts.ResolveUsername({ username: `@${u.username.toUpperCase()}` }),
        );
      if (u.active) assert.equal(markedIdOfTl(call().peer), marked);
      else assert.equal(rpcErrorOf(call), 'USERNAME_NOT_OCCUPIED');
    }
    const reply = callAs<Api.contacts.ResolvedPeer>(
      w,
      acc,
      new Api.contacts.ResolveUsername({ username: w.usernamesOf(marked)[0]!.username }),
    );
    const channel = reply.chats[0] as Api.Channel;
    assert.equal(channel.accessHash?.toString(), w.accessHash(acc, marked).toString());
    assert.equal(channel.usernames?.length, 3);
  });

  it('answers USERNAME_NOT_OCCUPIED and USERNAME_INVALID', () => {
    const w = World.generate({ seed: 'resolve', peers: 200 });
    const acc = w.accounts[0]!.userId;
    assert.equal(
      rpcErrorOf(() => callAs(w, acc, new Api.contacts.ResolveUsername({ username: 'nobody_has_this' }))),
      'USERNAME_NOT_OCCUPIED',
    );
    for (const bad of ['ab', '1abcde', 'has space', 'trailing_', 'x'.repeat(40)]) {
      assert.equal(
        rpcErrorOf(() => callAs(w, acc, new Api.contacts.ResolveUsername({ username: bad }))),
        'USERNAME_INVALID',
        bad,
      );
    }
  });

  it('trips escalating FLOOD_WAITs per account after the free calls', () => {
    let now = 1_800_000_000;
    const w = World.generate({
      seed: 'flood',
      peers: 50,
      accounts: 2,
      clock: () => now,
      resolveFlood: { freeCalls: 3, windowSeconds: 600, firstWaitSeconds: 10, growthFactor: 3, maxWaitSeconds: 1000 },
    });
    const [a, b] = w.userAccounts.map((x) => x.userId) as [bigint, bigint];
    const name = w.usernamesOf(
      w.markedIdOf(w.allPeers.find((p) => p.kind === 'channel' && p.usernames.length > 0)!),
    )[0]!.username;
    const resolve = (acc: bigint) =>
      rpcErrorOf(() => callAs(w, acc, new Api.contacts.ResolveUsername({ username: name })));
    assert.deepEqual([resolve(a), resolve(a), resolve(a)], [null, null, null]);
    assert.equal(resolve(a), 'FLOOD_WAIT_10');
    now += 4;
    assert.equal(resolve(a), 'FLOOD_WAIT_6'); // still waiting: the remaining seconds
    assert.equal(resolve(b), null); // per account
    now += 6;
    assert.equal(resolve(a), 'FLOOD_WAIT_30'); // grows
    now += 30;
    assert.equal(resolve(a), 'FLOOD_WAIT_90');
    now += 90 + 600; // a new window: calls are counted from zero, but the growth is remembered
    assert.equal(resolve(a), null);
    // A full quiet window resets the growth.
    now += 601;
    assert.deepEqual([resolve(a), resolve(a), resolve(a), resolve(a)], [null, null, null, 'FLOOD_WAIT_10']);
  });
});

describe('messages.checkChatInvite', () => {
  const w = World.generate({ seed: 'invites', peers: 3000 });
  const acc = w.accounts[0]!.userId;
  const check = (hash: string) => callAs<Api.TypeChatInvite>(w, acc, new Api.messages.CheckChatInvite({ hash }));

  it('gives chatInviteAlready to members and chatInvite to others', () => {
    const live = w.inviteLinks.filter((l) => !l.expired);
    const member = live.find(
      (l) =>
        w.dialog(acc, l.peerId) &&
        w.peerDialogOutcome(acc, l.peerId) === 'dialog' &&
        w.chatAsSeenBy(acc, l.peerId).kind !== 'chatForbidden' &&
        !(w.chatAsSeenBy(acc, l.peerId) as { left?: boolean }).left,
    )!;
    const stranger = live.find((l) => !w.dialog(acc, l.peerId))!;
    assert.deepEqual(w.inviteSpecStrings(member), [
      `t.me/+${member.hash}`,
      `https://t.me/+${member.hash}`,
      `https://t.me/joinchat/${member.hash}`,
    ]);
    const already = check(member.hash);
    assert.ok(already instanceof Api.ChatInviteAlready);
    assert.equal(markedIdOfTl(already.chat), member.peerId);
    const invite = check(stranger.hash);
    assert.ok(invite instanceof Api.ChatInvite);
    const peer = w.peer(stranger.peerId)!;
    assert.equal(invite.title, peer.kind === 'user' ? '' : peer.title);
  });

  it('rejects expired and unknown hashes', () => {
    const expired = w.inviteLinks.find((l) => l.expired)!;
    assert.equal(
      rpcErrorOf(() => check(expired.hash)),
      'INVITE_HASH_EXPIRED',
    );
    assert.equal(
      rpcErrorOf(() => check('NoSuchInviteHash')),
      'INVITE_HASH_INVALID',
    );
  });
});
