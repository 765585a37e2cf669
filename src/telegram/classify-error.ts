import { errors } from 'telegram';
import { BrokenAuthKeyError } from './broken-auth-key.ts';
import { TelegramConnectError } from './connect-error.ts';
import { CallTimeoutError } from './call-timeout-error.ts';
import {
  FLOOD_WAIT_TEXT,
  MIGRATE_TEXT,
  UNKNOWN_AUTH_KEY,
  telegramErrorPolicy,
  type AccountStatus,
} from './error-policy.ts';

/**
 * What a failed Telegram call means for the job: GramJS's errors (its error classes, the job's own
 * timeouts and connection failures) read into the decisions of the error-policy table
 * (error-policy.ts), which alone lists the codes. A 4xx text the table does not list comes back as
 * kind `unlisted`, which the call policy isolates to the call's peers.
 */
export type TelegramFailure =
  /** Wait `seconds`, then retry the same call (FLOOD_WAIT_X, FLOOD_PREMIUM_WAIT_X, SLOWMODE_WAIT_X). */
  | { readonly kind: 'flood-wait'; readonly errorMessage: string; readonly seconds: number }
  /** One of the requested peers is inaccessible; the whole call failed and the peer must be isolated. */
  | { readonly kind: 'peer'; readonly errorMessage: string; readonly reresolvable: boolean }
  /** The peer could not be resolved (unknown username, expired invite…): mark it, do not retry soon. */
  | { readonly kind: 'unresolvable'; readonly errorMessage: string }
  /** The account cannot continue: stop it at once and tell the operator what to do. */
  | {
      readonly kind: 'account';
      readonly errorMessage: string;
      readonly accountStatus: AccountStatus;
      readonly hint: string;
    }
  /** Worth a bounded retry: server errors, timeouts, dropped connections. */
  | { readonly kind: 'transient'; readonly errorMessage: string }
  /** Telegram answered `code` with a 4xx text this table does not list: the requested peers' problem, if the call carries any. */
  | { readonly kind: 'unlisted'; readonly errorMessage: string; readonly code: number }
  /** Telegram's data center for this account moved (303 *_MIGRATE_X): reconnect to DC `dcId` and retry. */
  | { readonly kind: 'migrate'; readonly errorMessage: string; readonly dcId: number }
  /** Anything else: a bug or an error that is not Telegram's; fail the run with the text. */
  | { readonly kind: 'unexpected'; readonly errorMessage: string };

/** Local failures of GramJS's connection (not RPC errors): worth a retry on a fresh connection. */
const CONNECTION_FAILURE =
  /Request was unsuccessful \d+ time|not connected|disconnected|connection (closed|reset|lost)|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up/i;

export function classifyTelegramError(error: unknown): TelegramFailure {
  if (error instanceof CallTimeoutError || error instanceof TelegramConnectError)
    return { kind: 'transient', errorMessage: error.message };
  if (error instanceof BrokenAuthKeyError) return classifyRpcError(-404, UNKNOWN_AUTH_KEY);
  if (
    error instanceof errors.FloodWaitError ||
    error instanceof errors.SlowModeWaitError ||
    error instanceof errors.FloodTestPhoneWaitError
  ) {
    return { kind: 'flood-wait', errorMessage: `${error.constructor.name} ${error.seconds}s`, seconds: error.seconds };
  }
  // GramJS replaces the text of these with a sentence; the DC is in `newDc`.
  if (error instanceof errors.NetworkMigrateError) return classifyRpcError(303, `NETWORK_MIGRATE_${error.newDc}`);
  if (error instanceof errors.UserMigrateError) return classifyRpcError(303, `USER_MIGRATE_${error.newDc}`);
  if (error instanceof errors.PhoneMigrateError) return classifyRpcError(303, `PHONE_MIGRATE_${error.newDc}`);
  if (error instanceof errors.RPCError) return classifyRpcError(error.code, error.errorMessage);
  if (error instanceof Error && CONNECTION_FAILURE.test(error.message))
    return { kind: 'transient', errorMessage: error.message };
  return { kind: 'unexpected', errorMessage: error instanceof Error ? error.message : String(error) };
}

/** The decision for an RPC error given by its code and text. */
export function classifyRpcError(code: number | undefined, errorMessage: string): TelegramFailure {
  const floodSeconds = FLOOD_WAIT_TEXT.exec(errorMessage);
  if (floodSeconds !== null) return { kind: 'flood-wait', errorMessage, seconds: Number(floodSeconds[1]) };
  const migrate = MIGRATE_TEXT.exec(errorMessage);
  if (migrate !== null) return { kind: 'migrate', errorMessage, dcId: Number(migrate[1]) };
  const policy = telegramErrorPolicy(errorMessage);
  switch (policy?.decision) {
    case 'isolate-peer':
    case 're-resolve':
      return { kind: 'peer', errorMessage, reresolvable: policy.decision === 're-resolve' };
    case 'unresolvable':
      return { kind: 'unresolvable', errorMessage };
    case 'account-fatal':
      return { kind: 'account', errorMessage, accountStatus: policy.accountStatus, hint: policy.text };
    case 'transient':
      return { kind: 'transient', errorMessage };
    // Texts that carry a number (flood-wait, migrate) are decided by pattern above, never by an entry.
    case 'job-error':
    case 'flood-wait':
    case 'migrate':
      return { kind: 'unexpected', errorMessage: code === undefined ? errorMessage : `${code} ${errorMessage}` };
    case undefined:
      break;
  }
  if (code !== undefined && (code >= 500 || code < 0)) return { kind: 'transient', errorMessage };
  if (code !== undefined && code >= 400) return { kind: 'unlisted', errorMessage, code };
  return { kind: 'unexpected', errorMessage: code === undefined ? errorMessage : `${code} ${errorMessage}` };
}
