import { AppError } from '../errors/app-error.ts';
import { BrokenAuthKeyError } from './broken-auth-key.ts';
import { CallTimeoutError } from './call-timeout-error.ts';

/** The client was destroyed while the call was outstanding. */
export class ClientDestroyedError extends AppError<'client_destroyed'> {
  constructor(readonly method: string) {
    super(`${method} was abandoned: the Telegram client was destroyed`, { kind: 'client_destroyed' });
  }
}

/**
 * Every Telegram call gets a deadline: GramJS has none of its own, so a reply that never comes would
 * hang the run forever. The late reply, if it ever arrives, is ignored. `cancel` settles the call at
 * once when the client is destroyed (or its auth key turned out dead: then with that error): GramJS leaves such calls pending forever, and their deadline
 * timers would keep a stopping process alive for up to the whole timeout.
 */
export async function withTimeout<Result>(
  method: string,
  timeoutMs: number,
  call: Promise<Result>,
  cancel?: AbortSignal,
): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(method, timeoutMs)), timeoutMs);
    if (cancel === undefined) return;
    // A dead auth key is the reason itself; anything else means the client was destroyed.
    onCancel = () =>
      reject(cancel.reason instanceof BrokenAuthKeyError ? cancel.reason : new ClientDestroyedError(method));
    if (cancel.aborted) onCancel();
    else cancel.addEventListener('abort', onCancel, { once: true });
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
    if (onCancel !== undefined) cancel?.removeEventListener('abort', onCancel);
    // The losing promise may still reject later; nobody awaits it, so keep that from becoming an
    // unhandled rejection.
    call.catch(() => undefined);
  }
}
