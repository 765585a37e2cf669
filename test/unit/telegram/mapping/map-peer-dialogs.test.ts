import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { mapPeerDialogs } from '../../../../src/telegram/mapping/map-peer-dialogs.ts';
import { constructorKind, cleanText } from '../../../../src/telegram/mapping/tl-values.ts';
import { tlToJson } from '../../../../src/telegram/mapping/tl-json.ts';

const context = { accountId: 3, selfUserId: 900n };

function channelPeer(id: number) {
  return new Api.PeerChannel({ channelId: bigInt(id) });
}

function dialog(peer: Api.TypePeer, overrides: Partial<ConstructorParameters<typeof Api.Dialog>[0]> = {}) {
  return new Api.Dialog({
    peer,
    topMessage: 10,
    readInboxMaxId: 9,
    readOutboxMaxId: 8,
    unreadCount: 1,
    unreadMentionsCount: 2,
    unreadReactionsCount: 3,
    notifySettings: new Api.PeerNotifySettings({}),
    ...overrides,
  });
}

function user(id: number, fields: Partial<ConstructorParameters<typeof Api.User>[0]> = {}) {
  return new Api.User({ id: bigInt(id), firstName: `User ${id}`, ...fields });
}

function reply(fields: Partial<ConstructorParameters<typeof Api.messages.PeerDialogs>[0]>) {
  return new Api.messages.PeerDialogs({
    dialogs: [],
    messages: [],
    chats: [],
    users: [],
    state: new Api.updates.State({ pts: 5, qts: 6, date: 1_700_000_000, seq: 7, unreadCount: 8 }),
    ...fields,
  });
}

