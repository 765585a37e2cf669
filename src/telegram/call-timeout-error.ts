/** A Telegram call that got no reply in time. GramJS has no per-request timeout, so the job adds one. */
export class CallTimeoutError extends Error {
  readonly method: string;
  readonly timeoutMs: number;

  constructor(method: string, timeoutMs: number) {
    super(`${method} got no reply within ${timeoutMs} ms`);
    this.name = 'CallTimeoutError';
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}
