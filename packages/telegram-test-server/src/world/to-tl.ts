/**
 * Renders world views into GramJS TL objects, adding the volatile fields Telegram changes on every
 * call: users' online status, channel post view counts, file references and the state's date.
 * Objects are built per reply (never cached) so the cost stays proportional to the reply.
 */
import { Api } from 'telegram';
import { tl } from './fast-tl.ts';
import { toBigInteger, unmark } from './ids.ts';
import type { MessageMediaSpec, ServiceActionSpec, UsernameEntry, WorldMessage } from './model.ts';
import { hashInts, mix32 } from './random.ts';
import type { AnyChatView, DialogView, UserView } from './views.ts';

const DC_ID = 2;

/** Inputs of the volatile fields: `tick` grows with every handled call. */
export interface VolatileContext {
  readonly seed: number;
  readonly tick: number;
  /** Current unix time from the world's clock. */
  readonly now: number;
}

export function peerToTl(marked: bigint): Api.TypePeer {
  const { kind, id } = unmark(marked);
  if (kind === 'user') return tl(Api.PeerUser, { userId: toBigInteger(id) });
  if (kind === 'chat') return tl(Api.PeerChat, { chatId: toBigInteger(id) });
  return tl(Api.PeerChannel, { channelId: toBigInteger(id) });
}

function usernamesToTl(list: UsernameEntry[] | null): Api.Username[] | undefined {
  return list?.map((u) =>
    tl(Api.Username, { username: u.username, active: u.active || undefined, editable: u.editable || undefined }),
  );
}

/** Online status: 'active' users flip between online and offline on every call, with moving times. */
export function userStatusToTl(view: UserView, vol: VolatileContext): Api.TypeUserStatus | undefined {
  switch (view.statusKind) {
    case 'none':
      return undefined;
    case 'recently':
      return tl(Api.UserStatusRecently, {});
    case 'lastWeek':
      return tl(Api.UserStatusLastWeek, {});
    case 'active': {
      const h = hashInts(vol.seed, 0x57a7, Number(view.id));
      if (((h + vol.tick) & 1) === 0) return tl(Api.UserStatusOnline, { expires: vol.now + 240 + (vol.tick % 60) });
      return tl(Api.UserStatusOffline, { wasOnline: vol.now - 60 - (h % 3600) + (vol.tick % 60) });
    }
  }
}

export function userToTl(view: UserView, vol: VolatileContext): Api.User {
  return tl(Api.User, {
    id: toBigInteger(view.id),
    min: view.min || undefined,
    self: view.self || undefined,
    contact: view.contact || undefined,
    mutualContact: view.mutualContact || undefined,
    bot: view.bot || undefined,
    deleted: view.deleted || undefined,
    verified: view.verified || undefined,
    premium: view.premium || undefined,
    scam: view.scam || undefined,
    accessHash: toBigInteger(view.accessHash),
    firstName: view.deleted ? undefined : view.firstName,
    lastName: view.lastName ?? undefined,
    username: view.username ?? undefined,
    usernames: usernamesToTl(view.usernames),
    phone: view.phone ?? undefined,
    photo:
      view.photoId === null
        ? undefined
        : tl(Api.UserProfilePhoto, { photoId: toBigInteger(view.photoId), dcId: DC_ID }),
    status: userStatusToTl(view, vol),
    botInfoVersion: view.bot ? 1 : undefined,
  });
}

function chatPhotoToTl(photoId: bigint | null): Api.TypeChatPhoto {
  return photoId === null
    ? new Api.ChatPhotoEmpty()
    : tl(Api.ChatPhoto, { photoId: toBigInteger(photoId), dcId: DC_ID });
}

const ADMIN_RIGHTS = {
  changeInfo: true,
  postMessages: true,
  editMessages: true,
  deleteMessages: true,
  banUsers: true,
  inviteUsers: true,
  pinMessages: true,
  manageCall: true,
  other: true,
};

