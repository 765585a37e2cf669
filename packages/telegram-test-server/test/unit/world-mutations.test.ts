import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { NUL_TEXT, World, toBigInteger, unmark } from '../../src/world/index.ts';
import {
  callAs,
  expectedDialogsReply,
  markedIdOfTl,
  peerDialogsRequest,
  plainDialogsReply,
  rpcErrorOf,
} from '../../src/world/test-support.ts';

function setup(seed = 'mutations') {
  let now = 1_800_000_000;
  const world = World.generate({ seed, peers: 600, accounts: 2, clock: () => now });
  const [a, b] = world.userAccounts.map((x) => x.userId) as [bigint, bigint];
  const both = world.peerDialogPeers(a).filter((p) => world.peerDialogOutcome(b, p) === 'dialog');
  const pick = (pred: (p: bigint) => boolean) => both.find(pred)!;
  const channel = pick((p) => world.peer(p)?.kind === 'channel' && (world.peer(p) as { broadcast: boolean }).broadcast);
  const group = pick(
    (p) =>
      world.peer(p)?.kind === 'chat' &&
      world.chatAsSeenBy(a, p).kind === 'chat' &&
      !(world.chatAsSeenBy(a, p) as { deactivated: boolean }).deactivated &&
      world.chatAsSeenBy(b, p).kind === 'chat' &&
      !(world.chatAsSeenBy(b, p) as { left: boolean }).left &&
      !(world.chatAsSeenBy(a, p) as { left: boolean }).left,
  );
  const peerDialogs = (acc: bigint, peers: bigint[]) =>
    callAs<Api.messages.PeerDialogs>(world, acc, peerDialogsRequest(world, acc, peers));
  const matches = (acc: bigint, peers: bigint[]) =>
    assert.deepEqual(plainDialogsReply(peerDialogs(acc, peers)), expectedDialogsReply(world, acc, peers));
  return { world, a, b, channel, group, peerDialogs, matches, tick: (s: number) => (now += s) };
}

