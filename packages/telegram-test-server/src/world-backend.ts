/**
 * What the protocol layer needs from the simulated world: the accounts (for login and pre-seeded
 * sessions) and a way to run a data method as an account. `worldBackend()` in world-adapter.ts
 * builds it from the real `World`; tests of the protocol alone can pass a small stand-in.
 */

/** The account fields login needs (a subset of the world's `WorldAccount`). */
export interface BackendAccount {
  readonly userId: bigint;
  /** Digits only, no '+'. */
  readonly phone: string;
  readonly isBot: boolean;
  readonly loginCode: string;
  readonly password?: string;
  readonly botToken?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly username?: string | null;
}

export interface CallerContext {
  readonly accountUserId: bigint;
  readonly isBot: boolean;
}

/** Returned by `call` when the world does not implement the method. */
export const WORLD_NOT_HANDLED: unique symbol = Symbol('WORLD_NOT_HANDLED');

export interface WorldBackend {
  readonly accounts: readonly BackendAccount[];
  /**
   * Runs one data method (the decoded GramJS request, wrappers already removed) as the account.
   * Returns the TL result, or WORLD_NOT_HANDLED; throws TelegramRpcError for Telegram errors.
   */
  call(ctx: CallerContext, request: object): unknown;
}
