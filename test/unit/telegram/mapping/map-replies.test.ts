/**
 * The gateway hands the run plain results instead of GramJS's objects: these pin that the results
 * say what the run used to read from the objects itself (entity rows merged across replies as one
 * mapping of them all, a dialog page's facts, the basic groups and channels of the lookups).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { mapDialogsPage } from '../../../../src/telegram/mapping/map-dialogs-page.ts';
import { mapBasicGroups, mapChannelAnswers, mapInviteCheck } from '../../../../src/telegram/mapping/map-lookups.ts';
import { mapEntities, mergeEntities } from '../../../../src/telegram/mapping/map-peer-dialogs.ts';

const ACCOUNT = 3;

function user(id: number, fields: Partial<ConstructorParameters<typeof Api.User>[0]> = {}) {
  return new Api.User({ id: bigInt(id), firstName: `User ${id}`, accessHash: bigInt(id * 10), ...fields });
}

function channel(id: number, fields: Partial<ConstructorParameters<typeof Api.Channel>[0]> = {}) {
  return new Api.Channel({
    id: bigInt(id),
    title: `Channel ${id}`,
    photo: new Api.ChatPhotoEmpty(),
    date: 1_700_000_000,
    accessHash: bigInt(id * 10),
    ...fields,
  });
}

function chat(id: number, fields: Partial<ConstructorParameters<typeof Api.Chat>[0]> = {}) {
  return new Api.Chat({
    id: bigInt(id),
    title: `Group ${id}`,
    photo: new Api.ChatPhotoEmpty(),
    participantsCount: 3,
    date: 1_700_000_000,
    version: 1,
    ...fields,
  });
}

describe('mergeEntities', () => {
  it('gives the rows one mapping of all the replies gives, whatever copies they repeat', () => {
    const replies: { users: Api.TypeUser[]; chats: Api.TypeChat[] }[] = [
      { users: [user(7, { min: true, firstName: 'Min' }), user(2)], chats: [channel(5, { min: true }), chat(4)] },
      { users: [user(7), user(9)], chats: [channel(5), chat(4, { title: 'Renamed' })] },
      { users: [user(7, { min: true, firstName: 'Min again' }), user(2, { firstName: 'Later' })], chats: [] },
    ];
    const merged = mergeEntities(replies.map((reply) => mapEntities(ACCOUNT, reply.users, reply.chats)));
    const atOnce = mapEntities(
      ACCOUNT,
      replies.flatMap((reply) => reply.users),
      replies.flatMap((reply) => reply.chats),
    );
    assert.deepEqual(merged, atOnce);
    assert.equal(merged.users.find((row) => row.id === 7n)?.isMin, false);
    assert.deepEqual(mergeEntities([]), mapEntities(ACCOUNT, [], []));
  });
});

describe('mapDialogsPage', () => {
  it('tells a slice from the whole list and gives each dialog the facts rules read', () => {
    const now = 1_700_000_000;
    const reply = new Api.messages.DialogsSlice({
      count: 250,
      dialogs: [
        new Api.Dialog({
          peer: new Api.PeerUser({ userId: bigInt(7) }),
          topMessage: 41,
          readInboxMaxId: 0,
          readOutboxMaxId: 0,
          unreadCount: 0,
          unreadMentionsCount: 0,
          unreadReactionsCount: 0,
          notifySettings: new Api.PeerNotifySettings({ muteUntil: now + 60 }),
        }),
        new Api.Dialog({
          peer: new Api.PeerChannel({ channelId: bigInt(5) }),
          topMessage: 12,
          readInboxMaxId: 0,
          readOutboxMaxId: 0,
          unreadCount: 0,
          unreadMentionsCount: 0,
          unreadReactionsCount: 0,
          notifySettings: new Api.PeerNotifySettings({}),
        }),
      ],
      messages: [
        new Api.Message({ id: 41, peerId: new Api.PeerUser({ userId: bigInt(7) }), date: now - 5, message: 'hi' }),
      ],
      users: [
        user(7, {
          bot: true,
          contact: true,
          username: 'Bot_Seven',
          usernames: [
            new Api.Username({ username: 'seven', active: true }),
            new Api.Username({ username: 'old', active: false }),
          ],
        }),
      ],
      chats: [channel(5, { broadcast: true })],
    });
    const page = mapDialogsPage(ACCOUNT, reply);
    assert.ok(page.kind === 'slice');
    assert.equal(page.count, 250);
    assert.deepEqual(page.entities, mapEntities(ACCOUNT, reply.users, reply.chats));
    assert.deepEqual(page.dialogs, [
      {
        peer: { peerType: 'user', peerId: 7n },
        topMessageId: 41,
        topMessageDate: now - 5,
        muteUntil: now + 60,
        isBot: true,
        isContact: true,
        broadcast: null,
        usernames: ['bot_seven', 'seven'],
      },
      {
        peer: { peerType: 'channel', peerId: 5n },
        topMessageId: 12,
        topMessageDate: null,
        muteUntil: null,
        isBot: false,
        isContact: false,
        broadcast: true,
        usernames: [],
      },
    ]);
    assert.deepEqual(mapDialogsPage(ACCOUNT, new Api.messages.DialogsNotModified({ count: 3 })), {
      kind: 'not-modified',
    });
    const whole = mapDialogsPage(
      ACCOUNT,
      new Api.messages.Dialogs({ dialogs: [], messages: [], users: [], chats: [] }),
    );
    assert.equal(whole.kind, 'list');
  });
});

describe('lookups', () => {
  it('answers getChats with basic groups only, and where an upgraded one went', () => {
    const upgraded = chat(4, {
      migratedTo: new Api.InputChannel({ channelId: bigInt(50), accessHash: bigInt(500) }),
      deactivated: true,
    });
    const reply = new Api.messages.Chats({ chats: [upgraded, chat(6), channel(4)] });
    const groups = mapBasicGroups(ACCOUNT, reply);
    assert.deepEqual(groups.groups, [
      { chatId: 4n, upgradedTo: { peerType: 'channel', peerId: 50n, accessHash: 500n } },
      { chatId: 6n, upgradedTo: null },
    ]);
    assert.deepEqual(groups.entities.channels, [], "a channel with a group's id is not stored from getChats");
    assert.deepEqual(
      groups.entities.chats.map((row) => row.id),
      [4n, 6n],
    );
  });

  it('answers getChannels with membership, and every chat of the reply as rows', () => {
    const reply = new Api.messages.Chats({
      chats: [
        channel(5),
        channel(8, { left: true }),
        new Api.ChannelForbidden({ id: bigInt(9), accessHash: bigInt(1), title: 'x' }),
      ],
    });
    const answers = mapChannelAnswers(ACCOUNT, reply);
    assert.deepEqual(answers.channels, [
      { channelId: 5n, member: true },
      { channelId: 8n, member: false },
      { channelId: 9n, member: false },
    ]);
    assert.deepEqual(answers.entities, mapEntities(ACCOUNT, [], reply.chats));
  });

  it('names a peer only for an invite whose chat the account joined', () => {
    assert.deepEqual(
      mapInviteCheck(
        ACCOUNT,
        new Api.ChatInvite({
          title: 'x',
          photo: new Api.PhotoEmpty({ id: bigInt(0) }),
          participantsCount: 1,
          color: 0,
        }),
      ),
      { joined: false },
    );
    const joined = mapInviteCheck(ACCOUNT, new Api.ChatInviteAlready({ chat: channel(5) }));
    assert.ok(joined.joined);
    assert.deepEqual(joined.peer, { peerType: 'channel', peerId: 5n });
    assert.deepEqual(
      joined.entities.channels.map((row) => row.id),
      [5n],
    );
  });
});
