/**
 * The one-line-per-problem text a CLI prints to stderr when it dies: a ConfigError's problem list,
 * a user mistake's message, otherwise the error's message (and, on request, its stack) — always
 * through the secret scrubber, because an uncaught error's message can carry a session string or a
 * connection URL.
 *
 *   catch (error) { process.stderr.write(`${formatFatalError(error, { secrets })}\n`); process.exitCode = 1; }
 */
import { ConfigError, formatConfigError } from '../config/config-error.ts';
import { AppError } from '../errors/app-error.ts';
import { scrubSecrets } from './redaction.ts';
import type { SecretRegistry } from './secret-registry.ts';

export interface FormatFatalErrorOptions {
  readonly secrets?: SecretRegistry;
  /** Include the stack trace (e.g. with LOG_LEVEL=debug); user mistakes (config errors…) never get one. */
  readonly includeStack?: boolean;
}

/**
 * Errors that mean a bug in the program keep their class name (it helps the report); the job's own
 * typed errors (LoginError, UnknownAccountError, …) are for callers to branch on, and their names mean
 * nothing to the operator, so those lines start with "error:".
 */
const BUG_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError']);

export function formatFatalError(
  error: unknown,
  { secrets, includeStack = false }: FormatFatalErrorOptions = {},
): string {
  if (error instanceof ConfigError) return formatConfigError(error);
  const text =
    error instanceof Error
      ? includeStack && error.stack !== undefined && !(error instanceof AppError && error.userMistake)
        ? error.stack
        : `${BUG_ERRORS.has(error.name) ? error.name : 'error'}: ${error.message}`
      : `error: ${String(error)}`;
  return scrubSecrets(text, secrets);
}
