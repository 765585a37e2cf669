/**
 * Assembles the dialogs/messages/chats/users vectors of a reply for one account.
 *
 * Entities are NOT de-duplicated across dialogs: when the same user sent the top message of two
 * dialogs it appears twice in `users`, as Telegram sends it. Inside a channel or supergroup,
 * senders and forward sources the account does not know come as `min` constructors.
 */
import { Api } from 'telegram';
import { folderSummary } from './dialog-lists.ts';
import { messageFor } from './messages.ts';
import { tl } from './fast-tl.ts';
import type { DialogRecord, PeerRecord, WorldMessage } from './model.ts';
import type { AccountState, WorldState } from './state.ts';
import { chatToTl, dialogToTl, messageToTl, peerToTl, userToTl, type VolatileContext } from './to-tl.ts';
import { anyChatView, dialogView, peerMarkedId, userView } from './views.ts';

export function volatileContext(state: WorldState): VolatileContext {
  return { seed: state.seed, tick: state.tick, now: state.clock() };
}

export class ReplyBuilder {
  readonly dialogs: Api.TypeDialog[] = [];
  readonly messages: Api.TypeMessage[] = [];
  readonly chats: Api.TypeChat[] = [];
  readonly users: Api.TypeUser[] = [];
  readonly vol: VolatileContext;

  constructor(
    private readonly state: WorldState,
    private readonly acc: AccountState,
  ) {
    this.vol = volatileContext(state);
  }

  addPeer(peer: PeerRecord, allowMin: boolean): void {
    if (peer.kind === 'user') this.users.push(userToTl(userView(this.state, this.acc, peer, allowMin), this.vol));
    else this.chats.push(chatToTl(anyChatView(this.state, this.acc, peer, allowMin)));
  }

  addMarked(marked: bigint, allowMin: boolean): void {
    const index = this.state.byMarkedId.get(marked);
    const peer = index === undefined ? undefined : this.state.peers[index];
    if (peer) this.addPeer(peer, allowMin);
  }

  /** The message plus the entities it references (sender, forward source, users in actions). */
  addMessage(msg: WorldMessage, inChannel: boolean): void {
    this.messages.push(messageToTl(msg, this.vol));
    if (msg.from !== null && msg.from !== msg.peer) this.addMarked(msg.from, inChannel);
    if (msg.fwdFrom) this.addMarked(msg.fwdFrom.from, true);
    if (msg.action && (msg.action.type === 'chatCreate' || msg.action.type === 'addUser')) {
      for (const id of msg.action.userIds) this.addMarked(id, false);
    }
  }

  addDialog(dialog: DialogRecord): void {
    const peer = this.state.peers[dialog.peerIndex] as PeerRecord;
    this.dialogs.push(dialogToTl(dialogView(this.state, dialog)));
    this.addPeer(peer, false);
    const msg = messageFor(this.state, this.acc.account.index, peer.index, dialog.topMessage);
    if (msg) this.addMessage(msg, peer.kind === 'channel');
  }

  /**
   * A DialogFolder entry (Telegram's archive row) with its top dialog's message and entities.
   * Returns false when the folder is empty (Telegram then sends nothing for it).
   */
  addFolder(folderId: number): boolean {
    const summary = folderSummary(this.state, this.acc, folderId);
    if (!summary) return false;
    const top = this.acc.dialogs.get(summary.topPeerIndex) as DialogRecord;
    const peer = this.state.peers[summary.topPeerIndex] as PeerRecord;
    this.dialogs.push(
      tl(Api.DialogFolder, {
        folder: tl(Api.Folder, { id: folderId, title: folderId === 1 ? 'Archived Chats' : `Folder ${folderId}` }),
        peer: peerToTl(peerMarkedId(peer)),
        topMessage: top.topMessage,
        unreadMutedPeersCount: summary.unreadMutedPeersCount,
        unreadUnmutedPeersCount: summary.unreadUnmutedPeersCount,
        unreadMutedMessagesCount: summary.unreadMutedMessagesCount,
        unreadUnmutedMessagesCount: summary.unreadUnmutedMessagesCount,
      }),
    );
    this.addPeer(peer, false);
    const msg = messageFor(this.state, this.acc.account.index, peer.index, top.topMessage);
    if (msg) this.addMessage(msg, peer.kind === 'channel');
    return true;
  }
}