describe('mapPeerDialogs', () => {
  it('keeps one row per user, preferring the full copy over a min copy in either order', () => {
    const full = user(7, { accessHash: bigInt(11), phone: '15550001' });
    const min = user(7, { min: true, firstName: 'Min' });
    for (const users of [
      [min, full],
      [full, min],
    ]) {
      const rows = mapPeerDialogs(context, reply({ users }));
      assert.equal(rows.users.length, 1);
      assert.equal(rows.users[0]?.isMin, false);
      assert.equal(rows.users[0]?.firstName, 'User 7');
      assert.deepEqual(
        rows.accountUsers.map((row) => [row.userId, row.accessHash, row.phone]),
        [[7n, 11n, '15550001']],
      );
    }
  });

  it('never builds a per-account row from a min user or min channel', () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        users: [user(8, { min: true, accessHash: bigInt(99) })],
        chats: [
          new Api.Channel({
            id: bigInt(4),
            min: true,
            accessHash: bigInt(98),
            title: 'c',
            photo: new Api.ChatPhotoEmpty(),
            date: 0,
          }),
        ],
      }),
    );
    assert.equal(rows.users.length, 1);
    assert.equal(rows.accountUsers.length, 0);
    assert.equal(rows.channels.length, 1);
    assert.equal(rows.accountChannels.length, 0);
  });

  it('sorts rows by key so concurrent writers lock in one order', () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        users: [user(30), user(2), user(1000000000000)],
        dialogs: [
          dialog(channelPeer(5)),
          dialog(new Api.PeerUser({ userId: bigInt(9) })),
          dialog(new Api.PeerChat({ chatId: bigInt(1) })),
        ],
      }),
    );
    assert.deepEqual(
      rows.users.map((row) => row.id),
      [2n, 30n, 1000000000000n],
    );
    assert.deepEqual(
      rows.dialogs.map((row) => `${row.peerType}:${row.peerId}`),
      ['user:9', 'chat:1', 'channel:5'],
    );
  });

  it("maps Telegram's forever mute, timed mutes and drafts", () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        dialogs: [
          dialog(channelPeer(1), { notifySettings: new Api.PeerNotifySettings({ muteUntil: 2 ** 31 - 1 }), pts: 77 }),
          dialog(channelPeer(2), {
            notifySettings: new Api.PeerNotifySettings({ muteUntil: 1_800_000_000 }),
            draft: new Api.DraftMessage({ message: 'x', date: 1_700_000_001 }),
          }),
          dialog(channelPeer(3)),
        ],
      }),
    );
    const [forever, timed, unmuted] = rows.dialogs;
    assert.deepEqual([forever?.isMutedForever, forever?.mutedUntil, forever?.pts], [true, null, 77]);
    assert.deepEqual(
      [timed?.isMutedForever, timed?.mutedUntil, timed?.hasDraft, timed?.draftDate],
      [false, 1_800_000_000, true, 1_700_000_001],
    );
    assert.deepEqual([unmuted?.isMutedForever, unmuted?.mutedUntil, unmuted?.hasDraft], [false, null, false]);
  });

  it('skips DialogFolder entries, which are not dialogs with a peer', () => {
    const folder = new Api.DialogFolder({
      folder: new Api.Folder({ id: 1, title: 'Archive' }),
      peer: channelPeer(1),
      topMessage: 1,
      unreadMutedPeersCount: 0,
      unreadUnmutedPeersCount: 0,
      unreadMutedMessagesCount: 0,
      unreadUnmutedMessagesCount: 0,
    });
    assert.equal(mapPeerDialogs(context, reply({ dialogs: [folder] })).dialogs.length, 0);
  });

  it('derives senders: from_id when present, else the other user or the account itself in private chats', () => {
    const peer = new Api.PeerUser({ userId: bigInt(42) });
    const rows = mapPeerDialogs(
      context,
      reply({
        messages: [
          new Api.Message({ id: 1, peerId: peer, date: 1, message: 'in' }),
          new Api.Message({ id: 2, peerId: peer, date: 2, message: 'out', out: true }),
          new Api.Message({ id: 3, peerId: channelPeer(5), date: 3, message: 'post', post: true }),
          new Api.Message({
            id: 4,
            peerId: channelPeer(5),
            date: 4,
            message: 'grp',
            fromId: new Api.PeerUser({ userId: bigInt(6) }),
          }),
        ],
      }),
    );
    assert.deepEqual(
      rows.messages.map((row) => [row.id, row.senderType, row.senderId]),
      [
        [1, 'user', 42n],
        [2, 'user', 900n],
        [3, null, null],
        [4, 'user', 6n],
      ],
    );
  });

  it('cleans NUL from text and keeps media and service kinds', () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        messages: [
          new Api.Message({
            id: 1,
            peerId: channelPeer(5),
            date: 1,
            message: 'a\u0000b',
            media: new Api.MessageMediaGeo({ geo: new Api.GeoPointEmpty() }),
          }),
          new Api.MessageService({
            id: 2,
            peerId: channelPeer(6),
            date: 2,
            action: new Api.MessageActionChatCreate({ title: 't', users: [] }),
          }),
        ],
      }),
    );
    const [text, service] = rows.messages;
    assert.deepEqual([text?.kind, text?.text, text?.mediaKind], ['message', 'ab', 'geo']);
    assert.deepEqual([service?.kind, service?.serviceAction, service?.text], ['service', 'chat_create', null]);
  });

  it('lets a real message win over a tombstone for the same id', () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        messages: [
          new Api.MessageEmpty({ id: 1, peerId: channelPeer(5) }),
          new Api.Message({ id: 1, peerId: channelPeer(5), date: 1, message: 'real' }),
          new Api.MessageEmpty({ id: 1, peerId: channelPeer(5) }),
        ],
      }),
    );
    assert.deepEqual(
      rows.messages.map((row) => [row.kind, row.text]),
      [['message', 'real']],
    );
  });

  it('maps forbidden chats and channels as flagged partial copies with the channel access hash', () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        chats: [
          new Api.ChatForbidden({ id: bigInt(1), title: 'gone' }),
          new Api.ChannelForbidden({
            id: bigInt(2),
            accessHash: bigInt(-5),
            title: 'private',
            megagroup: true,
            untilDate: 1_900_000_000,
          }),
        ],
      }),
    );
    assert.deepEqual([rows.chats[0]?.isForbidden, rows.accountChats[0]?.isForbidden], [true, true]);
    assert.deepEqual(
      [
        rows.channels[0]?.isForbidden,
        rows.channels[0]?.isMegagroup,
        rows.accountChannels[0]?.accessHash,
        rows.accountChannels[0]?.forbiddenUntil,
      ],
      [true, true, -5n, 1_900_000_000],
    );
  });

  it('keeps all active usernames with the main one first', () => {
    const rows = mapPeerDialogs(
      context,
      reply({
        users: [
          user(1, {
            usernames: [
              new Api.Username({ username: 'main', editable: true, active: true }),
              new Api.Username({ username: 'extra', active: true }),
              new Api.Username({ username: 'old', active: false }),
            ],
          }),
        ],
      }),
    );
    assert.deepEqual([rows.users[0]?.username, rows.users[0]?.usernames], ['main', ['main', 'extra']]);
  });

  it('maps the state', () => {
    assert.deepEqual(mapPeerDialogs(context, reply({})).state, {
      accountId: 3,
      pts: 5,
      qts: 6,
      seq: 7,
      stateDate: 1_700_000_000,
      unreadCount: 8,
    });
  });
});

describe('TL value helpers', () => {
  it('turns constructor names into snake_case kinds', () => {
    assert.equal(constructorKind('MessageMediaWebPage', 'MessageMedia'), 'web_page');
    assert.equal(constructorKind('MessageActionChatMigrateTo', 'MessageAction'), 'chat_migrate_to');
  });

  it('removes NUL and repairs lone surrogates', () => {
    assert.equal(cleanText('a\u0000b\ud800c'), 'ab\ufffdc');
  });

  it('renders bytes as base64 and longs as strings in the stored object', () => {
    const json = tlToJson(
      new Api.Photo({
        id: bigInt('9007199254740993'),
        accessHash: bigInt(1),
        fileReference: Buffer.from([1, 2, 3]),
        date: 1,
        sizes: [],
        dcId: 2,
      }),
    ) as Record<string, unknown>;
    assert.equal(json._, 'Photo');
    assert.equal(json.id, '9007199254740993');
    assert.equal(json.fileReference, 'AQID');
    assert.equal(JSON.stringify(json).includes('CONSTRUCTOR_ID'), false);
  });
});
