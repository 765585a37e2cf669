import { errors } from 'telegram';
import { CallTimeoutError } from './call-timeout-error.ts';

/**
 * The one table that decides what a failed Telegram call means for the job. Decisions are made on the
 * error *text*, never on the numeric code alone: CHANNEL_PRIVATE is documented as 406 and observed as
 * 400, and FROZEN_METHOD_INVALID comes as a 420 without seconds.
 */
export type TelegramFailure =
  /** Wait `seconds`, then retry the same call (FLOOD_WAIT_X, FLOOD_PREMIUM_WAIT_X, SLOWMODE_WAIT_X). */
  | { readonly kind: 'flood-wait'; readonly errorMessage: string; readonly seconds: number }
  /** One of the requested peers is inaccessible; the whole call failed and the peer must be isolated. */
  | { readonly kind: 'peer'; readonly errorMessage: string; readonly reresolvable: boolean }
  /** The peer could not be resolved (unknown username, expired invite…): mark it, do not retry soon. */
  | { readonly kind: 'unresolvable'; readonly errorMessage: string }
  /** The account cannot continue: stop it at once and tell the operator what to do. */
  | { readonly kind: 'account'; readonly errorMessage: string; readonly accountStatus: 'needs_login' | 'frozen'; readonly hint: string }
  /** Worth a bounded retry: server errors, timeouts, dropped connections. */
  | { readonly kind: 'transient'; readonly errorMessage: string }
  /** Anything else: a bug or an unknown error; fail the run with the text. */
  | { readonly kind: 'unexpected'; readonly errorMessage: string };

const PEER_ERRORS = new Set([
  'CHANNEL_PRIVATE',
  'CHANNEL_INVALID',
  'CHANNEL_PUBLIC_GROUP_NA',
  'PEER_ID_INVALID',
  'MSG_ID_INVALID',
  'CHAT_ID_INVALID',
  'USER_ID_INVALID',
]);

/** A stored access hash may be stale: one re-resolution is worth trying before backing off. */
const RERESOLVABLE_PEER_ERRORS = new Set(['CHANNEL_INVALID', 'PEER_ID_INVALID', 'USER_ID_INVALID']);

const UNRESOLVABLE_ERRORS = new Set([
  'USERNAME_NOT_OCCUPIED',
  'USERNAME_INVALID',
  'INVITE_HASH_EXPIRED',
  'INVITE_HASH_INVALID',
  'INVITE_HASH_EMPTY',
]);

const LOGIN_AGAIN = 'log in again with `tg-dialog-sync login`';

const ACCOUNT_ERRORS: Record<string, { readonly accountStatus: 'needs_login' | 'frozen'; readonly hint: string }> = {
  AUTH_KEY_UNREGISTERED: { accountStatus: 'needs_login', hint: `the session is not logged in: ${LOGIN_AGAIN}` },
  AUTH_KEY_INVALID: { accountStatus: 'needs_login', hint: `the session is invalid: ${LOGIN_AGAIN}` },
  AUTH_KEY_PERM_EMPTY: { accountStatus: 'needs_login', hint: `the session is temporary and unbound: ${LOGIN_AGAIN}` },
  SESSION_REVOKED: { accountStatus: 'needs_login', hint: `the session was terminated from another device: ${LOGIN_AGAIN}` },
  SESSION_EXPIRED: { accountStatus: 'needs_login', hint: `the session expired: ${LOGIN_AGAIN}` },
  USER_DEACTIVATED: { accountStatus: 'needs_login', hint: 'the account was deleted; remove it or log in with another account' },
  USER_DEACTIVATED_BAN: { accountStatus: 'needs_login', hint: 'Telegram banned the account; remove it or log in with another account' },
  AUTH_KEY_DUPLICATED: {
    accountStatus: 'needs_login',
    hint: `the session was used by two processes at once and Telegram destroyed it: make sure one runner per account, then ${LOGIN_AGAIN}`,
  },
  BOT_METHOD_INVALID: {
    accountStatus: 'needs_login',
    hint: 'this is a bot session; messages.getPeerDialogs works for user accounts only: log in with a user account',
  },
  FROZEN_METHOD_INVALID: { accountStatus: 'frozen', hint: 'Telegram froze the account; nothing can be synced until the freeze is lifted (see @SpamBot)' },
  FROZEN_PARTICIPANT_MISSING: { accountStatus: 'frozen', hint: 'Telegram froze the account; nothing can be synced until the freeze is lifted (see @SpamBot)' },
};

const TRANSIENT_ERRORS = new Set(['INTERNAL', 'RPC_CALL_FAIL', 'RPC_MCGET_FAIL', 'TIMEOUT', 'WORKER_BUSY_TOO_LONG_RETRY', 'MSGID_DECREASE_RETRY']);

/** Local failures of GramJS's connection (not RPC errors): worth a retry on a fresh connection. */
const CONNECTION_FAILURE = /Request was unsuccessful \d+ time|not connected|disconnected|connection (closed|reset|lost)|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up/i;

export function classifyTelegramError(error: unknown): TelegramFailure {
  if (error instanceof CallTimeoutError) return { kind: 'transient', errorMessage: error.message };
  if (error instanceof errors.FloodWaitError || error instanceof errors.SlowModeWaitError || error instanceof errors.FloodTestPhoneWaitError) {
    return { kind: 'flood-wait', errorMessage: `${error.constructor.name} ${error.seconds}s`, seconds: error.seconds };
  }
  if (error instanceof errors.RPCError) return classifyRpcError(error.code, error.errorMessage);
  if (error instanceof Error && CONNECTION_FAILURE.test(error.message)) return { kind: 'transient', errorMessage: error.message };
  return { kind: 'unexpected', errorMessage: error instanceof Error ? error.message : String(error) };
}

/** The decision for an RPC error given by its code and text. */
export function classifyRpcError(code: number | undefined, errorMessage: string): TelegramFailure {
  const floodSeconds = /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT)_(\d+)$/.exec(errorMessage);
  if (floodSeconds !== null) return { kind: 'flood-wait', errorMessage, seconds: Number(floodSeconds[1]) };
  if (PEER_ERRORS.has(errorMessage)) return { kind: 'peer', errorMessage, reresolvable: RERESOLVABLE_PEER_ERRORS.has(errorMessage) };
  if (UNRESOLVABLE_ERRORS.has(errorMessage)) return { kind: 'unresolvable', errorMessage };
  const account = ACCOUNT_ERRORS[errorMessage];
  if (account !== undefined) return { kind: 'account', errorMessage, ...account };
  if (TRANSIENT_ERRORS.has(errorMessage) || (code !== undefined && (code >= 500 || code < 0))) return { kind: 'transient', errorMessage };
  return { kind: 'unexpected', errorMessage: code === undefined ? errorMessage : `${code} ${errorMessage}` };
}
