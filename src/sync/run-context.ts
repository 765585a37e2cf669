import type { AppLogger } from '../observability/app-logger.ts';
import type { SyncConfig } from '../config/index.ts';
import type { TelegramGateway, TelegramMethod } from '../telegram/gateway.ts';
import type { CallPolicy } from './call-policy.ts';
import type { RunTransactor } from './commit-counted.ts';

/** Everything the steps of one account's run share. */
export interface RunContext {
  readonly accountId: number;
  readonly accountLabel: string;
  readonly selfUserId: bigint;
  readonly runId: bigint;
  readonly gateway: TelegramGateway;
  readonly policy: CallPolicy;
  /** The run's transactions: the rows they write are counted in the run once committed. */
  readonly transact: RunTransactor;
  readonly settings: Pick<SyncConfig, 'batchSize' | 'concurrency' | 'pauseMs' | 'peerBackoff' | 'resolveUsername'>;
  /** Methods under a flood wait above the ceiling (from earlier runs or this one). */
  readonly deferredMethods: Set<TelegramMethod>;
  readonly logger: AppLogger;
}
