/** GramJS's own log messages and errors, forwarded to the job's logger (debug and warn are all they need). */
import type { AppLogger } from '../observability/app-logger.ts';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';

/**
 * GramJS's routine messages, logged at its WARN/ERROR level for events the job handles and reports in
 * its own words (a destroyed client, a connection attempt the job retries and names in its result).
 * At warn they cut through the progress bar after every account.
 */
const ROUTINE = [
  /^Disconnecting\.\.\.$/,
  /^WebSocket connection failed attempt: \d+$/,
  /^\[Reconnect\] Closing current connection\.\.\.$/,
];

/**
 * GramJS logs through its own console logger; this forwards every one of its messages into the job's
 * logger (so they are structured, redacted and filterable): warnings and errors at warn, routine ones
 * and its chatty info lines at debug.
 *
 * `canSend` answers false on purpose: GramJS asks it before writing whole error objects (stack traces
 * included) straight to `console.error`/`console.log`, past the job's logger and its redaction. Those
 * errors reach the job anyway — through `onError` (see create-client.ts) and the failed call.
 */
export class GramJsLogBridge extends Logger {
  constructor(private readonly sink: Pick<AppLogger, 'debug' | 'warn'>) {
    super(LogLevel.INFO);
  }

  override canSend(_level: LogLevel): boolean {
    return false;
  }

  override _log(level: LogLevel, message: string, color: string): void {
    // GramJS's own DEBUG lines (several per call) stay out, as with its INFO level before.
    if (level !== LogLevel.DEBUG) this.log(level, message, color);
  }

  override log(level: LogLevel, message: string, _color: string): void {
    const loud =
      (level === LogLevel.ERROR || level === LogLevel.WARN) && !ROUTINE.some((routine) => routine.test(message));
    if (loud) this.sink.warn({ component: 'gramjs' }, message);
    else this.sink.debug({ component: 'gramjs' }, message);
  }
}

/** The socket error each client's last connection attempt failed with (GramJS reports it, then retries). */
const lastSocketErrors = new WeakMap<object, unknown>();

/**
 * GramJS hands the errors of its own connection attempts and update loop to `onError` (and, without a
 * handler, nowhere but console.error). This logs them through the job's logger — at debug, since the
 * failed call or connect reports them in the job's own words — and keeps the last one for
 * {@link lastGramJsError}.
 */
export function routeGramJsErrors(
  client: { onError: (error: Error) => Promise<void> },
  sink: Pick<AppLogger, 'debug' | 'warn'>,
): void {
  client.onError = async (error: Error) => {
    lastSocketErrors.set(client, error);
    const code = (error as { code?: unknown }).code;
    sink.debug(
      { component: 'gramjs', error: error.message, ...(typeof code === 'string' ? { code } : {}) },
      'GramJS: connection error',
    );
  };
}

/** The error GramJS last reported for this client's connection, if any. */
export function lastGramJsError(client: object): unknown {
  return lastSocketErrors.get(client);
}
