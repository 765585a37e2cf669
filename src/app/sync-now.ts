/**
 * "Sync now" over accounts: one label or all of them, each through syncAccount, with the errors a
 * command prints when the label is unknown or some accounts failed.
 */
import { AppError, asError } from '../errors/app-error.ts';
import { findAccountByLabel, listAccounts, type AccountRecord } from '../store/accounts/accounts.ts';
import { syncAccount, type SyncAccountResult } from '../sync/sync-account.ts';
import { loadPeersFile } from './configured-peers.ts';
import type { Runtime } from './runtime.ts';
import { printableText } from '../peers/printable-text.ts';

export class UnknownAccountError extends AppError<'unknown_account'> {
  constructor(
    readonly label: string,
    known: readonly string[],
  ) {
    super(
      `no account "${printableText(label)}"${known.length > 0 ? ` (known: ${known.join(', ')})` : ' (no accounts yet: log in first)'}`,
      { kind: 'unknown_account', userMistake: true },
    );
  }
}

/**
 * An account's run threw (the database went away before its run could even be recorded): the runs
 * of the accounts before it still happened, and their results travel with the cause, so that the
 * caller can print them before the error.
 */
export class PartialSyncError extends AppError<'partial_sync'> {
  constructor(
    readonly results: readonly AccountSyncResult[],
    override readonly cause: unknown,
  ) {
    super(asError(cause).message, { kind: 'partial_sync' });
  }
}

export interface SyncNowOptions {
  /** One account by label; all accounts when absent. */
  readonly accountLabel?: string;
  readonly trigger: string;
  readonly signal?: AbortSignal;
  /** This run may disable more peers missing from the peers file than SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT. */
  readonly allowPeerRemoval?: boolean;
}

export interface AccountSyncResult {
  readonly account: string;
  readonly result: SyncAccountResult;
}

/** One sync run for one or every account, one account after another. */
export async function syncNow(runtime: Runtime, options: SyncNowOptions): Promise<AccountSyncResult[]> {
  const accounts = await selectAccounts(runtime, options.accountLabel);
  const peersFile = await loadPeersFile(runtime.config.sync.peersFile, runtime.logger);
  const results: AccountSyncResult[] = [];
  for (const account of accounts) {
    if (options.signal?.aborted) break;
    let result: SyncAccountResult;
    try {
      result = await syncAccount(runtime.syncDependencies, {
        account,
        settings: runtime.config.sync,
        trigger: options.trigger,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(peersFile === null
          ? {}
          : { configuredPeers: peersFile.peersOf(account.label), peerRules: peersFile.rulesOf(account.label) }),
        ...(options.allowPeerRemoval === true ? { allowPeerRemoval: true } : {}),
      });
    } catch (error) {
      throw new PartialSyncError(results, error);
    }
    results.push({ account: account.label, result });
  }
  return results;
}

async function selectAccounts(runtime: Runtime, label: string | undefined): Promise<AccountRecord[]> {
  if (label === undefined) return listAccounts(runtime.db);
  const account = await findAccountByLabel(runtime.db, label);
  if (account === null)
    throw new UnknownAccountError(
      label,
      (await listAccounts(runtime.db)).map((known) => known.label),
    );
  return [account];
}
