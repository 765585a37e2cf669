import { Logger, LogLevel } from 'telegram/extensions/Logger.js';

/** The part of a pino logger GramJS's messages are forwarded to. */
export interface LogSink {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/**
 * GramJS logs through its own console logger; this forwards its warnings and errors into the job's
 * logger (so they are structured, redacted and filterable) and drops its chatty info lines to debug.
 */
export class GramJsLogBridge extends Logger {
  constructor(private readonly sink: LogSink) {
    super(LogLevel.INFO);
  }

  override log(level: LogLevel, message: string, _color: string): void {
    if (level === LogLevel.ERROR || level === LogLevel.WARN) this.sink.warn({ component: 'gramjs' }, message);
    else this.sink.debug({ component: 'gramjs' }, message);
  }
}
