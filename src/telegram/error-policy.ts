/**
 * The one error-policy table: every error code the job knows, what the job does about it, and what the
 * operator reads about it. Telegram's texts are decided here by their text, never by the numeric code
 * alone (CHANNEL_PRIVATE is documented as 406 and observed as 400, FROZEN_METHOD_INVALID comes as a
 * 420 without seconds); the job's own reason codes for peers sit beside them. classify-error.ts reads
 * GramJS's errors into these codes, and the run (call policy, batches, resolution) acts on the
 * decisions; nobody else lists codes.
 *
 * Fail open per peer: Telegram adds texts every few layers, so a 4xx text that is not listed is not a
 * reason to stop. On a call that carries peers it is taken as those peers' problem and isolated like a
 * peer error (UNLISTED_DECISION); only the account-fatal codes below stop an account.
 */

/** What the job does about an error. */
export type ErrorDecision =
  /** Wait the seconds the text carries, then retry the same call (or defer the method above the ceiling). */
  | 'flood-wait'
  /** The account's data center moved: carry the authorization there and retry once. */
  | 'migrate'
  /** One requested peer is inaccessible: the whole call failed; isolate the peer and back it off. */
  | 'isolate-peer'
  /** Like isolate-peer, but a stale or missing access hash: resolve the peer again once, then isolate it. */
  | 're-resolve'
  /** The configured peer cannot be turned into a peer (unknown username, dead invite…): mark it, retry late. */
  | 'unresolvable'
  /** The session or the account is dead or frozen: stop the account and tell the operator what to do. */
  | 'account-fatal'
  /** Worth a bounded retry with backoff. */
  | 'transient'
  /** The job's own request is wrong: never a peer's problem, never retried; the run fails as unexpected. */
  | 'job-error';

export type AccountStatus = 'needs_login' | 'frozen';

/** One code's row of the table. `text` is what the operator reads (next to a peer, or as the account's status reason). */
export type ErrorPolicy =
  | {
      readonly decision: Exclude<ErrorDecision, 'account-fatal' | 'isolate-peer' | 're-resolve'>;
      readonly text: string;
    }
  | {
      readonly decision: 'isolate-peer' | 're-resolve';
      readonly text: string;
      /** The peer is a channel the account may no longer read: its stored account_channels row is marked forbidden. */
      readonly forbidsChannel?: true;
    }
  | { readonly decision: 'account-fatal'; readonly accountStatus: AccountStatus; readonly text: string };

/** Telegram's list of error texts: https://core.telegram.org/api/errors (and the method pages). */
export const ERROR_REFERENCE_URL = 'https://core.telegram.org/api/errors';

/**
 * The transport error −404 carries no text; the job names it so the table, the run row and the
 * account's status reason can.
 */
export const UNKNOWN_AUTH_KEY = 'AUTH_KEY_UNKNOWN_404';

/** What a 4xx text the table does not list means on a call that carries peers: those peers' problem. */
export const UNLISTED_DECISION = 'isolate-peer' satisfies ErrorDecision;

/** FLOOD_WAIT_X and its flavours; X is the seconds to wait. */
export const FLOOD_WAIT_TEXT = /^(?:FLOOD_WAIT|FLOOD_PREMIUM_WAIT|SLOWMODE_WAIT)_(\d+)$/;
/** 303 *_MIGRATE_X; X is the data center to move to. */
export const MIGRATE_TEXT = /^(?:NETWORK|USER|PHONE)_MIGRATE_(\d+)$/;

/** Families of texts that carry a number (seconds, a data center): decided by pattern. */
export const ERROR_FAMILIES: readonly {
  readonly pattern: RegExp;
  readonly decision: ErrorDecision;
  readonly text: string;
}[] = [
  {
    pattern: FLOOD_WAIT_TEXT,
    decision: 'flood-wait',
    text: 'Telegram asks to wait that many seconds before the next call of this method',
  },
  {
    pattern: MIGRATE_TEXT,
    decision: 'migrate',
    text: "the account's data center moved; the session is carried over to it",
  },
];

const LOGIN_AGAIN = 'log in again with `tg-dialog-sync login`';
const FROZEN_HINT = 'Telegram froze the account; nothing can be synced until the freeze is lifted (see @SpamBot)';
const RETRIED = 'it is retried with backoff';
const JOB_MISTAKE = "the job's request is wrong (a bug or a wrong setting); the run fails";

