import bigInt from 'big-integer';
import { Api, type TelegramClient } from 'telegram';
import { watchForBrokenAuthKey } from './broken-auth-key.ts';
import { carryAuthorizationOnDcSwitch, migrationTarget } from './switch-data-center.ts';
import { CallTimeoutError } from './call-timeout-error.ts';
import { TelegramConnectError } from './connect-error.ts';
import { lastGramJsError } from './gramjs-logger.ts';
import { toInputPeer, type InputPeerRef } from './input-peers.ts';
import type { BatchRows } from '../model/rows.ts';
import { mapDialogFilters, type FolderDefinition } from './mapping/map-dialog-filters.ts';
import { mapDialogsPage, type DialogsPage } from './mapping/map-dialogs-page.ts';
import {
  mapBasicGroups,
  mapChannelAnswers,
  mapInviteCheck,
  mapResolvedUsername,
  mapSelf,
  type BasicGroups,
  type ChannelAnswers,
  type InviteCheck,
  type ResolvedUsername,
  type SelfUser,
} from './mapping/map-lookups.ts';
import { mapPeerDialogs } from './mapping/map-peer-dialogs.ts';
import { withTimeout } from './with-timeout.ts';

/** The Telegram methods this job calls, named as in the API (also used for per-method waits). */
export const METHODS = {
  /** Connecting (GramJS sends initConnection + help.getConfig); session errors surface here first. */
  connect: 'connect',
  getPeerDialogs: 'messages.getPeerDialogs',
  resolveUsername: 'contacts.resolveUsername',
  checkChatInvite: 'messages.checkChatInvite',
  getDialogs: 'messages.getDialogs',
  getChats: 'messages.getChats',
  getChannels: 'channels.getChannels',
  getDialogFilters: 'messages.getDialogFilters',
  getSelf: 'users.getUsers',
  /** A call that carries no peer: tells a bad account from bad peers. */
  getState: 'updates.getState',
} as const;

export type TelegramMethod = (typeof METHODS)[keyof typeof METHODS];

/** The methods whose request names peers: an error Telegram gives them may be one peer's problem. */
const PEER_CARRYING_METHODS: ReadonlySet<TelegramMethod> = new Set([
  METHODS.getPeerDialogs,
  METHODS.resolveUsername,
  METHODS.checkChatInvite,
  METHODS.getChats,
  METHODS.getChannels,
]);

export function carriesPeers(method: TelegramMethod): boolean {
  return PEER_CARRYING_METHODS.has(method);
}

/** Where messages.getDialogs continues: Telegram's offset triple from the last dialog of a page. */
export interface DialogsOffset {
  readonly offsetDate: number;
  readonly offsetId: number;
  readonly offsetPeer: InputPeerRef | null;
  /** 0 = the main list, 1 = the archive. */
  readonly folderId: number;
}

/**
 * Whose rows a reply becomes: the account (its own view of every peer goes to the account_* rows)
 * and its own user (the sender of its outgoing private messages, and InputPeerSelf in folders).
 */
export interface ReplyOwner {
  readonly accountId: number;
  readonly selfUserId: bigint;
}

/**
 * Telegram as the run sees it: plain values in, plain values out (rows, peer keys, facts). GramJS's
 * objects stay inside src/telegram/; replies are mapped here, as they arrive.
 */
export interface TelegramGateway {
  /** The logged-in account's own user (a session that names no user fails). */
  getSelf(): Promise<SelfUser>;
  /** One getPeerDialogs reply as the rows to write. */
  getPeerDialogs(peers: readonly InputPeerRef[], owner: ReplyOwner): Promise<BatchRows>;
  resolveUsername(username: string, owner: ReplyOwner): Promise<ResolvedUsername>;
  checkChatInvite(hash: string, owner: ReplyOwner): Promise<InviteCheck>;
  getDialogs(offset: DialogsOffset, limit: number, owner: ReplyOwner): Promise<DialogsPage>;
  /** Basic groups by id (they need no access hash); tells whether one was upgraded to a supergroup. */
  getChats(chatIds: readonly bigint[], owner: ReplyOwner): Promise<BasicGroups>;
  /** Channels by id and access hash. */
  getChannels(channels: readonly InputPeerRef[], owner: ReplyOwner): Promise<ChannelAnswers>;
  /** The account's update state, unread: it carries no peer, so it fails only for account-wide reasons. */
  getState(): Promise<void>;
  /** The account's folders (dialog filters), for peers rules that name a folder. */
  getDialogFilters(owner: ReplyOwner): Promise<FolderDefinition[]>;
  /** Stops GramJS entirely (its update loop too) — the session must not be used after this. */
  destroy(): Promise<void>;
}

