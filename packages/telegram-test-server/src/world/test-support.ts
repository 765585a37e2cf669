/**
 * Helpers for tests that drive the world directly (no MTProto): call a method as an account,
 * capture Telegram errors, build requests, and compare replies without their volatile fields.
 */
import { Api } from 'telegram';
import { TelegramRpcError } from '../rpc-error.ts';
import { fromBigInteger, markedId } from './ids.ts';
import { callWorldMethod } from './methods.ts';
import type { World } from './world.ts';

export function callAs<T = unknown>(world: World, accountUserId: bigint, request: Api.AnyRequest): T {
  const account = world.accountByUserId(accountUserId);
  return callWorldMethod(world, { accountUserId, isBot: account?.isBot ?? false }, request) as T;
}

/** The errorMessage the call fails with, or null when it succeeds. */
export function rpcErrorOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof TelegramRpcError) return e.errorMessage;
    throw e;
  }
}

export function peerDialogsRequest(
  world: World,
  accountUserId: bigint,
  peers: readonly bigint[],
): Api.messages.GetPeerDialogs {
  return new Api.messages.GetPeerDialogs({
    peers: peers.map((p) => new Api.InputDialogPeer({ peer: world.inputPeer(accountUserId, p) })),
  });
}

/** Marked id of a TL Peer, or of a TL User/Chat/Channel/…Forbidden. */
export function markedIdOfTl(obj: Api.TypePeer | Api.TypeUser | Api.TypeChat): bigint {
  if (obj instanceof Api.PeerUser) return markedId('user', fromBigInteger(obj.userId));
  if (obj instanceof Api.PeerChat) return markedId('chat', fromBigInteger(obj.chatId));
  if (obj instanceof Api.PeerChannel) return markedId('channel', fromBigInteger(obj.channelId));
  if (obj instanceof Api.User || obj instanceof Api.UserEmpty) return markedId('user', fromBigInteger(obj.id));
  if (obj instanceof Api.Chat || obj instanceof Api.ChatForbidden || obj instanceof Api.ChatEmpty)
    return markedId('chat', fromBigInteger(obj.id));
  return markedId('channel', fromBigInteger((obj as Api.Channel).id));
}

/** Fields Telegram changes on every call (see to-tl.ts). */
export const VOLATILE_FIELDS = new Set(['status', 'views', 'fileReference', 'date@state']);

/**
 * A JSON-able copy of a TL object with bigints as strings, bytes as hex, and the volatile fields
 * (user status, view counts, file references, updates.State.date) removed.
 */
