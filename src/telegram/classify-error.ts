import { errors } from 'telegram';
import { BrokenAuthKeyError } from './broken-auth-key.ts';
import { TelegramConnectError } from './connect-error.ts';
import { CallTimeoutError } from './call-timeout-error.ts';

/**
 * The one table that decides what a failed Telegram call means for the job, and what the operator
 * reads about it. Decisions are made on the error *text*, never on the numeric code alone:
 * CHANNEL_PRIVATE is documented as 406 and observed as 400, and FROZEN_METHOD_INVALID comes as a 420
 * without seconds. Telegram adds texts every few layers, so a 4xx text that is not listed here is not
 * a reason to stop: on a call that carries peers it is taken as those peers' problem (kind `unlisted`,
 * isolated like a peer error), and only the account errors listed below stop an account.
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
      readonly accountStatus: 'needs_login' | 'frozen';
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

type AccountStatus = 'needs_login' | 'frozen';

/** What the job does with one error text. `text` is what the operator reads next to a failed peer. */
type ErrorPolicy =
  | { readonly decision: 'peer'; readonly reresolvable: boolean; readonly text: string }
  | { readonly decision: 'unresolvable' }
  | { readonly decision: 'account'; readonly accountStatus: AccountStatus; readonly hint: string }
  | { readonly decision: 'transient' }
  /** The job's own mistake (an empty vector, a bad layer): never a peer's problem, never retried. */
  | { readonly decision: 'job' };

const LOGIN_AGAIN = 'log in again with `tg-dialog-sync login`';
const FROZEN_HINT = 'Telegram froze the account; nothing can be synced until the freeze is lifted (see @SpamBot)';

/** Telegram's list of error texts: https://core.telegram.org/api/errors (and the method pages). */
export const ERROR_REFERENCE_URL = 'https://core.telegram.org/api/errors';

/**
 * The transport error −404 carries no text; the job names it so the table, the run row and the
 * account's status reason can.
 */
export const UNKNOWN_AUTH_KEY = 'AUTH_KEY_UNKNOWN_404';

const ERROR_POLICIES: Readonly<Record<string, ErrorPolicy>> = {
  // Peer errors: one requested peer fails the whole call; isolate it and back it off.
  CHANNEL_PRIVATE: {
    decision: 'peer',
    reresolvable: false,
    text: 'the channel is private or the account was removed from it; it is retried after its backoff',
  },
  CHANNEL_INVALID: {
    decision: 'peer',
    reresolvable: true,
    text: "Telegram rejects the channel or this account's access hash for it",
  },
  CHANNEL_PUBLIC_GROUP_NA: {
    decision: 'peer',
    reresolvable: false,
    text: 'the public group is not available to this account',
  },
  PEER_ID_INVALID: {
    decision: 'peer',
    reresolvable: true,
    text: "Telegram rejects the peer id or this account's access hash for it",
  },
  MSG_ID_INVALID: { decision: 'peer', reresolvable: false, text: "Telegram rejects the peer's message id" },
  CHAT_ID_INVALID: { decision: 'peer', reresolvable: false, text: 'Telegram rejects the basic group id' },
  USER_ID_INVALID: {
    decision: 'peer',
    reresolvable: true,
    text: "Telegram rejects the user id or this account's access hash for it",
  },
  // The job's own reason, when it cannot even build the request for a peer.
  MISSING_ACCESS_HASH: {
    decision: 'peer',
    reresolvable: true,
    text: 'no access hash is stored for this peer and account; it will be resolved again',
  },

  USERNAME_NOT_OCCUPIED: { decision: 'unresolvable' },
  USERNAME_INVALID: { decision: 'unresolvable' },
  INVITE_HASH_EXPIRED: { decision: 'unresolvable' },
  INVITE_HASH_INVALID: { decision: 'unresolvable' },
  INVITE_HASH_EMPTY: { decision: 'unresolvable' },

  // The only errors that stop an account: its session or the account itself.
  AUTH_KEY_UNREGISTERED: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: `the session is not logged in: ${LOGIN_AGAIN}`,
  },
  AUTH_KEY_INVALID: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: `the session is invalid: ${LOGIN_AGAIN}`,
  },
  AUTH_KEY_PERM_EMPTY: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: `the session is temporary and unbound: ${LOGIN_AGAIN}`,
  },
  [UNKNOWN_AUTH_KEY]: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: `Telegram no longer knows the session's authorization key (transport error -404), so the session is dead: ${LOGIN_AGAIN}`,
  },
  SESSION_REVOKED: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: `the session was terminated from another device: ${LOGIN_AGAIN}`,
  },
  SESSION_EXPIRED: { decision: 'account', accountStatus: 'needs_login', hint: `the session expired: ${LOGIN_AGAIN}` },
  USER_DEACTIVATED: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: 'the account was deleted; remove it or log in with another account',
  },
  USER_DEACTIVATED_BAN: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: 'Telegram banned the account; remove it or log in with another account',
  },
  AUTH_KEY_DUPLICATED: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: `the session was used by two processes at once and Telegram destroyed it: make sure one runner per account, then ${LOGIN_AGAIN}`,
  },
  BOT_METHOD_INVALID: {
    decision: 'account',
    accountStatus: 'needs_login',
    hint: 'this is a bot session; messages.getPeerDialogs works for user accounts only: log in with a user account',
  },
  FROZEN_METHOD_INVALID: { decision: 'account', accountStatus: 'frozen', hint: FROZEN_HINT },
  FROZEN_PARTICIPANT_MISSING: { decision: 'account', accountStatus: 'frozen', hint: FROZEN_HINT },

  INTERNAL: { decision: 'transient' },
  RPC_CALL_FAIL: { decision: 'transient' },
  RPC_MCGET_FAIL: { decision: 'transient' },
  TIMEOUT: { decision: 'transient' },
  WORKER_BUSY_TOO_LONG_RETRY: { decision: 'transient' },
  MSGID_DECREASE_RETRY: { decision: 'transient' },

  INPUT_PEERS_EMPTY: { decision: 'job' },
  INPUT_METHOD_INVALID: { decision: 'job' },
  INPUT_LAYER_INVALID: { decision: 'job' },
  INPUT_CONSTRUCTOR_INVALID: { decision: 'job' },
  INPUT_FETCH_ERROR: { decision: 'job' },
  INPUT_REQUEST_TOO_LONG: { decision: 'job' },
  API_ID_INVALID: { decision: 'job' },
  API_ID_PUBLISHED_FLOOD: { decision: 'job' },
  CONNECTION_LAYER_INVALID: { decision: 'job' },
  CONNECTION_API_ID_INVALID: { decision: 'job' },
};

