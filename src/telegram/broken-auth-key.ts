/**
 * Transport error −404: Telegram no longer knows the session's authorization key. GramJS 2.26.22's
 * main sender only reports it (`_handleBadAuthKey` emits a "broken" connection state) and ends its
 * receive loop, so every call after it, and a connect() that meets it, would wait for the job's
 * deadline and be retried as a timeout for ever. The session is dead: the job must say "log in again".
 */
import { AppError } from '../errors/app-error.ts';

export class BrokenAuthKeyError extends AppError<'broken_auth_key'> {
  constructor(readonly dcId: number) {
    super(`Telegram's DC ${dcId} does not know this session's authorization key (transport error -404)`, {
      kind: 'broken_auth_key',
    });
  }
}

/** The parts of GramJS's MTProtoSender this watch uses. */
interface SenderWithBadKeyHandler {
  _dcId?: number;
  _isMainSender?: boolean;
  _handleBadAuthKey?: (shouldSkipForMain?: boolean) => void;
}

/**
 * Calls `onBroken` when the client's main sender meets an unknown auth key. GramJS creates its sender
 * inside connect() (and again after switching DCs), so the watch sits on the client's `_sender`
 * property and wraps each sender as it is assigned. Must be installed before connect().
 */
export function watchForBrokenAuthKey(client: object, onBroken: (error: BrokenAuthKeyError) => void): void {
  let current = (client as { _sender?: SenderWithBadKeyHandler })._sender;
  const wrap = (sender: SenderWithBadKeyHandler | undefined) => {
    const original = sender?._handleBadAuthKey;
    if (sender === undefined || original === undefined) return;
    sender._handleBadAuthKey = (shouldSkipForMain = false) => {
      // GramJS calls it with `true` for AUTH_KEY_UNREGISTERED on the main sender and ignores that:
      // such RPC errors reach the job as errors of their own.
      if (sender._isMainSender === true && !shouldSkipForMain) onBroken(new BrokenAuthKeyError(sender._dcId ?? 0));
      original.call(sender, shouldSkipForMain);
    };
  };
  wrap(current);
  Object.defineProperty(client, '_sender', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (sender: SenderWithBadKeyHandler | undefined) => {
      current = sender;
      wrap(sender);
    },
  });
}
