import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Api } from 'telegram';
import { World } from '../../src/world/index.ts';
import { callAs, rpcErrorOf } from '../../src/world/test-support.ts';

const world = World.generate({ seed: 'folders', peers: 400, accounts: 2 });
const [me, other] = world.userAccounts.map((a) => a.userId) as [bigint, bigint];
const dialogs = world.dialogsOf(me);
const marked = (view: (typeof dialogs)[number]) => view.peer;

describe('messages.getDialogFilters in the world', () => {
  it('lists "All chats" first, then the account’s folders with its own access hashes', () => {
    const channel = dialogs.map(marked).find((peer) => peer < -1_000_000_000_000n)!;
    const user = dialogs.map(marked).find((peer) => peer > 0n)!;
    world.setDialogFilter(me, {
      id: 2,
      title: 'News',
      includePeers: [channel],
      pinnedPeers: [user],
      excludePeers: [],
      broadcasts: true,
      excludeMuted: true,
    });
    world.setDialogFilter(me, {
      id: 3,
      title: 'Shared',
      chatlist: true,
      includePeers: [channel],
      pinnedPeers: [],
      excludePeers: [],
    });
    const reply = callAs<Api.messages.DialogFilters>(world, me, new Api.messages.GetDialogFilters());
    assert.deepEqual(
      reply.filters.map((filter) => filter.className),
      ['DialogFilterDefault', 'DialogFilter', 'DialogFilterChatlist'],
    );
    const news = reply.filters[1] as Api.DialogFilter;
    assert.equal(news.title.text, 'News');
    assert.equal(news.broadcasts, true);
    assert.equal(news.excludeMuted, true);
    const input = news.includePeers[0] as Api.InputPeerChannel;
    assert.equal(BigInt(input.accessHash.toString()), world.accessHash(me, channel));
    // The other account has no folders.
    assert.deepEqual(
      callAs<Api.messages.DialogFilters>(world, other, new Api.messages.GetDialogFilters()).filters.map(
        (f) => f.className,
      ),
      ['DialogFilterDefault'],
    );
  });

  it('computes which dialogs a folder shows by Telegram’s rule', () => {
    const broadcasts = dialogs.map(marked).filter((peer) => {
      const record = world.peer(peer);
      return record?.kind === 'channel' && record.broadcast;
    });
    assert.ok(broadcasts.length > 5);
    const [excluded] = broadcasts;
    world.setDialogFilter(me, {
      id: 4,
      title: 'Channels',
      includePeers: [],
      pinnedPeers: [],
      excludePeers: [excluded!],
      broadcasts: true,
    });
    const shown = new Set(world.dialogFilterPeers(me, 4));
    assert.equal(shown.has(excluded!), false);
    for (const peer of broadcasts.slice(1)) assert.equal(shown.has(peer), true, `broadcast ${peer}`);
    for (const peer of shown) assert.ok(broadcasts.includes(peer));
    assert.deepEqual(world.dialogFilterPeers(me, 3), [dialogs.map(marked).find((peer) => peer < -1_000_000_000_000n)]);
  });

  it('refuses bots', () => {
    const bot = world.botAccounts[0]!.userId;
    assert.equal(
      rpcErrorOf(() => callAs(world, bot, new Api.messages.GetDialogFilters())),
      'BOT_METHOD_INVALID',
    );
  });
});
