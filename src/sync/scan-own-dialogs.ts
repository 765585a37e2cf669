import type { Api } from 'telegram';
import { mapEntities } from '../store/mapping/map-peer-dialogs.ts';
import { mapMessage } from '../store/mapping/map-messages.ts';
import { peerKeyOf } from '../store/mapping/peer-ref.ts';
import type { BatchRows } from '../store/rows.ts';
import { writeBatch } from '../store/write-batch.ts';
import { METHODS, type DialogsOffset } from '../telegram/gateway.ts';
import type { InputPeerRef } from '../telegram/input-peers.ts';
import { callTelegram } from './call-policy.ts';
import { RunDeferredError } from './run-errors.ts';
import type { RunContext } from './run-context.ts';

const PAGE_SIZE = 100;
/** A dialog list longer than this is not scanned further (Telegram caps it well below). */
const MAX_PAGES = 500;

/** The main list and the archive: without folder_id Telegram lists only the main one. */
const FOLDERS = [0, 1] as const;

/**
 * One pass over the account's own dialog lists (messages.getDialogs, Telegram's offset pagination).
 * Every page's users and chats are stored, which also refreshes every access hash the account has;
 * numeric peer ids are then resolved from them. Only the entities are written: the dialogs of
 * configured peers come from getPeerDialogs.
 */
export async function scanOwnDialogs(context: RunContext): Promise<number> {
  let seen = 0;
  for (const folderId of FOLDERS) {
    const scanned = await scanFolder(context, folderId);
    if (scanned === null) break;
    seen += scanned;
  }
  context.logger.info({ dialogs: seen }, "scanned the account's dialog list");
  return seen;
}

/** The dialogs seen in one folder, or null when the scan had to stop (the method is deferred). */
async function scanFolder(context: RunContext, folderId: number): Promise<number | null> {
  let offset: DialogsOffset = { offsetDate: 0, offsetId: 0, offsetPeer: null, folderId };
  let seen = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    let reply: Api.messages.TypeDialogs;
    try {
      const outcome = await callTelegram(context.policy, METHODS.getDialogs, () => context.gateway.getDialogs(offset, PAGE_SIZE));
      if (!outcome.ok) break;
      reply = outcome.value;
    } catch (error) {
      if (error instanceof RunDeferredError) {
        context.deferredMethods.add(METHODS.getDialogs);
        return null;
      }
      throw error;
    }
    if (reply.className === 'messages.DialogsNotModified') break;
    const entities = mapEntities(context.accountId, reply.users, reply.chats);
    await context.transact((db) => writeBatch(db, entities, { runId: context.runId }));
    const dialogs = reply.dialogs.filter((dialog): dialog is Api.Dialog => dialog.className === 'Dialog');
    seen += dialogs.length;
    const next = nextOffset(context, folderId, reply, dialogs, entities);
    if (reply.className === 'messages.Dialogs' || dialogs.length === 0 || next === null || seen >= reply.count) break;
    offset = next;
  }
  return seen;
}

/** Telegram's offset for the next page: the last dialog's top message date and id, and its peer. */
function nextOffset(
  context: RunContext,
  folderId: number,
  reply: Api.messages.Dialogs | Api.messages.DialogsSlice,
  dialogs: readonly Api.Dialog[],
  entities: BatchRows,
): DialogsOffset | null {
  const last = dialogs.at(-1);
  if (last === undefined) return null;
  const key = peerKeyOf(last.peer);
  const messageContext = { accountId: context.accountId, selfUserId: context.selfUserId };
  const topMessage = reply.messages
    .map((message) => mapMessage(messageContext, message))
    .find((message) => message !== null && message.peerType === key.peerType && message.peerId === key.peerId && message.id === last.topMessage);
  const accessHash =
    key.peerType === 'user'
      ? (entities.accountUsers.find((row) => row.userId === key.peerId)?.accessHash ?? null)
      : key.peerType === 'channel'
        ? (entities.accountChannels.find((row) => row.channelId === key.peerId)?.accessHash ?? null)
        : null;
  if (key.peerType !== 'chat' && accessHash === null) return null;
  const offsetPeer: InputPeerRef = { ...key, accessHash };
  return { offsetDate: topMessage?.sentAt ?? 0, offsetId: last.topMessage, offsetPeer, folderId };
}
