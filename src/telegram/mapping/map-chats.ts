import type { Api } from 'telegram';
import type { AccountChannelRow, AccountChatRow, ChannelRow, ChatRow } from '../../model/rows.ts';
import { sharedTlObject } from './shared-tl-object.ts';
import { activeUsernames } from './map-users.ts';
import { cleanText, nonEmptyTextOrNull, toBigInt } from './tl-values.ts';

export type MappedChat =
  | { readonly kind: 'chat'; readonly chat: ChatRow; readonly accountChat: AccountChatRow }
  | { readonly kind: 'channel'; readonly channel: ChannelRow; readonly accountChannel: AccountChannelRow | null };

/**
 * Chat, ChatForbidden, Channel and ChannelForbidden as rows. ChatEmpty says nothing and is skipped.
 * Forbidden copies keep what they know (title, and for channels the access hash) and flag the rest
 * as unknown so that the writers keep the stored values.
 */
export function mapChat(accountId: number, chat: Api.TypeChat): MappedChat | null {
  switch (chat.className) {
    case 'ChatEmpty':
      return null;
    case 'Chat':
      return mapBasicGroup(accountId, chat);
    case 'ChatForbidden':
      return mapForbiddenBasicGroup(accountId, chat);
    case 'Channel':
      return mapChannel(accountId, chat);
    case 'ChannelForbidden':
      return mapForbiddenChannel(accountId, chat);
  }
}

function mapBasicGroup(accountId: number, chat: Api.Chat): MappedChat {
  const id = toBigInt(chat.id);
  const migratedTo = chat.migratedTo?.className === 'InputChannel' ? toBigInt(chat.migratedTo.channelId) : null;
  return {
    kind: 'chat',
    chat: {
      id,
      title: cleanText(chat.title),
      participantsCount: chat.participantsCount,
      isDeactivated: chat.deactivated === true,
      hasPhoto: chat.photo.className !== 'ChatPhotoEmpty',
      migratedToChannelId: migratedTo,
      createdOnTelegramAt: chat.date,
      isForbidden: false,
      tlObject: sharedTlObject(chat),
    },
    accountChat: {
      accountId,
      chatId: id,
      isCreator: chat.creator === true,
      isAdmin: chat.adminRights != null,
      isLeft: chat.left === true,
      isForbidden: false,
    },
  };
}

function mapForbiddenBasicGroup(accountId: number, chat: Api.ChatForbidden): MappedChat {
  const id = toBigInt(chat.id);
  return {
    kind: 'chat',
    chat: {
      id,
      title: cleanText(chat.title),
      participantsCount: null,
      isDeactivated: false,
      hasPhoto: false,
      migratedToChannelId: null,
      createdOnTelegramAt: null,
      isForbidden: true,
      tlObject: sharedTlObject(chat),
    },
    accountChat: { accountId, chatId: id, isCreator: false, isAdmin: false, isLeft: false, isForbidden: true },
  };
}

function mapChannel(accountId: number, channel: Api.Channel): MappedChat {
  const id = toBigInt(channel.id);
  const isMin = channel.min === true;
  const usernames = activeUsernames(channel.usernames);
  const mainUsername = nonEmptyTextOrNull(channel.username) ?? usernames[0] ?? null;
  return {
    kind: 'channel',
    channel: {
      id,
      title: cleanText(channel.title),
      username: mainUsername,
      usernames: mainUsername !== null && !usernames.includes(mainUsername) ? [mainUsername, ...usernames] : usernames,
      isBroadcast: channel.broadcast === true,
      isMegagroup: channel.megagroup === true,
      isGigagroup: channel.gigagroup === true,
      isForum: channel.forum === true,
      isVerified: channel.verified === true,
      isScam: channel.scam === true,
      isFake: channel.fake === true,
      isRestricted: channel.restricted === true,
      hasPhoto: channel.photo.className !== 'ChatPhotoEmpty',
      participantsCount: channel.participantsCount ?? null,
      isMin,
      isForbidden: false,
      tlObject: sharedTlObject(channel),
    },
    accountChannel: isMin
      ? null
      : {
          accountId,
          channelId: id,
          accessHash: channel.accessHash == null ? null : toBigInt(channel.accessHash),
          isCreator: channel.creator === true,
          isAdmin: channel.adminRights != null,
          isLeft: channel.left === true,
          isBanned: channel.bannedRights != null && channel.bannedRights.viewMessages === true,
          joinedAt: channel.date,
          isForbidden: false,
          forbiddenUntil: null,
        },
  };
}

function mapForbiddenChannel(accountId: number, channel: Api.ChannelForbidden): MappedChat {
  const id = toBigInt(channel.id);
  return {
    kind: 'channel',
    channel: {
      id,
      title: cleanText(channel.title),
      username: null,
      usernames: [],
      isBroadcast: channel.broadcast === true,
      isMegagroup: channel.megagroup === true,
      isGigagroup: false,
      isForum: false,
      isVerified: false,
      isScam: false,
      isFake: false,
      isRestricted: false,
      hasPhoto: false,
      participantsCount: null,
      isMin: false,
      isForbidden: true,
      tlObject: sharedTlObject(channel),
    },
    accountChannel: {
      accountId,
      channelId: id,
      // ChannelForbidden always carries a full access hash.
      accessHash: toBigInt(channel.accessHash),
      isCreator: false,
      isAdmin: false,
      isLeft: false,
      isBanned: true,
      joinedAt: null,
      isForbidden: true,
      forbiddenUntil: channel.untilDate ?? null,
    },
  };
}
