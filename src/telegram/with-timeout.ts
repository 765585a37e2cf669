import { CallTimeoutError } from './call-timeout-error.ts';

/**
 * Every Telegram call gets a deadline: GramJS has none of its own, so a reply that never comes would
 * hang the run forever. The late reply, if it ever arrives, is ignored.
 */
export async function withTimeout<Result>(method: string, timeoutMs: number, call: Promise<Result>): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(method, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call, deadline]);
  } finally {
    clearTimeout(timer);
    // The losing promise may still reject later; nobody awaits it, so keep that from becoming an
    // unhandled rejection.
    call.catch(() => undefined);
  }
}
