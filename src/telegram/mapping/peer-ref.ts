import type { Api } from 'telegram';
import type { PeerKey } from '../../model/rows.ts';
import { toBigInt } from './tl-values.ts';

/** Telegram's Peer (PeerUser / PeerChat / PeerChannel) as a (type, id) key. */
export function peerKeyOf(peer: Api.TypePeer): PeerKey {
  switch (peer.className) {
    case 'PeerUser':
      return { peerType: 'user', peerId: toBigInt(peer.userId) };
    case 'PeerChat':
      return { peerType: 'chat', peerId: toBigInt(peer.chatId) };
    case 'PeerChannel':
      return { peerType: 'channel', peerId: toBigInt(peer.channelId) };
  }
}

/** A stable string for maps and sets: "user:123". */
export function peerKeyString(key: PeerKey): string {
  return `${key.peerType}:${key.peerId}`;
}
