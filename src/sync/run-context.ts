import type { SyncConfig } from '../config/index.ts';
import type { Transactor } from '../store/transaction.ts';
import type { TelegramGateway, TelegramMethod } from '../telegram/gateway.ts';
import type { CallPolicy, CallPolicyLogger } from './call-policy.ts';

export interface RunLogger extends CallPolicyLogger {
  error(object: object, message: string): void;
  debug(object: object, message: string): void;
}

/** Everything the steps of one account's run share. */
export interface RunContext {
  readonly accountId: number;
  readonly accountLabel: string;
  readonly selfUserId: bigint;
  readonly runId: bigint;
  readonly gateway: TelegramGateway;
  readonly policy: CallPolicy;
  readonly transact: Transactor;
  readonly settings: Pick<SyncConfig, 'batchSize' | 'concurrency' | 'pauseMs' | 'peerBackoff' | 'resolveUsername'>;
  /** Methods under a flood wait above the ceiling (from earlier runs or this one). */
  readonly deferredMethods: Set<TelegramMethod>;
  readonly logger: RunLogger;
}
