/**
 * What `status` shows, collected once as plain data, so the table view and `status --json` cannot
 * disagree. `statusJson` is the documented JSON shape (README, "status --json"): stable field names,
 * times as ISO 8601 strings (null when absent), Telegram ids as decimal strings.
 */
import type { Runtime } from '../../app/runtime.ts';
import { nextScheduledRun } from '../../app/next-run.ts';
import { listAccountQueueStates, queueInstalled, type AccountQueueState } from '../../queue/account-queue-states.ts';
import { queueSchemaFor } from '../../queue/queue-settings.ts';
import { listAccountOverview, type AccountOverview } from '../../store/accounts/list-account-overview.ts';
import { listRecentRuns, type RecentRun } from '../../store/accounts/list-recent-runs.ts';
import { countUnresolvedPeers, type UnresolvedPeerCount } from '../../store/peers/count-unresolved-peers.ts';
import { listPeersInBackoff, type PeerInBackoff } from '../../store/peers/list-peers-in-backoff.ts';

export interface StatusReport {
  readonly cron: string;
  readonly timezone: string;
  readonly nextRun: Date | null;
  readonly accounts: readonly AccountOverview[];
  /** null before `db migrate` installed the job queue. */
  readonly queue: readonly AccountQueueState[] | null;
  readonly runs: readonly RecentRun[];
  readonly unresolved: readonly UnresolvedPeerCount[];
  readonly backoff: { readonly peers: readonly PeerInBackoff[]; readonly total: number };
}

export interface StatusLimits {
  /** Runs per account. */
  readonly runs: number;
  /** Peers in backoff listed at most (the total is always counted). */
  readonly peers: number;
}

export async function collectStatus(runtime: Runtime, limits: StatusLimits): Promise<StatusReport> {
  const { cron, timezone } = runtime.config.sync;
  const queueSchema = queueSchemaFor(runtime.databaseUrl);
  return {
    cron,
    timezone,
    nextRun: await nextScheduledRun(cron, timezone),
    accounts: await listAccountOverview(runtime.db),
    queue: (await queueInstalled(runtime.db, queueSchema))
      ? await listAccountQueueStates(runtime.db, queueSchema)
      : null,
    runs: await listRecentRuns(runtime.db, limits.runs),
    unresolved: await countUnresolvedPeers(runtime.db),
    backoff: await listPeersInBackoff(runtime.db, limits.peers),
  };
}

/** The shape of `status --json`: changing a field name breaks scripts, so add fields rather than rename. */
export interface StatusJson {
  readonly nextScheduledRun: { readonly at: string | null; readonly cron: string; readonly timezone: string };
  readonly accounts: {
    readonly total: number;
    readonly active: number;
    readonly needingAttention: readonly {
      readonly label: string;
      readonly status: string;
      readonly reason: string | null;
    }[];
  };
  readonly queue:
    | readonly {
        readonly account: string;
        readonly runningOn: string | null;
        readonly runningSince: string | null;
        readonly queued: boolean;
        readonly waitingUntil: string | null;
      }[]
    | null;
  readonly lastRuns: readonly {
    readonly account: string;
    readonly startedAt: string | null;
    readonly finishedAt: string | null;
    readonly status: string;
    readonly resumeAt: string | null;
    readonly trigger: string;
    readonly peersSynced: number;
    readonly peersFailed: number;
    readonly peersInBackoff: number;
    readonly error: string | null;
  }[];
  readonly peersWaitingToBeResolved: {
    readonly total: number;
    readonly byAccount: readonly {
      readonly account: string;
      readonly peers: number;
      readonly byReason: readonly { readonly reason: string | null; readonly peers: number }[];
    }[];
  };
  readonly peersInBackoff: {
    readonly total: number;
    readonly peers: readonly {
      readonly account: string;
      readonly peer: string;
      readonly errorCode: string | null;
      readonly failures: number;
      readonly nextAttemptAt: string | null;
    }[];
  };
}

const iso = (date: Date | null | undefined): string | null =>
  date === null || date === undefined ? null : new Date(date).toISOString();

/** The JSON `status --json` prints (one object). */
export function statusJson(report: StatusReport): StatusJson {
  const labels = [...new Set(report.unresolved.map((count) => count.accountLabel))];
  return {
    nextScheduledRun: { at: iso(report.nextRun), cron: report.cron, timezone: report.timezone },
    accounts: {
      total: report.accounts.length,
      active: report.accounts.filter((account) => account.status === 'active').length,
      needingAttention: report.accounts
        .filter((account) => account.status !== 'active')
        .map((account) => ({ label: account.label, status: account.status, reason: account.statusReason })),
    },
    queue:
      report.queue === null
        ? null
        : report.queue.map((state) => ({
            account: state.label,
            runningOn: state.runningOn,
            runningSince: iso(state.runningSince),
            queued: state.queued,
            waitingUntil: iso(state.waitingUntil),
          })),
    lastRuns: report.runs.map((run) => ({
      account: run.accountLabel,
      startedAt: iso(run.startedAt),
      finishedAt: iso(run.finishedAt),
      status: run.status,
      resumeAt: iso(run.resumeAt),
      trigger: run.trigger,
      peersSynced: run.peersSynced,
      peersFailed: run.peersFailed,
      peersInBackoff: run.peersSkipped,
      error: run.errorText,
    })),
    peersWaitingToBeResolved: {
      total: report.unresolved.reduce((sum, count) => sum + count.peers, 0),
      byAccount: labels.map((label) => {
        const counts = report.unresolved.filter((count) => count.accountLabel === label);
        return {
          account: label,
          peers: counts.reduce((sum, count) => sum + count.peers, 0),
          byReason: counts.map((count) => ({ reason: count.reason, peers: count.peers })),
        };
      }),
    },
    peersInBackoff: {
      total: report.backoff.total,
      peers: report.backoff.peers.map((peer) => ({
        account: peer.accountLabel,
        peer: peer.input,
        errorCode: peer.lastErrorCode,
        failures: peer.consecutiveFailures,
        nextAttemptAt: iso(peer.nextAttemptAt),
      })),
    },
  };
}
