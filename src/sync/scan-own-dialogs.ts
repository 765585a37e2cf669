import type { BatchRows, PeerKey } from '../model/rows.ts';
import { writeBatch } from '../store/write-batch.ts';
import { METHODS, type DialogsOffset } from '../telegram/gateway.ts';
import type { InputPeerRef } from '../telegram/input-peers.ts';
import type { DialogsContent, PageDialog } from '../telegram/mapping/map-dialogs-page.ts';
import { callTelegram } from './call-policy.ts';
import { RunDeferredError } from './run-errors.ts';
import type { RunContext } from './run-context.ts';

const PAGE_SIZE = 100;

/** The main list and the archive: without folder_id Telegram lists only the main one. */
const FOLDERS = [0, 1] as const;

/** One dialog of the account's own list, with what its page said about the peer. */
export interface ScannedDialog extends PeerKey {
  /** 0 = the main list, 1 = the archive. */
  readonly folderId: number;
  /** Every active username, as Telegram spells them (users and channels; none for basic groups). */
  readonly usernames: readonly string[];
  /** This account's full access hash (users and channels); null for basic groups or a min copy. */
  readonly accessHash: bigint | null;
  /** A basic group upgraded to a supergroup: the supergroup's channel id (Chat.migrated_to). */
  readonly migratedToChannelId: bigint | null;
}

export interface DialogScan {
  /** Each dialog once, in the list's order (main list, then archive). */
  readonly dialogs: readonly ScannedDialog[];
  /**
   * False when the scan could not reach the end of a list: getDialogs is deferred by a long flood
   * wait, failed, or a page gave no way to continue. A peer missing from an incomplete scan may
   * still be among the account's dialogs.
   */
  readonly complete: boolean;
  /** getDialogs calls made. */
  readonly pages: number;
}

/**
 * One pass over the account's own dialog lists (messages.getDialogs, Telegram's offset pagination),
 * to its end: every page's users and chats are stored, which also refreshes every access hash the
 * account has. Only the entities are written (the dialogs of configured peers come from
 * getPeerDialogs); the list itself is returned for the caller to match peers against. Reusable by
 * any step that needs the account's dialogs (resolution, peers by rule).
 */
export function scanOwnDialogs(context: RunContext, observe?: DialogPageObserver): Promise<DialogScan> {
  // At most once per run (per RunContext): a later caller (resolution after peers rules) gets the first scan.
  const earlier = scansOfRun.get(context);
  if (earlier !== undefined) return earlier;
  const scan = scanAll(context, observe);
  scansOfRun.set(context, scan);
  return scan;
}

/** Sees every page of the scan (peers rules read kinds, mutes and contacts from them). */
export type DialogPageObserver = (folderId: number, page: DialogsContent) => void;

const scansOfRun = new WeakMap<RunContext, Promise<DialogScan>>();

async function scanAll(context: RunContext, observe: DialogPageObserver | undefined): Promise<DialogScan> {
  const dialogs = new Map<string, ScannedDialog>();
  let pages = 0;
  let complete = true;
  for (const folderId of FOLDERS) {
    const folder = await scanFolder(context, folderId, dialogs, observe);
    pages += folder.pages;
    if (!folder.complete) {
      complete = false;
      if (folder.deferred) break;
    }
  }
  const result = { dialogs: [...dialogs.values()], complete, pages };
  const log = { dialogs: result.dialogs.length, pages, complete };
  if (complete) context.logger.info(log, "scanned the account's dialog list");
  else
    context.logger.warn(
      log,
      "scanned part of the account's dialog list only; peers missing from it are looked for again by the next run",
    );
  return result;
}

interface FolderScan {
  readonly pages: number;
  readonly complete: boolean;
  /** getDialogs is deferred: no further call this run. */
  readonly deferred: boolean;
}

