/**
 * The ways a run ends early. Each carries what the run row and the operator need; sync-account.ts
 * turns them into the run's outcome.
 */

/** A flood wait above the ceiling on a method the run cannot do without. */
export class RunDeferredError extends Error {
  readonly kind = 'deferred';
  constructor(
    readonly method: string,
    readonly seconds: number,
    readonly resumeAt: Date,
  ) {
    super(
      `Telegram asked to wait ${seconds} s before calling ${method} again (above the ceiling); resuming after ${resumeAt.toISOString()}`,
    );
    this.name = 'RunDeferredError';
  }
}

/** The account cannot continue (session revoked, frozen…): stop it, no retries. */
export class AccountStoppedError extends Error {
  readonly kind = 'account';
  constructor(
    readonly errorMessage: string,
    readonly accountStatus: 'needs_login' | 'frozen',
    readonly hint: string,
  ) {
    super(`${errorMessage}: ${hint}`);
    this.name = 'AccountStoppedError';
  }
}

/**
 * The account has no stored session: found out before anything was sent to Telegram (so the call
 * that met it is not counted). Logging in is the only cure.
 */
export class NoSessionError extends AccountStoppedError {
  override readonly kind = 'account';
  constructor(
    readonly accountLabel: string,
    lookedIn: string,
  ) {
    super(
      `no session stored for account "${accountLabel}" (looked in ${lookedIn})`,
      'needs_login',
      `log in with \`tg-dialog-sync login --account ${accountLabel}\``,
    );
    this.name = 'NoSessionError';
  }
}

/** Transient failures outlasted the retry budget. */
export class TransientRetriesExhaustedError extends Error {
  readonly kind = 'transient_exhausted';
  constructor(
    readonly method: string,
    readonly attempts: number,
    readonly lastError: string,
  ) {
    super(
      `${method} kept failing after ${attempts} attempts (last: ${lastError}); the next run continues where this one stopped`,
    );
    this.name = 'TransientRetriesExhaustedError';
  }
}

/** SIGTERM/SIGINT, or the account lock was lost: stop using Telegram now. */
export class RunInterruptedError extends Error {
  readonly kind = 'interrupted';
  constructor(readonly reason: string) {
    super(`run interrupted: ${reason}`);
    this.name = 'RunInterruptedError';
  }
}

/** An error Telegram gave that the job does not know how to handle. */
export class UnexpectedTelegramError extends Error {
  readonly kind = 'unexpected';
  constructor(
    readonly method: string,
    readonly errorMessage: string,
  ) {
    super(`${method} failed: ${errorMessage}`);
    this.name = 'UnexpectedTelegramError';
  }
}

/**
 * Calls failed for their peers, and a probe that should have worked (a peer known to work, or a call
 * carrying no peer) failed too: an account-wide problem, not bad peers. No peer is backed off.
 */
export class AccountWidePeerError extends Error {
  readonly kind = 'account_wide_peer_error';
  constructor(
    readonly errorMessage: string,
    readonly probe: string,
  ) {
    super(
      `getPeerDialogs failed with ${errorMessage}, and so did ${probe}: this is not a peer problem, so no peer was backed off — check the account in a Telegram app`,
    );
    this.name = 'AccountWidePeerError';
  }
}
