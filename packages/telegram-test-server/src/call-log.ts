/**
 * A record of every RPC call the local data centers received, for tests to assert what happened
 * and what overlapped with what. Times are monotonic milliseconds (`performance.now()`).
 */
import { EventEmitter } from 'node:events';
import { Api } from 'telegram';
import { toNativeBigInt } from './protocol/bytes.ts';

export interface PeerRef {
  type: 'user' | 'chat' | 'channel' | 'self';
  id: bigint;
}

export type CallOutcome =
  | { kind: 'pending' }
  | { kind: 'ok' }
  | { kind: 'error'; code: number; message: string }
  /** The server closed the connection instead of replying (`before-reply`) or right after (`after-reply`), or the client went away first. */
  | { kind: 'dropped'; when: 'before-reply' | 'after-reply' | 'client-disconnected' }
  /** A fault swallowed the reply: it will never be sent. */
  | { kind: 'hung' }
  /** A fault sent a transport error packet (-code) instead of the reply. */
  | { kind: 'transport-error'; code: number };

export interface CallLogEntry {
  readonly id: number;
  /** GramJS class name of the innermost request, e.g. `messages.GetPeerDialogs`. */
  readonly method: string;
  readonly dcId: number;
  readonly authKeyId: string;
  readonly connectionId: number;
  readonly sessionId: string;
  readonly msgId: bigint;
  /** The account the auth key was bound to when the call arrived. */
  readonly accountUserId: bigint | null;
  /** For messages.getPeerDialogs: the requested peers in request order. */
  readonly peers: readonly PeerRef[] | null;
  readonly request: Api.AnyRequest | object;
  readonly startedAt: number;
  endedAt: number | null;
  outcome: CallOutcome;
  /** An unexpected exception the handler threw (the client got 500 INTERNAL). */
  failure?: unknown;
}

export type CallFilter = (entry: CallLogEntry) => boolean;

/** The peers of a messages.getPeerDialogs request, in order; null for other methods. */
export function requestedPeers(request: unknown): PeerRef[] | null {
  if (!(request instanceof Api.messages.GetPeerDialogs)) return null;
  return request.peers.map((dialogPeer) => {
    const peer = (dialogPeer as Api.InputDialogPeer).peer;
    if (peer instanceof Api.InputPeerUser) return { type: 'user', id: toNativeBigInt(peer.userId) };
    if (peer instanceof Api.InputPeerChat) return { type: 'chat', id: toNativeBigInt(peer.chatId) };
    if (peer instanceof Api.InputPeerChannel) return { type: 'channel', id: toNativeBigInt(peer.channelId) };
    if (peer instanceof Api.InputPeerUserFromMessage) return { type: 'user', id: toNativeBigInt(peer.userId) };
    if (peer instanceof Api.InputPeerChannelFromMessage) return { type: 'channel', id: toNativeBigInt(peer.channelId) };
    return { type: 'self', id: 0n };
  });
}

/** True when the two calls were in progress at the same moment (an unfinished call lasts forever). */
export function callsOverlap(a: CallLogEntry, b: CallLogEntry): boolean {
  const aEnd = a.endedAt ?? Number.POSITIVE_INFINITY;
  const bEnd = b.endedAt ?? Number.POSITIVE_INFINITY;
  return a.startedAt < bEnd && b.startedAt < aEnd;
}

export class CallLog {
  private readonly log: CallLogEntry[] = [];
  private readonly events = new EventEmitter();
  private nextId = 1;

  /** @param maxEntries keep only the newest entries (long manual runs); tests keep everything. */
  constructor(private readonly maxEntries = Number.POSITIVE_INFINITY) {
    this.events.setMaxListeners(0);
  }

  /** Used by the server: records a call as it arrives. */
  start(entry: Omit<CallLogEntry, 'id' | 'startedAt' | 'endedAt' | 'outcome'>): CallLogEntry {
    const full: CallLogEntry = {
      ...entry,
      id: this.nextId++,
      startedAt: performance.now(),
      endedAt: null,
      outcome: { kind: 'pending' },
    };
    this.log.push(full);
    if (this.log.length > this.maxEntries) this.log.splice(0, Math.max(1, Math.floor(this.maxEntries / 10)));
    this.events.emit('change', full);
    return full;
  }

  /** Used by the server: records how a call ended. A hung call keeps `endedAt` null. */
  finish(entry: CallLogEntry, outcome: Exclude<CallOutcome, { kind: 'pending' }>): void {
    if (entry.outcome.kind !== 'pending' && entry.outcome.kind !== 'hung') return;
    entry.outcome = outcome;
    if (outcome.kind !== 'hung') entry.endedAt = performance.now();
    this.events.emit('change', entry);
  }

  entries(filter?: CallFilter): CallLogEntry[] {
    return filter ? this.log.filter(filter) : [...this.log];
  }

  /** Entries for one method (GramJS class name, e.g. `messages.GetPeerDialogs`, case-insensitive). */
  calls(method: string): CallLogEntry[] {
    const wanted = method.toLowerCase();
    return this.log.filter((e) => e.method.toLowerCase() === wanted);
  }

  clear(): void {
    this.log.length = 0;
  }

  /** The largest number of matching calls that were in progress at the same moment. */
  maxConcurrency(filter?: CallFilter): number {
    const points: Array<[number, number]> = [];
    for (const e of this.entries(filter)) {
      points.push([e.startedAt, 1], [e.endedAt ?? Number.POSITIVE_INFINITY, -1]);
    }
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let current = 0;
    let max = 0;
    for (const [, delta] of points) {
      current += delta;
      max = Math.max(max, current);
    }
    return max;
  }

  /**
   * Resolves once at least `count` entries satisfy `predicate` (checked again whenever a call
   * starts or ends), with those entries. Use it instead of sleeping.
   */
  waitFor(predicate: CallFilter, count = 1, signal?: AbortSignal): Promise<CallLogEntry[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const matching = this.log.filter(predicate);
        if (matching.length >= count) {
          cleanup();
          resolve(matching);
          return true;
        }
        return false;
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason ?? new Error('aborted'));
      };
      const cleanup = (): void => {
        this.events.off('change', check);
        signal?.removeEventListener('abort', onAbort);
      };
      if (check()) return;
      this.events.on('change', check);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