async function scanFolder(
  context: RunContext,
  folderId: number,
  into: Map<string, ScannedDialog>,
  observe: DialogPageObserver | undefined,
): Promise<FolderScan> {
  if (context.deferredMethods.has(METHODS.getDialogs)) return { pages: 0, complete: false, deferred: true };
  let offset: DialogsOffset = { offsetDate: 0, offsetId: 0, offsetPeer: null, folderId };
  let seen = 0;
  let pages = 0;
  // No fixed page cap (a long list must be read to its end), but a list never has more pages than its
  // count says: beyond that, Telegram's offsets are not advancing and the scan stops as incomplete.
  let pageLimit = Number.POSITIVE_INFINITY;
  for (;;) {
    if (pages >= pageLimit) return { pages, complete: false, deferred: false };
    let page;
    try {
      pages += 1;
      const outcome = await callTelegram(context.policy, METHODS.getDialogs, () =>
        context.gateway.getDialogs(offset, PAGE_SIZE, context),
      );
      if (!outcome.ok) return { pages, complete: false, deferred: false };
      page = outcome.value;
    } catch (error) {
      if (error instanceof RunDeferredError) {
        context.deferredMethods.add(METHODS.getDialogs);
        return { pages, complete: false, deferred: true };
      }
      throw error;
    }
    if (page.kind === 'not-modified') return { pages, complete: true, deferred: false };
    const entities = page.entities;
    await context.transact((db) => writeBatch(db, entities, { runId: context.runId }));
    observe?.(folderId, page);
    const dialogs = page.dialogs;
    for (const dialog of dialogs) {
      const scanned = scannedDialog(dialog, folderId, entities);
      into.set(`${scanned.peerType}:${scanned.peerId}`, scanned);
    }
    seen += dialogs.length;
    if (page.kind === 'list' || dialogs.length === 0 || seen >= page.count)
      return { pages, complete: true, deferred: false };
    pageLimit = Math.ceil(page.count / PAGE_SIZE) + 1;
    const next = nextOffset(folderId, dialogs, entities);
    if (next === null) return { pages, complete: false, deferred: false };
    offset = next;
  }
}

function scannedDialog(dialog: PageDialog, folderId: number, entities: BatchRows): ScannedDialog {
  const key = dialog.peer;
  const base = { ...key, folderId, usernames: [] as readonly string[], accessHash: null, migratedToChannelId: null };
  if (key.peerType === 'user') {
    const user = entities.users.find((row) => row.id === key.peerId);
    const hash = entities.accountUsers.find((row) => row.userId === key.peerId)?.accessHash ?? null;
    return { ...base, usernames: user?.usernames ?? [], accessHash: hash };
  }
  if (key.peerType === 'channel') {
    const channel = entities.channels.find((row) => row.id === key.peerId);
    const hash = entities.accountChannels.find((row) => row.channelId === key.peerId)?.accessHash ?? null;
    return { ...base, usernames: channel?.usernames ?? [], accessHash: hash };
  }
  const chat = entities.chats.find((row) => row.id === key.peerId);
  return { ...base, migratedToChannelId: chat?.migratedToChannelId ?? null };
}

/** Telegram's offset for the next page: the last dialog's top message date and id, and its peer. */
function nextOffset(folderId: number, dialogs: readonly PageDialog[], entities: BatchRows): DialogsOffset | null {
  const last = dialogs.at(-1);
  if (last === undefined) return null;
  const key = last.peer;
  const accessHash =
    key.peerType === 'user'
      ? (entities.accountUsers.find((row) => row.userId === key.peerId)?.accessHash ?? null)
      : key.peerType === 'channel'
        ? (entities.accountChannels.find((row) => row.channelId === key.peerId)?.accessHash ?? null)
        : null;
  if (key.peerType !== 'chat' && accessHash === null) return null;
  const offsetPeer: InputPeerRef = { ...key, accessHash };
  return { offsetDate: last.topMessageDate ?? 0, offsetId: last.topMessageId, offsetPeer, folderId };
}