export interface GatewayOptions {
  readonly client: TelegramClient;
  /** Deadline for every call, including connecting. */
  readonly callTimeoutMs: number;
  /** Called with the new session string after a move to another data center, to store it. */
  readonly onSessionChanged?: (session: string) => Promise<void>;
}

/**
 * The only place that calls GramJS. Each call builds its request from plain values, has a deadline,
 * maps its reply to plain values (src/telegram/mapping/), and lets GramJS's own errors through
 * unchanged for classifyTelegramError to read.
 */
export async function openGateway(options: GatewayOptions): Promise<TelegramGateway> {
  const { client, callTimeoutMs } = options;
  // Aborted by destroy(), or with a BrokenAuthKeyError when Telegram no longer knows the session's key:
  // outstanding calls (connecting included) settle at once instead of at their deadline, and later
  // ones fail at once, since GramJS stops reading after a −404.
  const destroyed = new AbortController();
  watchForBrokenAuthKey(client, (error) => {
    if (!destroyed.signal.aborted) destroyed.abort(error);
  });
  const connected = await withTimeout('connect', callTimeoutMs, client.connect(), destroyed.signal).catch(
    async (error: unknown) => {
      disarmReconnects(client);
      await client.destroy().catch(() => undefined);
      // GramJS may still be between its own attempts at the deadline: the socket's error says more.
      const socketError = lastGramJsError(client);
      throw error instanceof CallTimeoutError && socketError !== undefined
        ? new TelegramConnectError(socketError)
        : error;
    },
  );
  if (connected === false) {
    // GramJS gave up after its own connection retries: it answers false rather than throwing.
    disarmReconnects(client);
    await client.destroy().catch(() => undefined);
    throw new TelegramConnectError(lastGramJsError(client) ?? new Error('GramJS could not connect'));
  }
  const switchDc = carryAuthorizationOnDcSwitch(client, async () => {
    // The session now names DC X and its new key: without storing it every run would migrate again.
    // Awaited, so a short-lived `sync` does not exit before it is stored; a failure to store is the
    // caller's to report and does not fail the call.
    await options.onSessionChanged?.(String(client.session.save())).catch(() => undefined);
  });
  const invokeOnce = <Result>(method: TelegramMethod, request: Parameters<TelegramClient['invoke']>[0]) =>
    withTimeout(method, callTimeoutMs, client.invoke(request) as Promise<Result>, destroyed.signal);
  const invoke = async <Result>(
    method: TelegramMethod,
    request: Parameters<TelegramClient['invoke']>[0],
  ): Promise<Result> => {
    try {
      return await invokeOnce<Result>(method, request);
    } catch (error) {
      // 303 *_MIGRATE_X that GramJS rethrows: move there with the authorization and try once more
      // (a second 303 reaches the error policy).
      const dcId = migrationTarget(error);
      if (dcId === null) throw error;
      await withTimeout(`${method} (moving to DC ${dcId})`, callTimeoutMs, switchDc(dcId), destroyed.signal);
      return await invokeOnce<Result>(method, request);
    }
  };

  return {
    async getSelf() {
      const [self] = await invoke<Api.TypeUser[]>(
        METHODS.getSelf,
        new Api.users.GetUsers({ id: [new Api.InputUserSelf()] }),
      );
      if (self === undefined || self.className !== 'User')
        throw new Error('Telegram returned no user for this session');
      return mapSelf(self);
    },
    async getPeerDialogs(peers, owner) {
      const request = new Api.messages.GetPeerDialogs({
        peers: peers.map((peer) => new Api.InputDialogPeer({ peer: toInputPeer(peer) })),
      });
      return mapPeerDialogs(owner, await invoke<Api.messages.PeerDialogs>(METHODS.getPeerDialogs, request));
    },
    async resolveUsername(username, owner) {
      const reply = await invoke<Api.contacts.ResolvedPeer>(
        METHODS.resolveUsername,
        new Api.contacts.ResolveUsername({ username }),
      );
      return mapResolvedUsername(owner.accountId, reply);
    },
    async checkChatInvite(hash, owner) {
      const reply = await invoke<Api.TypeChatInvite>(
        METHODS.checkChatInvite,
        new Api.messages.CheckChatInvite({ hash }),
      );
      return mapInviteCheck(owner.accountId, reply);
    },
    async getDialogs(offset, limit, owner) {
      const request = new Api.messages.GetDialogs({
        offsetDate: offset.offsetDate,
        offsetId: offset.offsetId,
        offsetPeer: offset.offsetPeer === null ? new Api.InputPeerEmpty() : toInputPeer(offset.offsetPeer),
        limit,
        hash: bigInt.zero,
        folderId: offset.folderId,
      });
      return mapDialogsPage(owner.accountId, await invoke<Api.messages.TypeDialogs>(METHODS.getDialogs, request));
    },
    async getChats(chatIds, owner) {
      const reply = await invoke<Api.messages.TypeChats>(
        METHODS.getChats,
        new Api.messages.GetChats({ id: chatIds.map((id) => bigInt(id.toString())) }),
      );
      return mapBasicGroups(owner.accountId, reply);
    },
    async getChannels(channels, owner) {
      const id = channels.map((channel) => {
        const input = toInputPeer(channel);
        if (input.className !== 'InputPeerChannel')
          throw new Error(`${channel.peerType} ${channel.peerId} is not a channel`);
        return new Api.InputChannel({ channelId: input.channelId, accessHash: input.accessHash });
      });
      const reply = await invoke<Api.messages.TypeChats>(METHODS.getChannels, new Api.channels.GetChannels({ id }));
      return mapChannelAnswers(owner.accountId, reply);
    },
    async getState() {
      await invoke<Api.updates.State>(METHODS.getState, new Api.updates.GetState());
    },
    async getDialogFilters(owner) {
      const reply = await invoke<Api.messages.DialogFilters>(
        METHODS.getDialogFilters,
        new Api.messages.GetDialogFilters(),
      );
      return mapDialogFilters(reply, owner.selfUserId);
    },
    async destroy() {
      destroyed.abort();
      disarmReconnects(client);
      await client.destroy();
    },
  };
}

