/** How a command that does long work stops on SIGTERM/SIGINT: gracefully first, at once on a second signal. */
import type { AppLogger } from '../observability/app-logger.ts';

export interface SignalStop {
  /** Aborted on the first SIGTERM/SIGINT: finish or roll back the current batch, then stop. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Graceful stop: the first SIGTERM/SIGINT aborts the work (the run ends as interrupted); if it has
 * not finished within the grace period, or a second signal arrives, the process exits at once.
 */
export function stopOnSignals(graceMs: number, logger: Pick<AppLogger, 'warn'>): SignalStop {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    logger.warn({ signal, graceMs }, 'stopping: finishing the current batch');
    controller.abort(`received ${signal}`);
    timer = setTimeout(() => {
      logger.warn({ graceMs }, 'grace period over: exiting now');
      process.exit(1);
    }, graceMs);
    timer.unref();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