export function contentOf(value: unknown, parentClass = ''): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => contentOf(v, parentClass));
  if (typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (typeof obj.className !== 'string') {
    // big-integer values
    if (typeof (obj as { toString?: unknown }).toString === 'function' && 'value' in obj) return String(obj);
  }
  const className = typeof obj.className === 'string' ? obj.className : '';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (
      k === 'originalArgs' ||
      k === 'CONSTRUCTOR_ID' ||
      k === 'SUBCLASS_OF_ID' ||
      k === 'classType' ||
      k.startsWith('_')
    )
      continue;
    if (v === undefined || v === null || v === false) continue; // absent flags
    if (k === 'status' || k === 'views' || k === 'fileReference') continue;
    if (k === 'date' && className === 'updates.State') continue;
    out[k] = contentOf(v, className);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing a dialogs reply with the world: both sides reduced to the same plain, content-only
// shape (volatile fields left out). `expectedDialogsReply` is computed from the world's read
// accessors only, independently of the reply builder.

export interface PlainDialog {
  peer: string;
  topMessage: number;
  readInboxMaxId: number;
  readOutboxMaxId: number;
  unreadCount: number;
  unreadMentionsCount: number;
  unreadReactionsCount: number;
  unreadMark: boolean;
  pinned: boolean;
  folderId: number | null;
  muteUntil: number | null;
  silent: boolean | null;
  showPreviews: boolean | null;
  pts: number | null;
  draft: string | null;
  ttlPeriod: number | null;
}

export interface PlainMessage {
  peer: string;
  id: number;
  date: number;
  out: boolean;
  from: string | null;
  text: string | null;
  action: string | null;
  media: string | null;
  replyTo: number | null;
  fwdFrom: string | null;
  editDate: number | null;
  hasViews: boolean;
}

export interface PlainEntity {
  type: string;
  id: string;
  min: boolean;
  accessHash: string | null;
  name: string;
  username: string | null;
  usernames: string | null;
  phone: string | null;
  left: boolean;
}

export interface PlainDialogsReply {
  dialogs: PlainDialog[];
  messages: PlainMessage[];
  users: PlainEntity[];
  chats: PlainEntity[];
}

const s = (v: { toString(): string } | null | undefined): string | null =>
  v === null || v === undefined ? null : v.toString();

const ACTION_TYPES: Record<string, string> = {
  MessageActionChatCreate: 'chatCreate',
  MessageActionChannelCreate: 'channelCreate',
  MessageActionChatEditTitle: 'editTitle',
  MessageActionChatAddUser: 'addUser',
  MessageActionPinMessage: 'pinMessage',
  MessageActionChatMigrateTo: 'migrateTo',
  MessageActionChannelMigrateFrom: 'migrateFrom',
};
const MEDIA_TYPES: Record<string, string> = {
  MessageMediaPhoto: 'photo',
  MessageMediaDocument: 'document',
  MessageMediaGeo: 'geo',
  MessageMediaPoll: 'poll',
  MessageMediaWebPage: 'webpage',
};

function usernamesText(
  list: ReadonlyArray<{ username: string; active?: boolean | null; editable?: boolean | null }> | null | undefined,
): string | null {
  return list ? list.map((u) => `${u.username}:${u.active ? 'a' : '-'}${u.editable ? 'e' : '-'}`).join(',') : null;
}

export function plainDialogsReply(reply: {
  dialogs: Api.TypeDialog[];
  messages: Api.TypeMessage[];
  users: Api.TypeUser[];
  chats: Api.TypeChat[];
}): PlainDialogsReply {
  return {
    dialogs: reply.dialogs.map((d) => {
      const dialog = d as Api.Dialog;
      const n = dialog.notifySettings as Api.PeerNotifySettings;
      const draft = dialog.draft as Api.DraftMessage | undefined | null;
      return {
        peer: String(markedIdOfTl(dialog.peer)),
        topMessage: dialog.topMessage,
        readInboxMaxId: dialog.readInboxMaxId,
        readOutboxMaxId: dialog.readOutboxMaxId,
        unreadCount: dialog.unreadCount,
        unreadMentionsCount: dialog.unreadMentionsCount,
        unreadReactionsCount: dialog.unreadReactionsCount,
        unreadMark: Boolean(dialog.unreadMark),
        pinned: Boolean(dialog.pinned),
        folderId: dialog.folderId ?? null,
        muteUntil: n.muteUntil ?? null,
        silent: n.silent ?? null,
        showPreviews: n.showPreviews ?? null,
        pts: dialog.pts ?? null,
        draft: draft ? `${draft.date}:${draft.message}` : null,
        ttlPeriod: dialog.ttlPeriod ?? null,
      };
    }),
    messages: reply.messages.map((m) => {
      const service = m instanceof Api.MessageService ? m : null;
      const msg = m as Api.Message;
      const reply = msg.replyTo as Api.MessageReplyHeader | undefined | null;
      return {
        peer: String(markedIdOfTl(msg.peerId)),
        id: msg.id,
        date: msg.date,
        out: Boolean(msg.out),
        from: msg.fromId ? String(markedIdOfTl(msg.fromId)) : null,
        text: service ? null : msg.message,
        action: service ? (ACTION_TYPES[service.action.className] ?? service.action.className) : null,
        media: !service && msg.media ? (MEDIA_TYPES[msg.media.className] ?? msg.media.className) : null,
        replyTo: reply?.replyToMsgId ?? null,
        fwdFrom: !service && msg.fwdFrom?.fromId ? String(markedIdOfTl(msg.fwdFrom.fromId)) : null,
        editDate: (!service && msg.editDate) || null,
        hasViews: !service && msg.views !== undefined && msg.views !== null,
      };
    }),
    users: reply.users.map((u) => {
      const user = u as Api.User;
      return {
        type: user.className,
        id: String(user.id),
        min: Boolean(user.min),
        accessHash: s(user.accessHash),
        name: [user.firstName, user.lastName].filter(Boolean).join(' '),
        username: user.username ?? null,
        usernames: usernamesText(user.usernames as Api.Username[] | undefined),
        phone: user.phone ?? null,
        left: false,
      };
    }),
    chats: reply.chats.map((c) => {
      const chat = c as unknown as {
        className: string;
        id: unknown;
        min?: boolean;
        accessHash?: unknown;
        title: string;
        username?: string;
        usernames?: Api.Username[];
        left?: boolean;
      };
      return {
        type: chat.className,
        id: String(chat.id),
        min: Boolean(chat.min),
        accessHash: s(chat.accessHash as { toString(): string } | undefined),
        name: chat.title,
        username: chat.username ?? null,
        usernames: usernamesText(chat.usernames),
        phone: null,
        left: Boolean(chat.left),
      };
    }),
  };
}

function plainUser(
  world: World,
  account: bigint,
  userId: bigint,
  context: 'full' | 'message-in-channel' | 'forward-source',
): PlainEntity {
  const v = world.userAsSeenBy(account, userId, context);
  return {
    type: 'User',
    id: String(v.id),
    min: v.min,
    accessHash: String(v.accessHash),
    name: [v.firstName, v.lastName].filter(Boolean).join(' '),
    username: v.username,
    usernames: usernamesText(v.usernames),
    phone: v.phone,
    left: false,
  };
}

function plainChat(world: World, account: bigint, marked: bigint, context: 'full' | 'forward-source'): PlainEntity {
  const v = world.chatAsSeenBy(account, marked, context);
  const type = {
    chat: 'Chat',
    chatForbidden: 'ChatForbidden',
    channel: 'Channel',
    channelForbidden: 'ChannelForbidden',
  }[v.kind];
  return {
    type,
    id: String(v.id),
    min: v.kind === 'channel' && v.min,
    accessHash: v.kind === 'channel' || v.kind === 'channelForbidden' ? String(v.accessHash) : null,
    name: v.title,
    username: v.kind === 'channel' ? v.username : null,
    usernames: v.kind === 'channel' ? usernamesText(v.usernames) : null,
    phone: null,
    left: (v.kind === 'chat' || v.kind === 'channel') && v.left,
  };
}

/** What a getPeerDialogs reply for these peers must contain, from the world's accessors. */
export function expectedDialogsReply(world: World, account: bigint, peers: readonly bigint[]): PlainDialogsReply {
  const out: PlainDialogsReply = { dialogs: [], messages: [], users: [], chats: [] };
  const entity = (marked: bigint, context: 'full' | 'message-in-channel' | 'forward-source') => {
    if (marked > 0n) out.users.push(plainUser(world, account, marked, context));
    else out.chats.push(plainChat(world, account, marked, context === 'full' ? 'full' : 'forward-source'));
  };
  const seen = new Set<bigint>();
  for (const peer of peers) {
    if (seen.has(peer)) continue;
    seen.add(peer);
    const d = world.dialog(account, peer);
    if (!d) continue;
    out.dialogs.push({
      peer: String(d.peer),
      topMessage: d.topMessage,
      readInboxMaxId: d.readInboxMaxId,
      readOutboxMaxId: d.readOutboxMaxId,
      unreadCount: d.unreadCount,
      unreadMentionsCount: d.unreadMentionsCount,
      unreadReactionsCount: d.unreadReactionsCount,
      unreadMark: d.unreadMark,
      pinned: d.pinned,
      folderId: d.folderId,
      muteUntil: d.notifySettings.muteUntil,
      silent: d.notifySettings.silent,
      showPreviews: d.notifySettings.showPreviews,
      pts: d.pts,
      draft: d.draft ? `${d.draft.date}:${d.draft.text}` : null,
      ttlPeriod: d.ttlPeriod,
    });
    entity(peer, 'full');
    const m = world.message(account, peer, d.topMessage);
    if (!m) continue;
    out.messages.push({
      peer: String(m.peer),
      id: m.id,
      date: m.date,
      out: m.out,
      from: m.from === null ? null : String(m.from),
      text: m.action ? null : m.text,
      action: m.action?.type ?? null,
      media: m.media?.type ?? null,
      replyTo: m.replyToMsgId,
      fwdFrom: m.fwdFrom ? String(m.fwdFrom.from) : null,
      editDate: m.editDate,
      hasViews: m.views !== null,
    });
    const inChannel = peer <= -1_000_000_000_000n;
    if (m.from !== null && m.from !== m.peer) entity(m.from, inChannel ? 'message-in-channel' : 'full');
    if (m.fwdFrom) entity(m.fwdFrom.from, 'forward-source');
    if (m.action && (m.action.type === 'chatCreate' || m.action.type === 'addUser'))
      for (const id of m.action.userIds) entity(id, 'full');
  }
  return out;
}