/** The parts of GramJS's MTProtoSender that reconnect by themselves. */
interface ReconnectingSender {
  reconnect: () => void;
  _reconnect: () => Promise<void>;
  connect: (...args: unknown[]) => Promise<boolean>;
  _connect: () => Promise<void>;
  _pendingState?: { clear(): void };
  _sendQueue?: { clear(): void };
}

/**
 * GramJS 2.26.22 reconnects one second after a dropped connection and does so even when the client was
 * destroyed in that second: it opens a new connection and resends the pending requests (seen in
 * test/integration/resilience/transient-errors.test.ts). A destroyed client would go on using the
 * session — after a lost account lock, while another runner may hold it. So before destroying, the
 * sender's reconnect and connect are made no-ops and nothing is left to resend. (A connect already
 * inside its TCP handshake at that moment cannot be recalled; its requests are gone all the same.)
 */
function disarmReconnects(client: TelegramClient): void {
  const sender = (client as unknown as { _sender?: ReconnectingSender })._sender;
  if (sender === undefined) return;
  sender.reconnect = () => undefined;
  sender._reconnect = async () => undefined;
  sender.connect = async () => false;
  sender._connect = async () => {
    throw new Error('the Telegram client was destroyed');
  };
  sender._pendingState?.clear();
  sender._sendQueue?.clear();
}
