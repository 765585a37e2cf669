/**
 * The ways a run ends early. Each carries what the run row and the operator need; sync-account.ts
 * turns them into the run's outcome.
 */
import { AppError } from '../errors/app-error.ts';

/** A flood wait above the ceiling on a method the run cannot do without. */
export class RunDeferredError extends AppError<'deferred'> {
  constructor(
    readonly method: string,
    readonly seconds: number,
    readonly resumeAt: Date,
  ) {
    super(
      `Telegram asked to wait ${seconds} s before calling ${method} again (above the ceiling); resuming after ${resumeAt.toISOString()}`,
      { kind: 'deferred' },
    );
  }
}

/** The account cannot continue (session revoked, frozen…): stop it, no retries. */
export class AccountStoppedError extends AppError<'account'> {
  constructor(
    readonly errorMessage: string,
    readonly accountStatus: 'needs_login' | 'frozen',
    override readonly hint: string,
    userMistake = false,
  ) {
    super(`${errorMessage}: ${hint}`, { kind: 'account', hint, userMistake });
  }
}

/**
 * The account has no stored session: found out before anything was sent to Telegram (so the call
 * that met it is not counted). Logging in is the only cure.
 */
export class NoSessionError extends AccountStoppedError {
  constructor(
    readonly accountLabel: string,
    lookedIn: string,
  ) {
    super(
      `no session stored for account "${accountLabel}" (looked in ${lookedIn})`,
      'needs_login',
      `log in with \`tg-dialog-sync login --account ${accountLabel}\``,
      true,
    );
  }
}

/** Transient failures outlasted the retry budget. */
export class TransientRetriesExhaustedError extends AppError<'transient_exhausted'> {
  constructor(
    readonly method: string,
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(
      `${method} kept failing after ${attempts} attempts (last: ${lastError}); the next run continues where this one stopped`,
      { kind: 'transient_exhausted' },
    );
  }
}

/** SIGTERM/SIGINT, or the account lock was lost: stop using Telegram now. */
export class RunInterruptedError extends AppError<'interrupted'> {
  constructor(readonly reason: string) {
    super(`run interrupted: ${reason}`, { kind: 'interrupted' });
  }
}

/** An error Telegram gave that the job does not know how to handle. */
export class UnexpectedTelegramError extends AppError<'unexpected'> {
  constructor(
    readonly method: string,
    readonly errorMessage: string,
  ) {
    super(`${method} failed: ${errorMessage}`, { kind: 'unexpected' });
  }
}

/**
 * Calls failed for their peers, and a probe that should have worked (a peer known to work, or a call
 * carrying no peer) failed too: an account-wide problem, not bad peers. No peer is backed off.
 */
export class AccountWidePeerError extends AppError<'account_wide_peer_error'> {
  constructor(
    readonly errorMessage: string,
    readonly probe: string,
  ) {
    super(
      `getPeerDialogs failed with ${errorMessage}, and so did ${probe}: this is not a peer problem, so no peer was backed off — check the account in a Telegram app`,
      { kind: 'account_wide_peer_error' },
    );
  }
}
