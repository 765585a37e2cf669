/**
 * Writes run one after another in the order they were queued, while the caller goes on (the next
 * Telegram call overlaps the previous batch's write). At most `maxPending` writes wait at once, so a
 * slow database holds replies back instead of piling them up in memory. The first failure is kept and
 * rethrown to the caller at its next step.
 */
export class OrderedWriter {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  private failure: unknown = undefined;
  private readonly roomWaiters: (() => void)[] = [];

  constructor(private readonly maxPending: number) {}

  /** Resolves when another write may be queued; throws the first write failure. */
  async waitForRoom(): Promise<void> {
    this.throwIfFailed();
    while (this.pending > this.maxPending) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
      this.throwIfFailed();
    }
  }

  enqueue(write: () => Promise<void>): void {
    this.throwIfFailed();
    this.pending += 1;
    this.tail = this.tail
      .then(nextTurn)
      .then(() => (this.failure === undefined ? write() : undefined))
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.pending -= 1;
        this.roomWaiters.shift()?.();
      });
  }

  /** Waits for every queued write; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}

/**
 * Resolves in a later turn of the event loop, after every promise continuation queued so far. A write
 * starts with CPU work (mapping, encoding); started at once it would run before the caller's next step
 * — building and sending the next Telegram request, all promise continuations down to the socket — and
 * delay it. Started here, that request is on the wire first and the write overlaps its round trip.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
