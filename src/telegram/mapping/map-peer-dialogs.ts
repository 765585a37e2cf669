import type { Api } from 'telegram';
import type {
  AccountChannelRow,
  AccountChatRow,
  AccountUserRow,
  BatchRows,
  ChannelRow,
  ChatRow,
  DialogRow,
  MessageRow,
  PeerType,
  UpdateStateRow,
  UserRow,
} from '../../model/rows.ts';
import { mapChat } from './map-chats.ts';
import { mapDialog } from './map-dialogs.ts';
import { mapMessage } from './map-messages.ts';
import { mapUser } from './map-users.ts';

export interface PeerDialogsContext {
  readonly accountId: number;
  readonly selfUserId: bigint | null;
}

/**
 * One messages.PeerDialogs reply as the rows to write. Telegram repeats entities inside a reply (the
 * same user as sender of two messages), so rows are deduplicated by key, keeping a full copy over a
 * `min` one; and they are sorted by key so that concurrent writers lock rows in the same order and
 * cannot deadlock.
 */
export function mapPeerDialogs(context: PeerDialogsContext, reply: Api.messages.PeerDialogs): BatchRows {
  const entities = mapEntities(context.accountId, reply.users, reply.chats);

  const dialogs = new Map<string, DialogRow>();
  for (const dialog of reply.dialogs) {
    const row = mapDialog(context.accountId, dialog);
    if (row !== null) dialogs.set(`${row.peerType}:${row.peerId}`, row);
  }

  const messages = new Map<string, MessageRow>();
  for (const message of reply.messages) {
    const row = mapMessage(context, message);
    if (row === null) continue;
    const key = `${row.peerType}:${row.peerId}:${row.id}`;
    const existing = messages.get(key);
    // A real message always wins over a tombstone for the same id.
    if (existing === undefined || existing.kind === 'empty') messages.set(key, row);
  }

  return {
    ...entities,
    dialogs: sortedBy(dialogs.values(), (row) => [PEER_TYPE_ORDER[row.peerType], row.peerId]),
    messages: sortedBy(messages.values(), (row) => [PEER_TYPE_ORDER[row.peerType], row.peerId, BigInt(row.id)]),
    state: mapState(context.accountId, reply.state),
  };
}

/**
 * Users and chats of any reply (getPeerDialogs, resolveUsername, getDialogs…) as rows, deduplicated
 * and sorted, with no dialogs, messages or state.
 */
export function mapEntities(
  accountId: number,
  replyUsers: readonly Api.TypeUser[],
  replyChats: readonly Api.TypeChat[],
): BatchRows {
  const users = new Map<bigint, UserRow>();
  const accountUsers = new Map<bigint, AccountUserRow>();
  for (const user of replyUsers) {
    const mapped = mapUser(accountId, user);
    if (mapped === null) continue;
    keepFuller(users, mapped.user.id, mapped.user);
    if (mapped.accountUser !== null) accountUsers.set(mapped.accountUser.userId, mapped.accountUser);
  }

  const chats = new Map<bigint, ChatRow>();
  const accountChats = new Map<bigint, AccountChatRow>();
  const channels = new Map<bigint, ChannelRow>();
  const accountChannels = new Map<bigint, AccountChannelRow>();
  for (const chat of replyChats) {
    const mapped = mapChat(accountId, chat);
    if (mapped === null) continue;
    if (mapped.kind === 'chat') {
      chats.set(mapped.chat.id, mapped.chat);
      accountChats.set(mapped.accountChat.chatId, mapped.accountChat);
    } else {
      keepFuller(channels, mapped.channel.id, mapped.channel);
      if (mapped.accountChannel !== null) accountChannels.set(mapped.accountChannel.channelId, mapped.accountChannel);
    }
  }

  return {
    users: sortedBy(users.values(), (row) => [row.id]),
    accountUsers: sortedBy(accountUsers.values(), (row) => [row.userId]),
    chats: sortedBy(chats.values(), (row) => [row.id]),
    accountChats: sortedBy(accountChats.values(), (row) => [row.chatId]),
    channels: sortedBy(channels.values(), (row) => [row.id]),
    accountChannels: sortedBy(accountChannels.values(), (row) => [row.channelId]),
    dialogs: [],
    messages: [],
    state: null,
  };
}

/**
 * The entity rows of several replies as one set: the same rows mapEntities gives for all their users
 * and chats at once (a full copy of a user or channel wins over a `min` one, else the later copy), so
 * a caller may collect replies' rows and write them together.
 */
export function mergeEntities(parts: readonly BatchRows[]): BatchRows {
  const users = new Map<bigint, UserRow>();
  const accountUsers = new Map<bigint, AccountUserRow>();
  const chats = new Map<bigint, ChatRow>();
  const accountChats = new Map<bigint, AccountChatRow>();
  const channels = new Map<bigint, ChannelRow>();
  const accountChannels = new Map<bigint, AccountChannelRow>();
  for (const part of parts) {
    for (const row of part.users) keepFuller(users, row.id, row);
    for (const row of part.accountUsers) accountUsers.set(row.userId, row);
    for (const row of part.chats) chats.set(row.id, row);
    for (const row of part.accountChats) accountChats.set(row.chatId, row);
    for (const row of part.channels) keepFuller(channels, row.id, row);
    for (const row of part.accountChannels) accountChannels.set(row.channelId, row);
  }
  return {
    users: sortedBy(users.values(), (row) => [row.id]),
    accountUsers: sortedBy(accountUsers.values(), (row) => [row.userId]),
    chats: sortedBy(chats.values(), (row) => [row.id]),
    accountChats: sortedBy(accountChats.values(), (row) => [row.chatId]),
    channels: sortedBy(channels.values(), (row) => [row.id]),
    accountChannels: sortedBy(accountChannels.values(), (row) => [row.channelId]),
    dialogs: [],
    messages: [],
    state: null,
  };
}

export function mapState(accountId: number, state: Api.updates.State): UpdateStateRow {
  return {
    accountId,
    pts: state.pts,
    qts: state.qts,
    seq: state.seq,
    stateDate: state.date,
    unreadCount: state.unreadCount,
  };
}

/** The order of PostgreSQL's peer_type enum, so that JavaScript sorts rows as the primary key does. */
const PEER_TYPE_ORDER: Record<PeerType, bigint> = { user: 0n, chat: 1n, channel: 2n };

function keepFuller<Row extends { readonly isMin: boolean }>(rows: Map<bigint, Row>, id: bigint, row: Row): void {
  const existing = rows.get(id);
  if (existing === undefined || existing.isMin || !row.isMin) rows.set(id, row);
}

function sortedBy<Row>(rows: Iterable<Row>, key: (row: Row) => readonly bigint[]): Row[] {
  return [...rows].sort((a, b) => compareKeys(key(a), key(b)));
}

function compareKeys(a: readonly bigint[], b: readonly bigint[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index] as bigint;
    const right = b[index] as bigint;
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}
