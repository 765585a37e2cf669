/**
 * `createLogger`: pino, with every line routed through the redacting stream (see
 * redacting-stream.ts) and then written as JSON or, for people at a terminal, via pino-pretty.
 * Writes are synchronous so the last lines before a crash or `process.exit` are not lost.
 */
import pino, { type Logger as PinoLogger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/config-types.ts';
import { createRedactingStream, type LineSink } from './redacting-stream.ts';
import type { SecretRegistry } from './secret-registry.ts';

export type Logger = PinoLogger;

export interface CreateLoggerOptions {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** With format=auto, production always means JSON. */
  readonly production?: boolean;
  /** Secret values to scrub from every line; register more at any time, the logger sees them at once. */
  readonly secrets?: SecretRegistry;
  /** Where lines go; default: stdout (synchronous). */
  readonly destination?: LineSink;
  /** Whether the destination is a terminal (decides format=auto and colours); default: process.stdout.isTTY. */
  readonly isTty?: boolean;
  /** Fields on every line, e.g. { service: 'tg-dialog-sync' }. */
  readonly base?: Record<string, unknown>;
}

export function resolveLogFormat(options: {
  readonly format: LogFormat;
  readonly production: boolean;
  readonly isTty: boolean;
}): 'json' | 'pretty' {
  if (options.format !== 'auto') return options.format;
  return options.isTty && !options.production ? 'pretty' : 'json';
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const isTty = options.isTty ?? process.stdout.isTTY === true;
  const format = resolveLogFormat({ format: options.format, production: options.production ?? false, isTty });
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  const pretty =
    format === 'pretty'
      ? prettyFactory({ colorize: isTty, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' })
      : undefined;
  const stream = createRedactingStream({ destination, secrets: options.secrets, format: pretty });
  return pino(
    {
      level: options.level,
      base: options.base ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors logged under `error` or `cause` get the same serializer as `err` (message, stack,
      // enumerable fields) instead of pino's default `{}` for non-plain objects.
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err, cause: pino.stdSerializers.err },
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}
