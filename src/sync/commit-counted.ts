import type { RunCounters } from '../store/runs/run-counters.ts';
import { addRunCounters, emptyRunCounters, sumRunCounters } from '../store/runs/run-counters.ts';
import { saveRunProgress, type RunProgressOptions } from '../store/runs/save-run-progress.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';
import type { Transactor } from '../store/transaction.ts';
import type { BatchWriteResult } from '../store/write-batch.ts';
import type { CallPolicy } from './call-policy.ts';
import type { RunContext } from './run-context.ts';

/**
 * The run's transactions. Every row a run writes goes through writeBatch inside one of them — a
 * getPeerDialogs reply, a page of the account's dialog list, a resolved username, getChats — and
 * each is counted where it is written, here, not by the step that wrote it: the executor a
 * transaction hands out tells its attempt's counts what every batch write inserted and updated.
 *
 * Only what was committed counts: the transactor runs a transaction again after a deadlock or
 * serialization failure (the first attempt rolled back whole), so each attempt counts into its own
 * counts, and only the committed attempt's are added to the run. When an attempt counted anything,
 * the run's progress is saved in that same transaction, so the run row and the rows it counts
 * commit together.
 */
export interface RunTransactor extends Transactor {
  /** The same, with the attempt's own counts open to `work` (peers synced…) and the run's progress always saved. */
  counted<Result>(
    work: (db: SqlExecutor, counts: RunCounters) => Promise<Result>,
    options?: RunProgressOptions,
  ): Promise<Result>;
}

export function runTransactor(
  base: Transactor,
  run: { readonly runId: bigint; readonly policy: Pick<CallPolicy, 'counters' | 'waits'> },
): RunTransactor {
  const inTransaction = async <Result>(
    work: (db: SqlExecutor, counts: RunCounters) => Promise<Result>,
    options: RunProgressOptions,
    alwaysSave: boolean,
  ): Promise<Result> => {
    const committed = await base(async (db) => {
      const counts = emptyRunCounters();
      const result = await work(countingExecutor(db, counts), counts);
      if (alwaysSave || Object.values(counts).some((value) => value !== 0)) {
        await saveRunProgress(db, run.runId, sumRunCounters(run.policy.counters, counts), run.policy.waits, options);
      }
      return { result, counts };
    });
    addRunCounters(run.policy.counters, committed.counts);
    return committed.result;
  };
  const transact = (<Result>(work: (db: SqlExecutor) => Promise<Result>) =>
    inTransaction((db) => work(db), {}, false)) as RunTransactor;
  transact.counted = (work, options = {}) => inTransaction(work, options, true);
  return transact;
}

/** One of the run's write transactions, its counts open to `work`, the run's progress saved with it. */
export function commitCounted(
  context: Pick<RunContext, 'transact'>,
  work: (db: SqlExecutor, counts: RunCounters) => Promise<void>,
  options: RunProgressOptions = {},
): Promise<void> {
  return context.transact.counted(work, options);
}

function countingExecutor(db: SqlExecutor, counts: RunCounters): SqlExecutor {
  return {
    query: (sql, params) => db.query(sql, params),
    onBatchWritten: (written) => addBatchWrites(counts, written),
  };
}

/** The tables the run's counters cover (sync_runs.*_inserted / *_updated). */
function addBatchWrites(counts: RunCounters, written: BatchWriteResult): void {
  counts.dialogsInserted += written.dialogs.inserted;
  counts.dialogsUpdated += written.dialogs.updated;
  counts.messagesInserted += written.messages.inserted;
  counts.messagesUpdated += written.messages.updated;
  counts.usersInserted += written.users.inserted;
  counts.usersUpdated += written.users.updated;
  counts.chatsInserted += written.chats.inserted;
  counts.chatsUpdated += written.chats.updated;
  counts.channelsInserted += written.channels.inserted;
  counts.channelsUpdated += written.channels.updated;
}