describe('world mutations', () => {
  it('a new channel post becomes the top message, bumps unread and the channel pts for every member', () => {
    const { world, a, b, channel, peerDialogs, matches } = setup();
    const before = [world.dialog(a, channel)!, world.dialog(b, channel)!];
    const posted = world.postMessage(channel, { text: 'breaking news' });
    assert.equal(posted.channelMessageId, before[0]!.topMessage + 1);
    for (const [i, acc] of [a, b].entries()) {
      const d = world.dialog(acc, channel)!;
      assert.equal(d.topMessage, posted.channelMessageId);
      assert.equal(d.unreadCount, before[i]!.unreadCount + 1);
      assert.equal(d.pts, before[i]!.pts! + 1);
      assert.equal(world.message(acc, channel, d.topMessage)?.text, 'breaking news');
      matches(acc, [channel]);
    }
    const reply = peerDialogs(a, [channel]);
    assert.equal((reply.messages[0] as Api.Message).message, 'breaking news');
  });

  it('a basic-group message gets a different id per account and bumps each account’s pts', () => {
    const { world, a, b, group, matches } = setup();
    const pts = [world.accountUpdateState(a).pts, world.accountUpdateState(b).pts];
    const posted = world.postMessage(group, { text: 'hi all' });
    assert.equal(posted.ids.size, 2);
    assert.notEqual(posted.ids.get(a), posted.ids.get(b));
    assert.equal(world.accountUpdateState(a).pts, pts[0]! + 1);
    assert.equal(world.accountUpdateState(b).pts, pts[1]! + 1);
    for (const acc of [a, b]) {
      assert.equal(world.dialog(acc, group)!.topMessage, posted.ids.get(acc));
      matches(acc, [group]);
    }
  });

  it('a private message creates the dialog when missing, on both sides when the peer is an account', () => {
    const { world, a, b, matches } = setup();
    const stranger = world
      .omittedPeers(a)
      .find((p) => p > 0n && world.peer(p)?.kind === 'user' && !(world.peer(p) as { bot: boolean }).bot)!;
    assert.equal(world.dialog(a, stranger), null);
    world.postMessage(stranger, { accountUserId: a, text: 'hello stranger' });
    assert.equal(world.dialog(a, stranger)!.unreadCount, 1);
    matches(a, [stranger]);
    world.postMessage(b, { accountUserId: a, out: true, text: 'ping' });
    assert.equal(world.message(a, b, world.dialog(a, b)!.topMessage)!.out, true);
    assert.equal(world.message(b, a, world.dialog(b, a)!.topMessage)!.out, false);
    assert.equal(world.message(b, a, world.dialog(b, a)!.topMessage)!.text, 'ping');
  });

  it('an edit changes the text and editDate and bumps pts, the top message stays', () => {
    const { world, a, channel, group, matches } = setup();
    const top = world.dialog(a, channel)!.topMessage;
    const pts = world.dialog(a, channel)!.pts!;
    const target = top - 1;
    world.editMessage(channel, target, 'fixed typo');
    assert.equal(world.message(a, channel, target)?.text, 'fixed typo');
    assert.ok(world.message(a, channel, target)!.editDate! > 0);
    assert.equal(world.dialog(a, channel)!.topMessage, top);
    assert.equal(world.dialog(a, channel)!.pts, pts + 1);
    const groupTop = world.dialog(a, group)!.topMessage;
    const accountPts = world.accountUpdateState(a).pts;
    if (world.message(a, group, groupTop)!.action === null) {
      world.editMessage(group, groupTop, 'edited in group', a);
      assert.equal(world.message(a, group, groupTop)!.text, 'edited in group');
      assert.equal(world.accountUpdateState(a).pts, accountPts + 1);
    }
    matches(a, [channel, group]);
  });

  it('renames: users change their own name (contacts keep theirs), groups post a title-change message', () => {
    const { world, a, channel, matches } = setup();
    const user = world
      .peerDialogPeers(a)
      .find((p) => p > 0n && !world.userAsSeenBy(a, p).contact && !world.userAsSeenBy(a, p).self)!;
    world.renamePeer(user, { firstName: 'Renamed', lastName: 'Person' });
    assert.equal(world.userAsSeenBy(a, user).firstName, 'Renamed');
    const contact = world.allPeers.find((p) => p.kind === 'user' && world.userAsSeenBy(a, p.id).contact)!;
    const shownBefore = world.userAsSeenBy(a, contact.id).firstName;
    world.renamePeer(contact.id, { firstName: 'Someone Else' });
    assert.equal(world.userAsSeenBy(a, contact.id).firstName, shownBefore);
    const pts = world.dialog(a, channel)!.pts!;
    world.renamePeer(channel, { title: 'New Title' });
    assert.equal(
      world.chatAsSeenBy(a, channel).kind === 'channel' && world.chatAsSeenBy(a, channel).title,
      'New Title',
    );
    assert.deepEqual(world.topMessage(a, channel)?.action, { type: 'editTitle', title: 'New Title' });
    assert.equal(world.dialog(a, channel)!.pts, pts + 1);
    matches(a, [user, channel]);
  });

  it('username changes: the old name stops resolving, the new one resolves, usernames[] follows', () => {
    const { world, a } = setup();
    const resolve = (name: string) =>
      rpcErrorOf(() => callAs(world, a, new Api.contacts.ResolveUsername({ username: name })));
    const user = world.allPeers.find((p) => p.kind === 'user' && p.usernames.length === 1 && p.accountIndex === null)!;
    const old = user.kind === 'user' ? user.usernames[0]!.username : '';
    world.changeUsername(user.id, 'brand_new_name');
    assert.equal(resolve(old), 'USERNAME_NOT_OCCUPIED');
    assert.equal(resolve('brand_new_name'), null);
    world.addUsername(user.id, 'second_name_here');
    assert.deepEqual(
      world.userAsSeenBy(a, user.id).usernames?.map((u) => u.username),
      ['brand_new_name', 'second_name_here'],
    );
    assert.equal(world.userAsSeenBy(a, user.id).username, 'brand_new_name');
    world.removeUsername(user.id, 'brand_new_name');
    assert.equal(resolve('brand_new_name'), 'USERNAME_NOT_OCCUPIED');
    assert.equal(world.userAsSeenBy(a, user.id).username, null);
    assert.deepEqual(world.userAsSeenBy(a, user.id).usernames, [
      { username: 'second_name_here', active: true, editable: false },
    ]);
    assert.throws(() => world.addUsername(user.id, world.accounts[0]!.username!));
  });

  it('a channel made private: non-members get CHANNEL_PRIVATE, members keep it; restore undoes it', () => {
    const { world, a, b } = setup();
    const publicChannel = world.allPeers.find(
      (p) =>
        p.kind === 'channel' &&
        p.usernames.length > 0 &&
        world.dialog(a, world.markedIdOf(p)) &&
        !world.dialog(b, world.markedIdOf(p)) &&
        world.peerDialogOutcome(a, world.markedIdOf(p)) === 'dialog',
    )!;
    const marked = world.markedIdOf(publicChannel);
    const call = (acc: bigint) => rpcErrorOf(() => callAs(world, acc, peerDialogsRequest(world, acc, [marked])));
    assert.equal(call(b), null); // omitted, no error
    world.makeChannelPrivate(marked);
    assert.equal(call(b), 'CHANNEL_PRIVATE');
    assert.equal(call(a), null);
    const { id } = unmark(marked);
    const getChannels = callAs<Api.messages.Chats>(
      world,
      b,
      new Api.channels.GetChannels({
        id: [
          new Api.InputChannel({ channelId: toBigInteger(id), accessHash: toBigInteger(world.accessHash(b, marked)) }),
        ],
      }),
    );
    assert.ok(getChannels.chats[0] instanceof Api.ChannelForbidden);
    world.restoreAccess(marked);
    assert.equal(call(b), null);
    assert.ok(world.usernamesOf(marked).length > 0);
  });

  it('kicking an account: CHANNEL_PRIVATE for getPeerDialogs, channelForbidden in getDialogs', () => {
    const { world, a, b, channel } = setup();
    world.kickAccount(a, channel);
    assert.equal(
      rpcErrorOf(() => callAs(world, a, peerDialogsRequest(world, a, [channel]))),
      'CHANNEL_PRIVATE',
    );
    assert.equal(
      rpcErrorOf(() => callAs(world, b, peerDialogsRequest(world, b, [channel]))),
      null,
    );
    world.patchDialog(a, channel, { pinnedRank: 1, folderId: 0 }); // first page
    const page = callAs<Api.messages.DialogsSlice>(
      world,
      a,
      new Api.messages.GetDialogs({
        offsetDate: 0,
        offsetId: 0,
        offsetPeer: new Api.InputPeerEmpty(),
        limit: 10,
        hash: bigInt.zero,
      }),
    );
    assert.ok(page.dialogs.some((d) => markedIdOfTl((d as Api.Dialog).peer) === channel));
    const forbidden = page.chats.find((c) => markedIdOfTl(c) === channel);
    assert.ok(forbidden instanceof Api.ChannelForbidden);
    assert.equal(forbidden.accessHash.toString(), world.accessHash(a, channel).toString());
    assert.equal(world.chatAsSeenBy(a, channel).kind, 'channelForbidden');
    world.restoreAccess(channel, a);
    assert.equal(
      rpcErrorOf(() => callAs(world, a, peerDialogsRequest(world, a, [channel]))),
      null,
    );
  });

  it('banning an account keeps its dialog: getPeerDialogs succeeds with a channelForbidden (until_date when temporary)', () => {
    const { world, a, b, channel, peerDialogs, matches } = setup();
    const frozen = world.dialog(a, channel)!;
    world.banAccount(a, channel, { untilDate: 1_900_000_000 });
    assert.equal(world.peerDialogOutcome(a, channel), 'dialog');
    const reply = peerDialogs(a, [channel]);
    assert.deepEqual(
      reply.dialogs.map((d) => markedIdOfTl((d as Api.Dialog).peer)),
      [channel],
    );
    const forbidden = reply.chats.find((c) => markedIdOfTl(c) === channel);
    assert.ok(forbidden instanceof Api.ChannelForbidden);
    assert.equal(forbidden.untilDate, 1_900_000_000);
    assert.equal(forbidden.accessHash.toString(), world.accessHash(a, channel).toString());
    matches(a, [channel]);
    // Nothing new reaches a banned account's dialog; the other account's moves on.
    world.postMessage(channel, { text: 'after the ban' });
    assert.equal(world.dialog(a, channel)!.topMessage, frozen.topMessage);
    assert.equal(world.dialog(b, channel)!.topMessage, frozen.topMessage + 1);
    world.banAccount(a, channel);
    assert.equal(
      (peerDialogs(a, [channel]).chats.find((c) => markedIdOfTl(c) === channel) as Api.ChannelForbidden).untilDate,
      undefined,
      'a permanent ban has no until_date',
    );
    world.restoreAccess(channel, a);
    assert.ok(peerDialogs(a, [channel]).chats.find((c) => markedIdOfTl(c) === channel) instanceof Api.Channel);
  });

  it('a deleted dialog is omitted by getPeerDialogs while the peer still resolves; a new message brings it back', () => {
    const { world, a, peerDialogs } = setup();
    const user = world
      .peerDialogPeers(a)
      .find(
        (p) =>
          p > 0n &&
          world.usernamesOf(p).length > 0 &&
          (world.peer(p) as { accountIndex: number | null }).accountIndex === null,
      )!;
    const channel = world
      .peerDialogPeers(a)
      .find((p) => world.peer(p)?.kind === 'channel' && world.usernamesOf(p).some((u) => u.active))!;
    for (const peer of [user, channel]) {
      world.deleteDialog(a, peer);
      assert.equal(world.dialog(a, peer), null);
      assert.equal(world.peerDialogOutcome(a, peer), 'omitted');
      const reply = peerDialogs(a, [peer]);
      assert.deepEqual([reply.dialogs.length, reply.chats.length, reply.users.length], [0, 0, 0]);
      const name = world.usernamesOf(peer).find((u) => u.active)!.username;
      assert.equal(
        rpcErrorOf(() => callAs(world, a, new Api.contacts.ResolveUsername({ username: name }))),
        null,
        'the peer still resolves',
      );
    }
    world.postMessage(user, { text: 'hello again', accountUserId: a });
    assert.equal(world.peerDialogOutcome(a, user), 'dialog');
    assert.deepEqual(
      peerDialogs(a, [user]).dialogs.map((d) => markedIdOfTl((d as Api.Dialog).peer)),
      [user],
    );
    world.addDialog(a, channel);
    assert.equal(world.peerDialogOutcome(a, channel), 'dialog');
  });

  it('a deleted channel: CHANNEL_PRIVATE, no dialog, username free; restore brings it back', () => {
    const { world, a } = setup();
    const ch = world.allPeers.find(
      (p) =>
        p.kind === 'channel' && p.usernames.length > 0 && world.peerDialogOutcome(a, world.markedIdOf(p)) === 'dialog',
    )!;
    const marked = world.markedIdOf(ch);
    const name = world.usernamesOf(marked)[0]!.username;
    const count = world.dialogsOf(a).length;
    world.deleteChannel(marked);
    assert.equal(
      rpcErrorOf(() => callAs(world, a, peerDialogsRequest(world, a, [marked]))),
      'CHANNEL_PRIVATE',
    );
    assert.equal(world.dialog(a, marked), null);
    assert.equal(world.dialogsOf(a).length, count - 1);
    assert.equal(
      rpcErrorOf(() => callAs(world, a, new Api.contacts.ResolveUsername({ username: name }))),
      'USERNAME_NOT_OCCUPIED',
    );
    world.restoreAccess(marked);
    assert.equal(world.dialogsOf(a).length, count);
    assert.equal(
      rpcErrorOf(() => callAs(world, a, new Api.contacts.ResolveUsername({ username: name }))),
      null,
    );
  });

  it('a deleted user account comes as User{deleted} without names, usernames or phone', () => {
    const { world, a, matches } = setup();
    const user = world
      .peerDialogPeers(a)
      .find(
        (p) =>
          p > 0n &&
          world.usernamesOf(p).length > 0 &&
          world.peer(p)?.kind === 'user' &&
          (world.peer(p) as { accountIndex: number | null }).accountIndex === null,
      )!;
    const name = world.usernamesOf(user)[0]!.username;
    world.deleteUserAccount(user);
    const reply = callAs<Api.messages.PeerDialogs>(world, a, peerDialogsRequest(world, a, [user]));
    const tlUser = reply.users.find((u) => markedIdOfTl(u) === user) as Api.User;
    assert.equal(tlUser.deleted, true);
    assert.equal(tlUser.firstName, undefined);
    assert.equal(tlUser.username, undefined);
    assert.equal(tlUser.phone, undefined);
    assert.equal(tlUser.status, undefined);
    assert.equal(
      rpcErrorOf(() => callAs(world, a, new Api.contacts.ResolveUsername({ username: name }))),
      'USERNAME_NOT_OCCUPIED',
    );
    matches(a, [user]);
  });

  it('puts NUL characters into message text', () => {
    const { world, a, channel, peerDialogs } = setup();
    world.postNulMessage(channel);
    const text = (peerDialogs(a, [channel]).messages[0] as Api.Message).message;
    assert.equal(text, NUL_TEXT);
    assert.ok(text.includes('\u0000'));
  });

  it('changes the state date only through calls, and content only through mutations', () => {
    const { world, a, channel, peerDialogs } = setup();
    const first = plainDialogsReply(peerDialogs(a, [channel]));
    assert.deepEqual(plainDialogsReply(peerDialogs(a, [channel])), first);
    world.patchDialog(a, channel, {
      unreadMark: true,
      muteUntil: 2 ** 31 - 1,
      draft: { text: 'draft!', date: 1_799_999_999 },
    });
    const after = plainDialogsReply(peerDialogs(a, [channel]));
    assert.notDeepEqual(after, first);
    assert.equal(after.dialogs[0]!.draft, '1799999999:draft!');
    assert.equal(after.dialogs[0]!.muteUntil, 2 ** 31 - 1);
  });
});