/** Telegram's texts the job knows. */
const TELEGRAM_ERRORS = {
  // Peer errors: one requested peer fails the whole call; isolate it and back it off.
  CHANNEL_PRIVATE: {
    decision: 'isolate-peer',
    forbidsChannel: true,
    text: 'the channel is private or the account was removed from it; it is retried after its backoff',
  },
  CHANNEL_INVALID: {
    decision: 're-resolve',
    text: "Telegram rejects the channel or this account's access hash for it",
  },
  CHANNEL_PUBLIC_GROUP_NA: {
    decision: 'isolate-peer',
    forbidsChannel: true,
    text: 'the public group is not available to this account',
  },
  PEER_ID_INVALID: {
    decision: 're-resolve',
    text: "Telegram rejects the peer id or this account's access hash for it",
  },
  MSG_ID_INVALID: { decision: 'isolate-peer', text: "Telegram rejects the peer's message id" },
  CHAT_ID_INVALID: { decision: 'isolate-peer', text: 'Telegram rejects the basic group id' },
  USER_ID_INVALID: {
    decision: 're-resolve',
    text: "Telegram rejects the user id or this account's access hash for it",
  },

  USERNAME_NOT_OCCUPIED: {
    decision: 'unresolvable',
    text: 'no Telegram user or chat has this username; check the spelling',
  },
  USERNAME_INVALID: { decision: 'unresolvable', text: 'Telegram says this username is invalid; check the spelling' },
  INVITE_HASH_EXPIRED: { decision: 'unresolvable', text: 'the invite link has expired; ask for a new one' },
  INVITE_HASH_INVALID: { decision: 'unresolvable', text: 'the invite link is not valid; check it' },
  INVITE_HASH_EMPTY: { decision: 'unresolvable', text: 'the invite link has no hash; check it' },

  // The only errors that stop an account: its session or the account itself.
  AUTH_KEY_UNREGISTERED: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `the session is not logged in: ${LOGIN_AGAIN}`,
  },
  AUTH_KEY_INVALID: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `the session is invalid: ${LOGIN_AGAIN}`,
  },
  AUTH_KEY_PERM_EMPTY: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `the session is temporary and unbound: ${LOGIN_AGAIN}`,
  },
  [UNKNOWN_AUTH_KEY]: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `Telegram no longer knows the session's authorization key (transport error -404), so the session is dead: ${LOGIN_AGAIN}`,
  },
  SESSION_REVOKED: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `the session was terminated from another device: ${LOGIN_AGAIN}`,
  },
  SESSION_EXPIRED: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `the session expired: ${LOGIN_AGAIN}`,
  },
  USER_DEACTIVATED: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: 'the account was deleted; remove it or log in with another account',
  },
  USER_DEACTIVATED_BAN: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: 'Telegram banned the account; remove it or log in with another account',
  },
  AUTH_KEY_DUPLICATED: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: `the session was used by two processes at once and Telegram destroyed it: make sure one runner per account, then ${LOGIN_AGAIN}`,
  },
  BOT_METHOD_INVALID: {
    decision: 'account-fatal',
    accountStatus: 'needs_login',
    text: 'this is a bot session; messages.getPeerDialogs works for user accounts only: log in with a user account',
  },
  FROZEN_METHOD_INVALID: { decision: 'account-fatal', accountStatus: 'frozen', text: FROZEN_HINT },
  FROZEN_PARTICIPANT_MISSING: { decision: 'account-fatal', accountStatus: 'frozen', text: FROZEN_HINT },

  INTERNAL: { decision: 'transient', text: `Telegram had an internal error; ${RETRIED}` },
  RPC_CALL_FAIL: { decision: 'transient', text: `Telegram could not complete the call internally; ${RETRIED}` },
  RPC_MCGET_FAIL: { decision: 'transient', text: `Telegram could not read its own data in time; ${RETRIED}` },
  TIMEOUT: { decision: 'transient', text: `Telegram timed out answering; ${RETRIED}` },
  WORKER_BUSY_TOO_LONG_RETRY: { decision: 'transient', text: `Telegram's servers are busy; ${RETRIED}` },
  MSGID_DECREASE_RETRY: { decision: 'transient', text: `Telegram asks for the call again; ${RETRIED}` },

  INPUT_PEERS_EMPTY: { decision: 'job-error', text: `a call carried no peers: ${JOB_MISTAKE}` },
  INPUT_METHOD_INVALID: { decision: 'job-error', text: `Telegram does not know the method: ${JOB_MISTAKE}` },
  INPUT_LAYER_INVALID: { decision: 'job-error', text: `Telegram does not accept the API layer: ${JOB_MISTAKE}` },
  INPUT_CONSTRUCTOR_INVALID: { decision: 'job-error', text: `Telegram cannot read the request: ${JOB_MISTAKE}` },
  INPUT_FETCH_ERROR: { decision: 'job-error', text: `Telegram cannot read the request: ${JOB_MISTAKE}` },
  INPUT_REQUEST_TOO_LONG: { decision: 'job-error', text: `the request is too long for Telegram: ${JOB_MISTAKE}` },
  API_ID_INVALID: {
    decision: 'job-error',
    text: 'Telegram refuses TELEGRAM_API_ID/TELEGRAM_API_HASH: copy both from https://my.telegram.org',
  },
  API_ID_PUBLISHED_FLOOD: {
    decision: 'job-error',
    text: 'this api_id was published and is blocked: create your own at https://my.telegram.org',
  },
  CONNECTION_LAYER_INVALID: { decision: 'job-error', text: `Telegram does not accept the API layer: ${JOB_MISTAKE}` },
  CONNECTION_API_ID_INVALID: {
    decision: 'job-error',
    text: 'Telegram refuses TELEGRAM_API_ID for this connection: copy it from https://my.telegram.org',
  },
} as const satisfies Record<string, ErrorPolicy>;