export function chatToTl(view: AnyChatView): Api.TypeChat {
  switch (view.kind) {
    case 'chatForbidden':
      return tl(Api.ChatForbidden, { id: toBigInteger(view.id), title: view.title });
    case 'channelForbidden':
      return tl(Api.ChannelForbidden, {
        id: toBigInteger(view.id),
        accessHash: toBigInteger(view.accessHash),
        title: view.title,
        broadcast: view.broadcast || undefined,
        megagroup: view.megagroup || undefined,
        untilDate: view.untilDate ?? undefined,
      });
    case 'chat':
      return tl(Api.Chat, {
        id: toBigInteger(view.id),
        title: view.title,
        photo: chatPhotoToTl(view.photoId),
        participantsCount: view.participantsCount,
        date: view.date,
        version: view.version,
        left: view.left || undefined,
        creator: view.creator || undefined,
        deactivated: view.deactivated || undefined,
        migratedTo: view.migratedTo
          ? tl(Api.InputChannel, {
              channelId: toBigInteger(view.migratedTo.channelId),
              accessHash: toBigInteger(view.migratedTo.accessHash),
            })
          : undefined,
      });
    case 'channel':
      return tl(Api.Channel, {
        id: toBigInteger(view.id),
        min: view.min || undefined,
        accessHash: toBigInteger(view.accessHash),
        title: view.title,
        broadcast: view.broadcast || undefined,
        megagroup: view.megagroup || undefined,
        forum: view.forum || undefined,
        verified: view.verified || undefined,
        signatures: view.signatures || undefined,
        username: view.username ?? undefined,
        usernames: usernamesToTl(view.usernames),
        photo: chatPhotoToTl(view.photoId),
        date: view.date,
        participantsCount: view.participantsCount ?? undefined,
        left: view.left || undefined,
        creator: view.creator || undefined,
        adminRights: view.creator || view.admin ? tl(Api.ChatAdminRights, ADMIN_RIGHTS) : undefined,
      });
  }
}

export function dialogToTl(view: DialogView): Api.Dialog {
  const n = view.notifySettings;
  return tl(Api.Dialog, {
    pinned: view.pinned || undefined,
    unreadMark: view.unreadMark || undefined,
    peer: peerToTl(view.peer),
    topMessage: view.topMessage,
    readInboxMaxId: view.readInboxMaxId,
    readOutboxMaxId: view.readOutboxMaxId,
    unreadCount: view.unreadCount,
    unreadMentionsCount: view.unreadMentionsCount,
    unreadReactionsCount: view.unreadReactionsCount,
    notifySettings: tl(Api.PeerNotifySettings, {
      muteUntil: n.muteUntil ?? undefined,
      silent: n.silent ?? undefined,
      showPreviews: n.showPreviews ?? undefined,
    }),
    pts: view.pts ?? undefined,
    draft: view.draft ? tl(Api.DraftMessage, { message: view.draft.text, date: view.draft.date }) : undefined,
    folderId: view.folderId ?? undefined,
    ttlPeriod: view.ttlPeriod ?? undefined,
  });
}

/** File references expire on Telegram and come back different; here they change every call. */
export function fileReference(vol: VolatileContext, fileId: bigint): Buffer {
  const buf = Buffer.alloc(12);
  let h = mix32(hashInts(vol.seed, 0xf11e, vol.tick), Number(BigInt.asUintN(32, fileId)));
  for (let i = 0; i < 12; i += 4) {
    buf.writeUInt32LE(h, i);
    h = mix32(h, i);
  }
  buf[0] = 0x01; // like real references, a version byte first
  return buf;
}

/** View counts only grow, and grow on every call. */
export function volatileViews(vol: VolatileContext, msg: WorldMessage, base: number): number {
  return base + vol.tick * (1 + (hashInts(vol.seed, Number(BigInt.asUintN(32, msg.peer)), msg.id) % 3));
}

function mediaToTl(media: MessageMediaSpec, vol: VolatileContext): Api.TypeMessageMedia {
  switch (media.type) {
    case 'photo':
      return tl(Api.MessageMediaPhoto, {
        photo: tl(Api.Photo, {
          id: toBigInteger(media.photoId),
          accessHash: toBigInteger(media.accessHash),
          fileReference: fileReference(vol, media.photoId),
          date: media.date,
          sizes: [
            tl(Api.PhotoSize, {
              type: 'm',
              w: 320,
              h: Math.round((320 * media.h) / media.w),
              size: Math.round(media.size / 12),
            }),
            tl(Api.PhotoSize, { type: 'y', w: media.w, h: media.h, size: media.size }),
          ],
          dcId: DC_ID,
        }),
      });
    case 'document':
      return tl(Api.MessageMediaDocument, {
        document: tl(Api.Document, {
          id: toBigInteger(media.documentId),
          accessHash: toBigInteger(media.accessHash),
          fileReference: fileReference(vol, media.documentId),
          date: media.date,
          mimeType: media.mimeType,
          size: toBigInteger(BigInt(media.size)),
          dcId: DC_ID,
          attributes: [tl(Api.DocumentAttributeFilename, { fileName: media.fileName })],
        }),
      });
    case 'geo':
      return tl(Api.MessageMediaGeo, {
        geo: tl(Api.GeoPoint, { lat: media.lat, long: media.long, accessHash: toBigInteger(media.accessHash) }),
      });
    case 'poll':
      return tl(Api.MessageMediaPoll, {
        poll: tl(Api.Poll, {
          id: toBigInteger(media.pollId),
          closed: media.closed || undefined,
          question: tl(Api.TextWithEntities, { text: media.question, entities: [] }),
          answers: media.answers.map((text, i) =>
            tl(Api.PollAnswer, { text: tl(Api.TextWithEntities, { text, entities: [] }), option: Buffer.from([i]) }),
          ),
        }),
        results: tl(Api.PollResults, {
          results: media.votes.map((voters, i) => tl(Api.PollAnswerVoters, { option: Buffer.from([i]), voters })),
          totalVoters: media.votes.reduce((a, b) => a + b, 0),
        }),
      });
    case 'webpage':
      return tl(Api.MessageMediaWebPage, {
        webpage: tl(Api.WebPage, {
          id: toBigInteger(media.webpageId),
          url: media.url,
          displayUrl: media.displayUrl,
          hash: 0,
          type: 'article',
          siteName: media.siteName,
          title: media.title,
          description: media.description,
        }),
      });
  }
}

