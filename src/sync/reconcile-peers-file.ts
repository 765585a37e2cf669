/**
 * The run's first step with a peers file: make the account's configured peers match it. A truncated,
 * emptied or wrong file looks exactly like "remove most peers", and the file is the source of truth:
 * so a reconciliation that would disable more than SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT of the
 * account's enabled peers (and more than ALWAYS_ALLOWED_REMOVALS) is refused, changing nothing, and
 * the run fails with a line that says how to accept it (`sync --allow-peer-removal`).
 */
import type { AppLogger } from '../observability/app-logger.ts';
import { AppError } from '../errors/app-error.ts';
import {
  reconcileConfiguredPeers,
  type RuleReconciliation,
  type WantedPeer,
} from '../store/peers/reconcile-configured-peers.ts';
import type { SqlExecutor } from '../store/sql-executor.ts';

/** A hand-edited small list may always lose this many peers at once. */
export const ALWAYS_ALLOWED_REMOVALS = 10;

export class PeerRemovalRefusedError extends AppError<'peers_file_removal'> {
  constructor(
    readonly wouldDisable: number,
    readonly enabled: number,
    readonly maxPercent: number,
  ) {
    super(
      `the peers file would remove ${wouldDisable} of the account's ${enabled} peers at once (more than SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT=${maxPercent}%), ` +
        'so nothing was changed and nothing synced: check the file (truncated? the wrong one?); to remove them on purpose run `tg-dialog-sync sync --allow-peer-removal` once',
      { kind: 'peers_file_removal', userMistake: true },
    );
  }
}

export interface ReconcilePeersFileInput {
  readonly accountId: number;
  readonly wanted: readonly WantedPeer[];
  readonly maxRemovalPercent: number;
  /** The operator accepts any removal for this run. */
  readonly allowRemoval: boolean;
  /** The file's rules, expanded or kept (peers that leave a rule's set are churn, not removals). */
  readonly rules?: RuleReconciliation;
}

export async function reconcilePeersFile(
  db: SqlExecutor,
  input: ReconcilePeersFileInput,
  logger: Pick<AppLogger, 'info'>,
): Promise<void> {
  const maxPercent = input.allowRemoval || input.maxRemovalPercent >= 100 ? null : input.maxRemovalPercent;
  const result = await reconcileConfiguredPeers(
    db,
    input.accountId,
    input.wanted,
    { maxPercent, alwaysAllowed: ALWAYS_ALLOWED_REMOVALS },
    input.rules,
  );
  if (!result.applied) throw new PeerRemovalRefusedError(result.wouldDisable, result.enabled, input.maxRemovalPercent);
  const { added, reenabled, disabled } = result;
  if (added + reenabled + disabled > 0)
    logger.info({ added, reenabled, disabled }, 'peer list reconciled with the peers file');
}
