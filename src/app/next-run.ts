import { createTask } from 'node-cron';

/**
 * When SYNC_CRON fires next in SYNC_TIMEZONE, computed by node-cron itself (`getNextRuns`, the
 * scheduler the worker uses), so `status` and the worker cannot disagree. The task is created
 * stopped and destroyed at once: nothing is ever scheduled.
 */
export async function nextScheduledRun(cron: string, timezone: string): Promise<Date | null> {
  const task = createTask(cron, () => undefined, { timezone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    await task.destroy();
  }
}