/** The job's own reason codes for a peer (never Telegram's): recorded as its error code like Telegram's texts. */
export const JOB_REASON = {
  /** No access hash is stored for a user or channel: GramJS cannot even build the request. */
  missingAccessHash: 'MISSING_ACCESS_HASH',
  /** The stored peer input cannot be read back. */
  invalidInput: 'INVALID_INPUT',
  /** An invite link whose chat the account has not joined. */
  inviteNotJoined: 'INVITE_NOT_JOINED',
  /** An id the account has no access to. */
  peerNotFound: 'PEER_NOT_FOUND',
} as const;

export type JobReason = (typeof JOB_REASON)[keyof typeof JOB_REASON];

const JOB_REASONS = {
  [JOB_REASON.missingAccessHash]: {
    decision: 're-resolve',
    text: 'no access hash is stored for this peer and account; it will be resolved again',
  },
  [JOB_REASON.invalidInput]: {
    decision: 'unresolvable',
    text: 'the stored peer cannot be read; remove it and add it again',
  },
  [JOB_REASON.inviteNotJoined]: {
    decision: 'unresolvable',
    text: "the account is not a member of this invite link's chat; join it in Telegram first",
  },
  [JOB_REASON.peerNotFound]: {
    decision: 'unresolvable',
    text: "the account has no access to this id (it is not among the account's dialogs); use a @username or an invite link instead",
  },
} as const satisfies Record<JobReason, ErrorPolicy>;

const TELEGRAM_POLICIES: Readonly<Record<string, ErrorPolicy>> = TELEGRAM_ERRORS;
const ALL_POLICIES: Readonly<Record<string, ErrorPolicy>> = { ...TELEGRAM_ERRORS, ...JOB_REASONS };

/** The policy for one of Telegram's texts, or undefined when the table does not list it. */
export function telegramErrorPolicy(errorMessage: string): ErrorPolicy | undefined {
  return Object.hasOwn(TELEGRAM_POLICIES, errorMessage) ? TELEGRAM_POLICIES[errorMessage] : undefined;
}

/** The policy for any code a peer may be recorded with: Telegram's texts and the job's reasons. */
export function errorPolicy(code: string): ErrorPolicy | undefined {
  return Object.hasOwn(ALL_POLICIES, code) ? ALL_POLICIES[code] : undefined;
}

/** Every code the table lists, Telegram's and the job's (a peer failing with another failed with an unlisted error). */
export const LISTED_ERROR_CODES: readonly string[] = [...Object.keys(TELEGRAM_ERRORS), ...Object.keys(JOB_REASONS)];

/** The account errors: the only ones that stop an account (README, "error policy"). */
export const ACCOUNT_STOPPING_ERRORS: readonly string[] = codesWith((policy) => policy.decision === 'account-fatal');

/** Codes whose peer is a channel the account can no longer read (its account_channels row becomes forbidden). */
export const CHANNEL_FORBIDDING_ERRORS: readonly string[] = codesWith(
  (policy) => 'forbidsChannel' in policy && policy.forbidsChannel === true,
);

function codesWith(test: (policy: ErrorPolicy) => boolean): string[] {
  return Object.entries(ALL_POLICIES)
    .filter(([, policy]) => test(policy))
    .map(([code]) => code);
}

/** Whether a peer's failure re-resolving its access hash may cure (a stale or missing hash). */
export function isReresolvable(code: string): boolean {
  return errorPolicy(code)?.decision === 're-resolve';
}

/**
 * What the operator reads next to a peer isolated after `code` (Telegram's text, with its numeric code
 * when known). A text the table does not list as a peer error says so and where to look it up.
 */
export function peerErrorText(code: string, numericCode?: number): string {
  const policy = errorPolicy(code);
  if (policy?.decision === 'isolate-peer' || policy?.decision === 're-resolve') return policy.text;
  const answered = numericCode === undefined ? code : `${numericCode} ${code}`;
  return `Telegram answered ${answered}, an error this job does not list: it is taken as this peer's problem and retried after its backoff (look it up at ${ERROR_REFERENCE_URL})`;
}

/** Why a configured peer could not be resolved, in words an operator can act on. */
export function unresolvableText(code: string): string {
  const policy = errorPolicy(code);
  return policy?.decision === 'unresolvable' ? policy.text : `Telegram answered ${code}`;
}
