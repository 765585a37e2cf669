import type { CallPolicy } from './call-policy.ts';

/**
 * The run's allowance of contacts.resolveUsername calls (SYNC_RESOLVE_USERNAME_BUDGET), taken one
 * call at a time and paced (SYNC_RESOLVE_USERNAME_INTERVAL_MS between the starts of two calls).
 * Telegram limits that method per account and day far harder than any other this job uses, so a
 * first sync of many new names spreads them over several runs instead of earning a wait of hours.
 */
export class ResolveUsernameBudget {
  private spent = 0;
  private lastStartedAt = 0;

  constructor(
    readonly limit: number,
    private readonly intervalMs: number,
    private readonly policy: Pick<CallPolicy, 'sleep' | 'signal'>,
    private readonly now: () => number = Date.now,
  ) {}

  get remaining(): number {
    return Math.max(0, this.limit - this.spent);
  }

  /** Takes one call, after waiting for its turn; false when the run's budget is spent. */
  async take(): Promise<boolean> {
    if (this.spent >= this.limit) return false;
    this.spent += 1;
    const wait = this.lastStartedAt === 0 ? 0 : this.lastStartedAt + this.intervalMs - this.now();
    if (wait > 0) await this.policy.sleep(wait, this.policy.signal);
    this.lastStartedAt = this.now();
    return true;
  }
}