/**
 * Codes the job records for peers that are not Telegram's (resolution outcomes). With the table's
 * texts they are what the job knows; a peer failing with any other code failed with an unlisted error.
 */
const JOB_PEER_CODES = ['INVALID_INPUT', 'INVITE_NOT_JOINED', 'PEER_NOT_FOUND'];

/** Every error code the job knows (Telegram's texts in the table, and its own reason codes). */
export const LISTED_ERROR_CODES: readonly string[] = [...Object.keys(ERROR_POLICIES), ...JOB_PEER_CODES];

/** The account errors: the only ones that stop an account (README, "error policy"). */
export const ACCOUNT_STOPPING_ERRORS: readonly string[] = Object.entries(ERROR_POLICIES)
  .filter(([, policy]) => policy.decision === 'account')
  .map(([text]) => text);

/** Local failures of GramJS's connection (not RPC errors): worth a retry on a fresh connection. */
const CONNECTION_FAILURE =
  /Request was unsuccessful \d+ time|not connected|disconnected|connection (closed|reset|lost)|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|socket hang up/i;

const MIGRATE = /^(?:NETWORK|USER|PHONE)_MIGRATE_(\d+)$/;

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
  const floodSeconds = /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT)_(\d+)$/.exec(errorMessage);
  if (floodSeconds !== null) return { kind: 'flood-wait', errorMessage, seconds: Number(floodSeconds[1]) };
  const migrate = MIGRATE.exec(errorMessage);
  if (migrate !== null) return { kind: 'migrate', errorMessage, dcId: Number(migrate[1]) };
  const policy = ERROR_POLICIES[errorMessage];
  switch (policy?.decision) {
    case 'peer':
      return { kind: 'peer', errorMessage, reresolvable: policy.reresolvable };
    case 'unresolvable':
      return { kind: 'unresolvable', errorMessage };
    case 'account':
      return { kind: 'account', errorMessage, accountStatus: policy.accountStatus, hint: policy.hint };
    case 'transient':
      return { kind: 'transient', errorMessage };
    case 'job':
      return { kind: 'unexpected', errorMessage: code === undefined ? errorMessage : `${code} ${errorMessage}` };
    case undefined:
      break;
  }
  if (code !== undefined && (code >= 500 || code < 0)) return { kind: 'transient', errorMessage };
  if (code !== undefined && code >= 400) return { kind: 'unlisted', errorMessage, code };
  return { kind: 'unexpected', errorMessage: code === undefined ? errorMessage : `${code} ${errorMessage}` };
}

/** Whether a peer's failure re-resolving its access hash may cure (a stale or missing hash). */
export function isReresolvablePeerError(errorMessage: string): boolean {
  const policy = ERROR_POLICIES[errorMessage];
  return policy?.decision === 'peer' && policy.reresolvable;
}

/**
 * What the operator reads next to a peer that failed with `errorMessage` (Telegram's text, with its
 * numeric code when known). An unlisted text says so and where to look it up.
 */
export function peerErrorText(errorMessage: string, code?: number): string {
  const policy = ERROR_POLICIES[errorMessage];
  if (policy?.decision === 'peer') return policy.text;
  const answered = code === undefined ? errorMessage : `${code} ${errorMessage}`;
  return `Telegram answered ${answered}, an error this job does not list: it is taken as this peer's problem and retried after its backoff (look it up at ${ERROR_REFERENCE_URL})`;
}
