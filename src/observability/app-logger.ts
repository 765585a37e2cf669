/**
 * The one logging interface the program's modules depend on: structured fields first, then the
 * message, as pino takes them. pino's logger (observability/logger.ts) satisfies it as it is — no
 * adapter, no cast — and a test passes a recorder or `silentLogger`. A module that needs fewer
 * levels asks for `Pick<AppLogger, 'warn'>`, so its fakes stay small. It imports nothing.
 */

export interface AppLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  /** The same logger with `bindings` (account, run id…) on every line it writes. */
  child(bindings: Record<string, unknown>): AppLogger;
}

/** Drops every line: for tests and tools that have nothing to report. */
export const silentLogger: AppLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};
