import type { SqlExecutor } from '../sql-executor.ts';
import type { RecordedWait, RunCounters } from './run-counters.ts';
import { saveRunProgress } from './save-run-progress.ts';

export type RunOutcome = 'succeeded' | 'deferred' | 'failed' | 'interrupted';

export interface FinishRunInput {
  readonly runId: bigint;
  readonly accountId: number;
  readonly outcome: RunOutcome;
  readonly counters: RunCounters;
  readonly waits: readonly RecordedWait[];
  readonly errorKind: string | null;
  readonly errorText: string | null;
  readonly resumeAt: Date | null;
}

/**
 * Closes a run with its outcome and final counts, and records the account's update state as it
 * stood at the end of the run (history per run), with when the run last received it.
 */
const closeSql = `UPDATE sync_runs SET status = $2::sync_run_status, finished_at = now(), error_kind = $3, error_text = $4, resume_at = $5::timestamptz
WHERE id = $1::bigint`;

const stateHistorySql = `INSERT INTO update_state_history (run_id, account_id, pts, qts, seq, state_date, unread_count, fetched_at)
SELECT $1::bigint, s.account_id, s.pts, s.qts, s.seq, s.state_date, s.unread_count, r.state_fetched_at
FROM account_update_states s JOIN sync_runs r ON r.id = $1::bigint WHERE s.account_id = $2::int
ON CONFLICT (run_id) DO NOTHING`;

export async function finishRun(db: SqlExecutor, input: FinishRunInput): Promise<void> {
  await saveRunProgress(db, input.runId, input.counters, input.waits);
  await db.query(closeSql, [input.runId.toString(), input.outcome, input.errorKind, input.errorText, input.resumeAt]);
  await db.query(stateHistorySql, [input.runId.toString(), input.accountId]);
}
