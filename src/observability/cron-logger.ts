/**
 * node-cron's own logger writes ANSI-coloured `[NODE-CRON] [ERROR] …` lines with whole error objects
 * (16 stack lines of a PrismaClientKnownRequestError per tick when the database is gone) straight to
 * console.error, past the job's logger and its redaction. This adapter is installed in its place
 * (`setLogger`): one JSON/pretty line per message, the error as one readable line, the stack only at
 * debug level.
 */
import type { AppLogger } from './app-logger.ts';
import type { Logger as CronLogger } from 'node-cron';
import { describeError } from './error-text.ts';

/** The part of the job's (pino) logger the adapter writes to; pino's isLevelEnabled decides the stacks. */
type CronLogSink = Pick<AppLogger, 'debug' | 'info' | 'warn' | 'error'> & {
  isLevelEnabled?(level: string): boolean;
};

export function cronLogBridge(sink: CronLogSink): CronLogger {
  const fields = (error: unknown): object => {
    if (error === undefined || error === null || error === '') return { component: 'node-cron' };
    const stack = error instanceof Error && sink.isLevelEnabled?.('debug') === true ? { stack: error.stack } : {};
    return { component: 'node-cron', error: describeError(error), ...stack };
  };
  const text = (message: string | Error): string => (message instanceof Error ? describeError(message) : message);
  return {
    // node-cron's info lines are its own life cycle (task started, …): not the operator's business.
    info: (message) => sink.debug({ component: 'node-cron' }, message),
    warn: (message) => sink.warn({ component: 'node-cron' }, message),
    error: (message, error) => sink.error(fields(message instanceof Error ? message : error), text(message)),
    debug: (message, error) => sink.debug(fields(message instanceof Error ? message : error), text(message)),
  };
}
