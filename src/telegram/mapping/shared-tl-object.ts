import type { Api } from 'telegram';
import { tlToJson } from './tl-json.ts';

/**
 * The raw object kept in a shared table (`users.tl_object`, `chats.tl_object`, `channels.tl_object`):
 * the constructor as every account may see it. Telegram sends each account its own copy of a user or
 * channel — its access hash, the phone and the name it saved a contact under, contact and
 * mutual-contact flags, its membership, rights and join date, `min` markers — and the shared row is
 * written by whichever account synced last, so those fields would leak one account's view to every
 * reader of the shared table. They live in the `account_*` tables instead.
 *
 * An allow-list, not a deny-list: a field that a newer API layer adds is left out until someone
 * decides that it is the same for every account (GramJS is pinned, so that is a deliberate change).
 * The lists follow layer 198's constructors (`telegram@2.26.22`).
 */
const PUBLIC_FIELDS = {
  User: [
    'id',
    'deleted',
    'bot',
    'botChatHistory',
    'botNochats',
    'verified',
    'restricted',
    'botInlineGeo',
    'support',
    'scam',
    'fake',
    'botAttachMenu',
    'premium',
    'botBusiness',
    'botHasMainApp',
    'username',
    'botInfoVersion',
    'restrictionReason',
    'botInlinePlaceholder',
    'langCode',
    'emojiStatus',
    'usernames',
    'color',
    'profileColor',
    'botActiveUsers',
    'botVerificationIcon',
  ],
  Chat: [
    'id',
    'deactivated',
    'callActive',
    'callNotEmpty',
    'noforwards',
    'title',
    'photo',
    'participantsCount',
    'date',
    'version',
    'defaultBannedRights',
  ],
  ChatForbidden: ['id', 'title'],
  Channel: [
    'id',
    'broadcast',
    'verified',
    'megagroup',
    'restricted',
    'signatures',
    'scam',
    'hasLink',
    'hasGeo',
    'slowmodeEnabled',
    'callActive',
    'callNotEmpty',
    'fake',
    'gigagroup',
    'noforwards',
    'joinToSend',
    'joinRequest',
    'forum',
    'signatureProfiles',
    'title',
    'username',
    'photo',
    'restrictionReason',
    'defaultBannedRights',
    'participantsCount',
    'usernames',
    'color',
    'profileColor',
    'emojiStatus',
    'level',
    'botVerificationIcon',
  ],
  ChannelForbidden: ['id', 'broadcast', 'megagroup', 'title'],
} as const satisfies Record<string, readonly string[]>;

type SharedConstructor = Api.User | Api.Chat | Api.ChatForbidden | Api.Channel | Api.ChannelForbidden;

export function sharedTlObject(object: SharedConstructor): unknown {
  const source = object as unknown as Record<string, unknown>;
  const picked: Record<string, unknown> = { className: object.className };
  for (const field of PUBLIC_FIELDS[object.className]) picked[field] = source[field];
  if (object.className === 'User') {
    // A contact's copy carries the name this account saved, not the user's own.
    if (object.contact !== true) {
      picked.firstName = object.firstName;
      picked.lastName = object.lastName;
    }
    // A personal photo is one the account set for its contact.
    if (!(object.photo?.className === 'UserProfilePhoto' && object.photo.personal === true))
      picked.photo = object.photo;
  }
  if (object.className === 'Chat' && object.migratedTo?.className === 'InputChannel') {
    // The supergroup's id is shared; the access hash beside it is this account's.
    picked.migratedTo = { className: 'InputChannel', channelId: object.migratedTo.channelId };
  }
  return tlToJson(picked);
}
