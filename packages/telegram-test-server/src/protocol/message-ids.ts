/**
 * Server message ids: about unixtime * 2^32, strictly increasing across the whole server (GramJS
 * rejects duplicates), ≡ 1 (mod 4) for replies to client messages and ≡ 3 for messages the server
 * sends on its own.
 */
export type ServerMessageKind = 'reply' | 'unsolicited';

export class ServerMessageIds {
  private last = 0n;

  next(kind: ServerMessageKind): bigint {
    const nowMs = BigInt(Date.now());
    let id = ((nowMs / 1000n) << 32n) | (((nowMs % 1000n) * 4294967n) & 0xfffffffcn);
    if (id <= this.last) id = (this.last | 3n) + 1n;
    id = (id & ~3n) | (kind === 'reply' ? 1n : 3n);
    this.last = id;
    return id;
  }
}
