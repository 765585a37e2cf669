/**
 * The raw object of a shared row keeps what every account may see and nothing one account sees alone
 * (issue 13): no access hash, phone, contact flags or saved contact name, membership, rights or min
 * marker; and a field the list does not know (a newer layer) is left out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { mapUser } from '../../../../src/telegram/mapping/map-users.ts';
import { sharedTlObject } from '../../../../src/telegram/mapping/shared-tl-object.ts';

const contactCopy = () =>
  new Api.User({
    id: bigInt(7),
    accessHash: bigInt('8111222333444555666'),
    contact: true,
    mutualContact: true,
    closeFriend: true,
    self: false,
    firstName: 'Mom (private label)',
    lastName: 'Saved',
    username: 'ann_public',
    phone: '15550104242',
    photo: new Api.UserProfilePhoto({ photoId: bigInt(5), dcId: 2, personal: true }),
    status: new Api.UserStatusRecently({}),
    premium: true,
    storiesMaxId: 4,
  });

describe('sharedTlObject', () => {
  it("leaves a user's per-account fields out and keeps the public ones", () => {
    const json = sharedTlObject(contactCopy()) as Record<string, unknown>;
    assert.deepEqual(json, { _: 'User', id: '7', username: 'ann_public', premium: true });
    const text = JSON.stringify(json);
    for (const secret of ['8111222333444555666', '15550104242', 'private label', 'Saved'])
      assert.ok(!text.includes(secret), secret);
  });

  it("keeps a non-contact's own name and a photo that is not personal", () => {
    const json = sharedTlObject(
      new Api.User({
        id: bigInt(8),
        firstName: 'Ann',
        lastName: 'Public',
        photo: new Api.UserProfilePhoto({ photoId: bigInt(6), dcId: 2 }),
      }),
    ) as Record<string, unknown>;
    assert.equal(json.firstName, 'Ann');
    assert.equal(json.lastName, 'Public');
    assert.equal((json.photo as Record<string, unknown>)._, 'UserProfilePhoto');
  });

  it("leaves a channel's access hash, join date, rights and min marker out", () => {
    const channel = new Api.Channel({
      id: bigInt(9),
      accessHash: bigInt('7000111222333444555'),
      title: 'News',
      photo: new Api.ChatPhotoEmpty(),
      date: 1_700_000_000,
      creator: true,
      min: false,
      left: true,
      broadcast: true,
      adminRights: new Api.ChatAdminRights({ postMessages: true }),
      participantsCount: 12,
    });
    assert.deepEqual(sharedTlObject(channel), {
      _: 'Channel',
      id: '9',
      broadcast: true,
      title: 'News',
      photo: { _: 'ChatPhotoEmpty' },
      participantsCount: 12,
    });
    assert.deepEqual(
      sharedTlObject(new Api.ChannelForbidden({ id: bigInt(9), accessHash: bigInt(77), title: 'Gone', untilDate: 5 })),
      { _: 'ChannelForbidden', id: '9', title: 'Gone' },
    );
  });

  it("keeps a migrated group's supergroup id without this account's access hash", () => {
    const chat = new Api.Chat({
      id: bigInt(3),
      title: 'Old group',
      photo: new Api.ChatPhotoEmpty(),
      participantsCount: 3,
      date: 1_600_000_000,
      version: 1,
      creator: true,
      deactivated: true,
      migratedTo: new Api.InputChannel({ channelId: bigInt(9), accessHash: bigInt('6000111222333444555') }),
    });
    const json = sharedTlObject(chat) as Record<string, unknown>;
    assert.deepEqual(json.migratedTo, { _: 'InputChannel', channelId: '9' });
    assert.equal(json.creator, undefined);
    assert.ok(!JSON.stringify(json).includes('6000111222333444555'));
  });

  it('leaves out a field it does not know (a newer API layer)', () => {
    const user = new Api.User({ id: bigInt(10), firstName: 'New' });
    (user as unknown as Record<string, unknown>).someFutureField = 'per account, maybe';
    assert.equal((sharedTlObject(user) as Record<string, unknown>).someFutureField, undefined);
  });
});

describe('mapUser', () => {
  it("gives the shared row no name from a contact's copy and keeps the label in account_users", () => {
    const mapped = mapUser(3, contactCopy())!;
    assert.equal(mapped.user.firstName, null);
    assert.equal(mapped.user.lastName, null);
    assert.equal(mapped.user.namesArePersonal, true);
    assert.equal(mapped.accountUser?.firstName, 'Mom (private label)');
    assert.equal(mapped.accountUser?.phone, '15550104242');
  });
});
