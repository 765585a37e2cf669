import { AppError } from '../errors/app-error.ts';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import type { PeerType } from '../model/rows.ts';

/** A stored peer as the job calls Telegram with it: type, id and this account's full access hash. */
export interface InputPeerRef {
  readonly peerType: PeerType;
  readonly peerId: bigint;
  /** Required for users and channels; basic groups have none. Never a `min` hash. */
  readonly accessHash: bigint | null;
}

export class MissingAccessHashError extends AppError<'missing_access_hash'> {
  constructor(readonly peer: InputPeerRef) {
    super(`${peer.peerType} ${peer.peerId} has no stored access hash for this account`, {
      kind: 'missing_access_hash',
    });
  }
}

/**
 * The InputPeer for a stored peer. GramJS cannot resolve bare strings inside getPeerDialogs' peers,
 * so the job builds these itself from stored ids and hashes.
 */
export function toInputPeer(peer: InputPeerRef): Api.TypeInputPeer {
  switch (peer.peerType) {
    case 'chat':
      return new Api.InputPeerChat({ chatId: bigInt(peer.peerId.toString()) });
    case 'user':
      if (peer.accessHash === null) throw new MissingAccessHashError(peer);
      return new Api.InputPeerUser({
        userId: bigInt(peer.peerId.toString()),
        accessHash: bigInt(peer.accessHash.toString()),
      });
    case 'channel':
      if (peer.accessHash === null) throw new MissingAccessHashError(peer);
      return new Api.InputPeerChannel({
        channelId: bigInt(peer.peerId.toString()),
        accessHash: bigInt(peer.accessHash.toString()),
      });
  }
}
