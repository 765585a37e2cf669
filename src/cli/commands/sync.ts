import type { Command } from 'commander';
import { PartialSyncError, syncNow } from '../../app/sync-now.ts';
import type { CliContext } from '../cli-context.ts';
import { stopOnSignals } from '../stop-on-signals.ts';
import { withCliRuntime } from './cli-runtime.ts';
import { peerStandingByAccount } from '../../store/peers/peer-standing.ts';
import { finalProgress, followSyncProgress, syncProgressView } from './sync-progress.ts';

/** `sync`: one run now; exit 0 only when every account's run succeeded. */
export function registerSyncCommand(program: Command, context: CliContext): void {
  program
    .command('sync')
    .description('run one sync now for every account, or for one with --account')
    .option('-a, --account <label>', 'sync only this account')
    .option(
      '--allow-peer-removal',
      'accept that SYNC_PEERS_FILE disables more peers than SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT (this run only)',
    )
    .action(async (options: { account?: string; allowPeerRemoval?: boolean }) => {
      // Logs go to stderr like every command's but the worker's: stdout carries the result lines.
      await withCliRuntime(context, async (runtime) => {
        const stop = stopOnSignals(runtime.config.worker.shutdownGraceMs, runtime.logger);
        try {
          const progress = followSyncProgress(runtime, syncProgressView(runtime.logger));
          let results: Awaited<ReturnType<typeof syncNow>> = [];
          // A run that could not even start (the database went away): the accounts synced before it are
          // still reported, then the error.
          let failure: { readonly cause: unknown } | null = null;
          try {
            results = await syncNow(runtime, {
              trigger: 'cli',
              signal: stop.signal,
              ...(options.account === undefined ? {} : { accountLabel: options.account }),
              ...(options.allowPeerRemoval === true ? { allowPeerRemoval: true } : {}),
            });
          } catch (error) {
            if (!(error instanceof PartialSyncError)) throw error;
            results = [...error.results];
            failure = { cause: error.cause };
          } finally {
            await progress.stop(finalProgress(results));
          }
          // The same counts as `status` and `peers list` (the database gone: the run's own counters).
          const standing = failure === null ? await peerStandingByAccount(runtime.db).catch(() => null) : null;
          for (const { account, result } of results) {
            const peers = standing?.get(account);
            const inBackoff = result.status === 'skipped' ? 0 : (peers?.inBackoff ?? result.counters.peersSkipped);
            const unresolvable =
              peers !== undefined && peers.unresolvable > 0
                ? `, ${peers.unresolvable} not found (see \`peers list\`)`
                : '';
            const line =
              result.status === 'skipped'
                ? `${account}: skipped — ${result.reason}`
                : `${account}: ${result.status} — ${result.counters.peersSynced} synced, ${result.counters.peersFailed} failed, ${inBackoff} in backoff${unresolvable}` +
                  (result.errorText === null ? '' : ` — ${result.errorText}`);
            process.stdout.write(`${line}\n`);
          }
          if (failure !== null) throw failure.cause;
          const allSucceeded = results.length > 0 && results.every(({ result }) => result.status === 'succeeded');
          if (results.length === 0) process.stderr.write('no accounts to sync: log in first\n');
          process.exitCode = allSucceeded ? 0 : 1;
        } finally {
          stop.dispose();
        }
      });
    });
}