function actionToTl(action: ServiceActionSpec): Api.TypeMessageAction {
  switch (action.type) {
    case 'chatCreate':
      return tl(Api.MessageActionChatCreate, { title: action.title, users: action.userIds.map(toBigInteger) });
    case 'channelCreate':
      return tl(Api.MessageActionChannelCreate, { title: action.title });
    case 'editTitle':
      return tl(Api.MessageActionChatEditTitle, { title: action.title });
    case 'addUser':
      return tl(Api.MessageActionChatAddUser, { users: action.userIds.map(toBigInteger) });
    case 'pinMessage':
      return new Api.MessageActionPinMessage();
    case 'migrateTo':
      return tl(Api.MessageActionChatMigrateTo, { channelId: toBigInteger(action.channelId) });
    case 'migrateFrom':
      return tl(Api.MessageActionChannelMigrateFrom, { title: action.title, chatId: toBigInteger(action.chatId) });
  }
}

function replyHeaderToTl(msg: WorldMessage): Api.MessageReplyHeader | undefined {
  if (msg.replyToMsgId === null) return undefined;
  return tl(Api.MessageReplyHeader, {
    replyToMsgId: msg.replyToMsgId,
    forumTopic: msg.replyToTopId !== null || undefined,
    replyToTopId: msg.replyToTopId !== null && msg.replyToTopId !== msg.replyToMsgId ? msg.replyToTopId : undefined,
  });
}

export function messageToTl(msg: WorldMessage, vol: VolatileContext): Api.TypeMessage {
  // Field lists are spelled out (no object spread): spread objects made this 10× slower.
  if (msg.action) {
    return tl(Api.MessageService, {
      id: msg.id,
      out: msg.out || undefined,
      mentioned: msg.mentioned || undefined,
      post: msg.post || undefined,
      fromId: msg.from === null ? undefined : peerToTl(msg.from),
      peerId: peerToTl(msg.peer),
      replyTo: replyHeaderToTl(msg),
      date: msg.date,
      ttlPeriod: msg.ttlPeriod ?? undefined,
      action: actionToTl(msg.action),
    });
  }
  const hasViews = msg.views !== null;
  return tl(Api.Message, {
    id: msg.id,
    out: msg.out || undefined,
    mentioned: msg.mentioned || undefined,
    post: msg.post || undefined,
    fromId: msg.from === null ? undefined : peerToTl(msg.from),
    peerId: peerToTl(msg.peer),
    replyTo: replyHeaderToTl(msg),
    date: msg.date,
    ttlPeriod: msg.ttlPeriod ?? undefined,
    message: msg.text,
    media: msg.media ? mediaToTl(msg.media, vol) : undefined,
    fwdFrom: msg.fwdFrom
      ? tl(Api.MessageFwdHeader, {
          fromId: peerToTl(msg.fwdFrom.from),
          date: msg.fwdFrom.date,
          channelPost: msg.fwdFrom.channelPost ?? undefined,
        })
      : undefined,
    // views and forwards share one flag: both or neither.
    views: hasViews ? volatileViews(vol, msg, msg.views ?? 0) : undefined,
    forwards: hasViews ? (msg.forwards ?? 0) : undefined,
    editDate: msg.editDate ?? undefined,
    postAuthor: msg.postAuthor ?? undefined,
  });
}
