/** A Telegram call that got no reply in time. GramJS has no per-request timeout, so the job adds one. */
import { AppError } from '../errors/app-error.ts';

export class CallTimeoutError extends AppError<'call_timeout'> {
  readonly method: string;
  readonly timeoutMs: number;

  constructor(method: string, timeoutMs: number) {
    super(`${method} got no reply within ${timeoutMs} ms`, { kind: 'call_timeout' });
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}
