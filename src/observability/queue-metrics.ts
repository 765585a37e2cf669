import { Gauge, type Registry } from 'prom-client';
import type { AccountQueueState } from '../queue/account-queue-states.ts';

/**
 * Per account, where it stands in the job queue (set from the database at every scrape, so every
 * replica reports the same picture): `tgsync_account_queue_state{account,state}` is 1 for each of
 * running / queued / waiting that holds, `tgsync_account_running_on{account,runner}` names the process
 * running it, `tgsync_account_waiting_until_timestamp_seconds{account}` when its job may start.
 */
export class QueueMetrics {
  private readonly state: Gauge;
  private readonly runningOn: Gauge;
  private readonly waitingUntil: Gauge;

  constructor(registry: Registry) {
    this.state = new Gauge({
      name: 'tgsync_account_queue_state',
      help: 'Per account: 1 when it is running, queued (may start now) or waiting (scheduled later)',
      labelNames: ['account', 'state'],
      registers: [registry],
    });
    this.runningOn = new Gauge({
      name: 'tgsync_account_running_on',
      help: 'Per account: 1 for the worker process (host:pid) running it',
      labelNames: ['account', 'runner'],
      registers: [registry],
    });
    this.waitingUntil = new Gauge({
      name: 'tgsync_account_waiting_until_timestamp_seconds',
      help: 'Per account: Unix time its scheduled job may start (a flood-wait deferral)',
      labelNames: ['account'],
      registers: [registry],
    });
  }

  update(states: readonly AccountQueueState[]): void {
    // Reset: a runner that stopped, or a wait that ended, must not linger as a series.
    this.runningOn.reset();
    this.waitingUntil.reset();
    for (const account of states) {
      this.state.set({ account: account.label, state: 'running' }, account.runningOn === null ? 0 : 1);
      this.state.set({ account: account.label, state: 'queued' }, account.queued ? 1 : 0);
      this.state.set({ account: account.label, state: 'waiting' }, account.waitingUntil === null ? 0 : 1);
      if (account.runningOn !== null) this.runningOn.set({ account: account.label, runner: account.runningOn }, 1);
      if (account.waitingUntil !== null)
        this.waitingUntil.set({ account: account.label }, account.waitingUntil.getTime() / 1000);
    }
  }
}
