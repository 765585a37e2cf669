import type { Api } from 'telegram';
import type { MessageRow, PeerKey } from '../../model/rows.ts';
import { peerKeyOf } from './peer-ref.ts';
import { tlToJson } from './tl-json.ts';
import { cleanTextOrNull, constructorKind, toBigIntOrNull } from './tl-values.ts';

export interface MessageContext {
  readonly accountId: number;
  /** The account's own user id: the sender of its outgoing private messages, which omit from_id. */
  readonly selfUserId: bigint | null;
}

/**
 * A Message, MessageService or MessageEmpty as a row. MessageEmpty carries only an id (and sometimes
 * its peer): it becomes a tombstone that the writer never lets replace a real message.
 */
export function mapMessage(context: MessageContext, message: Api.TypeMessage): MessageRow | null {
  if (message.className === 'MessageEmpty') {
    if (message.peerId == null) return null;
    return emptyMessage(context.accountId, peerKeyOf(message.peerId), message.id, message);
  }
  const peer = peerKeyOf(message.peerId);
  const sender = senderOf(context, peer, message);
  const replyTo = message.replyTo?.className === 'MessageReplyHeader' ? message.replyTo : undefined;
  const common = {
    accountId: context.accountId,
    ...peer,
    id: message.id,
    senderType: sender?.peerType ?? null,
    senderId: sender?.peerId ?? null,
    sentAt: message.date,
    replyToMessageId: replyTo?.replyToMsgId ?? null,
    replyToTopId: replyTo?.replyToTopId ?? null,
    isOutgoing: message.out === true,
    isPost: message.post === true,
    tlObject: tlToJson(message),
  };
  if (message.className === 'MessageService') {
    return {
      ...common,
      kind: 'service',
      editedAt: null,
      text: null,
      mediaKind: null,
      serviceAction: constructorKind(message.action.className, 'MessageAction'),
      isPinned: false,
      isForwarded: false,
      groupedId: null,
      views: null,
      forwards: null,
    };
  }
  return {
    ...common,
    kind: 'message',
    editedAt: message.editDate ?? null,
    text: cleanTextOrNull(message.message),
    mediaKind: mediaKindOf(message.media),
    serviceAction: null,
    isPinned: message.pinned === true,
    isForwarded: message.fwdFrom != null,
    groupedId: toBigIntOrNull(message.groupedId),
    views: message.views ?? null,
    forwards: message.forwards ?? null,
  };
}

function emptyMessage(accountId: number, peer: PeerKey, id: number, message: Api.MessageEmpty): MessageRow {
  return {
    accountId,
    ...peer,
    id,
    kind: 'empty',
    senderType: null,
    senderId: null,
    sentAt: null,
    editedAt: null,
    text: null,
    mediaKind: null,
    serviceAction: null,
    replyToMessageId: null,
    replyToTopId: null,
    isOutgoing: false,
    isPost: false,
    isPinned: false,
    isForwarded: false,
    groupedId: null,
    views: null,
    forwards: null,
    tlObject: tlToJson(message),
  };
}

/**
 * Who sent it. from_id is set in groups and for signed posts; private chats omit it, so the sender is
 * the other user for incoming and the account itself for outgoing messages. Broadcast posts without a
 * signature have no sender.
 */
function senderOf(context: MessageContext, peer: PeerKey, message: Api.Message | Api.MessageService): PeerKey | null {
  if (message.fromId != null) return peerKeyOf(message.fromId);
  if (peer.peerType !== 'user') return null;
  if (message.out === true)
    return context.selfUserId === null ? null : { peerType: 'user', peerId: context.selfUserId };
  return peer;
}

function mediaKindOf(media: Api.TypeMessageMedia | null | undefined): string | null {
  if (media == null || media.className === 'MessageMediaEmpty') return null;
  return constructorKind(media.className, 'MessageMedia');
}
