import type { Command } from 'commander';
import { describeQueueState } from '../../queue/account-queue-states.ts';
import { describeUnresolvedCounts } from '../../store/peers/count-unresolved-peers.ts';
import type { CliContext } from '../cli-context.ts';
import { positiveInteger } from '../option-parsers.ts';
import { formatTable, formatTime, printLine, shorten, withCliRuntime } from './cli-runtime.ts';
import { collectStatus, statusJson, type StatusReport } from './status-report.ts';

/** `status`: the next scheduled run, accounts needing attention, each account in the job queue, the last runs, peers in backoff. */
export function registerStatusCommand(program: Command, context: CliContext): void {
  program
    .command('status')
    .description(
      'show the next scheduled run, accounts that need a login, the last runs per account and the peers in backoff',
    )
    .option('--runs <n>', 'runs shown per account', positiveInteger('--runs'), 3)
    .option('--peers <n>', 'peers in backoff shown at most', positiveInteger('--peers'), 20)
    .option('--json', 'the same as one JSON object on stdout (field names in the README)')
    .action(async (options: { runs: number; peers: number; json?: boolean }) => {
      await withCliRuntime(context, async (runtime) => {
        const report = await collectStatus(runtime, options);
        if (options.json === true) printLine(context, JSON.stringify(statusJson(report)));
        else printStatus(context, report);
      });
    });
}

/** The human view: one section per part of the report, tables where there are rows. */
function printStatus(context: CliContext, report: StatusReport): void {
  const { cron, timezone, nextRun: next } = report;
  const local =
    next === null
      ? ''
      : ` = ${new Intl.DateTimeFormat('sv-SE', { timeZone: timezone, dateStyle: 'short', timeStyle: 'medium' }).format(next)} ${timezone}`;
  printLine(
    context,
    `Next scheduled run: ${next === null ? 'none' : `${formatTime(next)}${local}`} (SYNC_CRON "${cron}" in ${timezone}; the worker must be running)`,
  );

  const { accounts } = report;
  const attention = accounts.filter((account) => account.status !== 'active');
  printLine(context);
  if (accounts.length === 0)
    printLine(context, 'No accounts yet: log one in with `tg-dialog-sync login --account <label>`.');
  else if (attention.length === 0) printLine(context, `Accounts: ${accounts.length}, all active.`);
  else {
    printLine(context, `Accounts needing attention (${attention.length} of ${accounts.length}):`);
    printLine(
      context,
      formatTable(
        ['ACCOUNT', 'STATUS', 'REASON'],
        attention.map((account) => [account.label, account.status, shorten(account.statusReason, 120)]),
      ),
    );
  }

  // Before `db migrate` installed the queue there is nothing to show.
  const { queue } = report;
  if (queue !== null && queue.length > 0) {
    printLine(context);
    printLine(context, 'Queue (every worker process works it; SYNC_ACCOUNTS_AT_ONCE accounts each):');
    printLine(
      context,
      formatTable(
        ['ACCOUNT', 'NOW'],
        queue.map((state) => [state.label, describeQueueState(state, formatTime)]),
      ),
    );
  }

  const { runs } = report;
  printLine(context);
  if (runs.length === 0) printLine(context, 'Last runs: none yet.');
  else {
    printLine(context, 'Last runs:');
    printLine(
      context,
      formatTable(
        ['ACCOUNT', 'STARTED', 'STATUS', 'TRIGGER', 'DURATION', 'SYNCED', 'FAILED', 'IN BACKOFF', 'ERROR'],
        runs.map((run) => [
          run.accountLabel,
          formatTime(run.startedAt),
          run.status === 'deferred' && run.resumeAt !== null
            ? `deferred until ${formatTime(run.resumeAt)}`
            : run.status,
          run.trigger,
          run.finishedAt === null
            ? '—'
            : `${((new Date(run.finishedAt).getTime() - new Date(run.startedAt).getTime()) / 1000).toFixed(1)} s`,
          String(run.peersSynced),
          String(run.peersFailed),
          String(run.peersSkipped),
          shorten(run.errorText, 80),
        ]),
      ),
    );
  }

  // Peers a resolve budget (or a flood wait) leaves for the next runs: resolved peers sync meanwhile.
  const { unresolved } = report;
  printLine(context);
  if (unresolved.length === 0) printLine(context, 'Peers waiting to be resolved: none.');
  else {
    const labels = [...new Set(unresolved.map((count) => count.accountLabel))];
    printLine(
      context,
      `Peers waiting to be resolved: ${unresolved.reduce((sum, count) => sum + count.peers, 0)} (the next runs resolve them, SYNC_RESOLVE_USERNAME_BUDGET usernames per account and run)`,
    );
    printLine(
      context,
      formatTable(
        ['ACCOUNT', 'WAITING'],
        labels.map((label) => [
          label,
          describeUnresolvedCounts(unresolved.filter((count) => count.accountLabel === label)),
        ]),
      ),
    );
  }

  const { backoff } = report;
  printLine(context);
  if (backoff.total === 0) printLine(context, 'Peers in backoff: none.');
  else {
    printLine(
      context,
      `Peers in backoff: ${backoff.total}${backoff.total > backoff.peers.length ? ` (the first ${backoff.peers.length} shown)` : ''}`,
    );
    printLine(
      context,
      formatTable(
        ['ACCOUNT', 'PEER', 'ERROR', 'FAILURES', 'NEXT ATTEMPT'],
        backoff.peers.map((peer) => [
          peer.accountLabel,
          peer.input,
          peer.lastErrorCode ?? '—',
          String(peer.consecutiveFailures),
          formatTime(peer.nextAttemptAt),
        ]),
      ),
    );
  }
}