describe('hand-made worlds', () => {
  it('can be built explicitly and answer like generated ones', () => {
    const world = World.generate({ seed: 1, peers: 0 });
    const me = world.accounts[0]!.userId;
    const news = world.addChannel({
      title: 'News',
      usernames: ['news_here', { username: 'news_alias', active: true, editable: false }],
    });
    const bob = world.addUser({ firstName: 'Bob', usernames: ['bob_the_user'] });
    const same = world.addChannel({ id: bob, title: 'Same raw id as Bob', usernames: ['same_id_channel'] });
    world.addDialog(me, news, { unreadCount: 3, pinnedRank: 1 });
    world.addDialog(me, bob);
    const reply = callAs<Api.messages.PeerDialogs>(world, me, peerDialogsRequest(world, me, [news, bob, same]));
    assert.deepEqual(plainDialogsReply(reply), expectedDialogsReply(world, me, [news, bob, same]));
    assert.deepEqual(
      reply.dialogs.map((d) => markedIdOfTl((d as Api.Dialog).peer)),
      [news, bob],
    );
    assert.equal((reply.dialogs[0] as Api.Dialog).unreadCount, 3);
    assert.deepEqual(world.specStrings(news), [
      '@news_here',
      'news_here',
      'https://t.me/news_here',
      't.me/news_here',
      'tg://resolve?domain=news_here',
      String(news),
    ]);
    assert.equal(same, -(10n ** 12n + bob));
  });
});
