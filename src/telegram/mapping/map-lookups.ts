/**
 * The replies of the calls that look peers up (users.getUsers for the account itself,
 * contacts.resolveUsername, messages.checkChatInvite, messages.getChats, channels.getChannels) as
 * plain results: what the run decides on, and the entity rows each reply brought for the store.
 * The run never reads Telegram's objects itself.
 */
import type { Api } from 'telegram';
import type { BatchRows, PeerKey } from '../../model/rows.ts';
import type { InputPeerRef } from '../input-peers.ts';
import { mapEntities } from './map-peer-dialogs.ts';
import { peerKeyOf } from './peer-ref.ts';
import { toBigInt } from './tl-values.ts';

/** The logged-in account's own user. */
export interface SelfUser {
  readonly id: bigint;
  readonly isBot: boolean;
}

export function mapSelf(user: Api.User): SelfUser {
  return { id: toBigInt(user.id), isBot: user.bot === true };
}

/** A username Telegram resolved: the peer it names and the users and chats the reply carried. */
export interface ResolvedUsername {
  readonly peer: PeerKey;
  readonly entities: BatchRows;
}

export function mapResolvedUsername(accountId: number, reply: Api.contacts.ResolvedPeer): ResolvedUsername {
  return { peer: peerKeyOf(reply.peer), entities: mapEntities(accountId, reply.users, reply.chats) };
}

/** An invite link checked: only one whose chat the account already joined names a peer. */
export type InviteCheck =
  { readonly joined: true; readonly peer: PeerKey; readonly entities: BatchRows } | { readonly joined: false };

export function mapInviteCheck(accountId: number, invite: Api.TypeChatInvite): InviteCheck {
  if (invite.className !== 'ChatInviteAlready') return { joined: false };
  return { joined: true, peer: chatPeerKey(invite.chat), entities: mapEntities(accountId, [], [invite.chat]) };
}

function chatPeerKey(chat: Api.TypeChat): PeerKey {
  switch (chat.className) {
    case 'Chat':
    case 'ChatForbidden':
    case 'ChatEmpty':
      return { peerType: 'chat', peerId: toBigInt(chat.id) };
    case 'Channel':
    case 'ChannelForbidden':
      return { peerType: 'channel', peerId: toBigInt(chat.id) };
  }
}

/** A basic group messages.getChats answered for; `upgradedTo` is its supergroup (Chat.migrated_to), with this account's hash. */
export interface BasicGroup {
  readonly chatId: bigint;
  readonly upgradedTo: (InputPeerRef & { readonly peerType: 'channel' }) | null;
}

/**
 * The basic groups of a messages.getChats reply and their rows. Only basic groups: chat and channel ids
 * overlap, so a channel in the reply must not answer for a group (nor be stored from this reply).
 */
export interface BasicGroups {
  readonly groups: readonly BasicGroup[];
  readonly entities: BatchRows;
}

export function mapBasicGroups(accountId: number, reply: Api.messages.TypeChats): BasicGroups {
  const chats = reply.chats.filter(
    (chat) => chat.className === 'Chat' || chat.className === 'ChatForbidden' || chat.className === 'ChatEmpty',
  );
  const groups = chats.map((chat) => ({
    chatId: toBigInt(chat.id),
    upgradedTo:
      chat.className === 'Chat' && chat.migratedTo?.className === 'InputChannel'
        ? {
            peerType: 'channel' as const,
            peerId: toBigInt(chat.migratedTo.channelId),
            accessHash: toBigInt(chat.migratedTo.accessHash),
          }
        : null,
  }));
  return { groups, entities: mapEntities(accountId, [], chats) };
}

/** A channel channels.getChannels answered for; `member`: the account is in it (not left, not forbidden). */
export interface ChannelAnswer {
  readonly channelId: bigint;
  readonly member: boolean;
}

export interface ChannelAnswers {
  readonly channels: readonly ChannelAnswer[];
  readonly entities: BatchRows;
}

export function mapChannelAnswers(accountId: number, reply: Api.messages.TypeChats): ChannelAnswers {
  const channels = reply.chats.flatMap((chat) =>
    chat.className === 'Channel' || chat.className === 'ChannelForbidden'
      ? [{ channelId: toBigInt(chat.id), member: chat.className === 'Channel' && chat.left !== true }]
      : [],
  );
  return { channels, entities: mapEntities(accountId, [], reply.chats) };
}
