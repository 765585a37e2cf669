import type { Command } from 'commander';
import { setLogger as setCronLogger } from 'node-cron';
import { startWorker } from '../../../jobs/worker.ts';
import { openRuntime } from '../../app/runtime.ts';
import type { CliContext } from '../cli-context.ts';
import { stopOnSignals } from '../stop-on-signals.ts';
import { cronLogBridge } from '../../observability/cron-logger.ts';
import { checkDatabase } from './cli-runtime.ts';

/** `start`: the long-running worker; exits 0 after a graceful stop on SIGTERM/SIGINT. */
export function registerStartCommand(program: Command, context: CliContext): void {
  program
    .command('start')
    .description('run the worker: scheduled syncs (SYNC_CRON), /healthz, /readyz and /metrics')
    .action(async () => {
      const config = context.loadConfig();
      const runtime = await openRuntime(config, { secrets: context.secrets });
      // node-cron writes to the console by default (ANSI, whole error objects): through the job's logger instead.
      setCronLogger(cronLogBridge(runtime.logger));
      try {
        await checkDatabase(runtime);
      } catch (error) {
        await runtime.close();
        throw error;
      }
      const stop = stopOnSignals(config.worker.shutdownGraceMs, runtime.logger);
      try {
        const worker = await startWorker({ runtime, signal: stop.signal });
        await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
        await worker.stop();
      } finally {
        stop.dispose();
        await runtime.close();
      }
    });
}
