/**
 * The one error type configuration loading throws. It carries every problem found (not just the
 * first), so an operator fixes the whole environment in one round trip instead of one variable per
 * restart. `.message` is already the user-facing text: a CLI prints it as is, without a stack trace.
 *
 * Problem messages never contain the value of a secret option: they are built by `load-config.ts`,
 * which only echoes values of non-secret options and a masked form of DATABASE_URL.
 */
import { AppError } from '../errors/app-error.ts';

export interface ConfigProblem {
  /** The option's name, e.g. `SYNC_BATCH_SIZE` (the same name in the environment and the config file). */
  readonly option: string;
  /** What is wrong and, where useful, why the rule exists. Never contains a secret value. */
  readonly message: string;
  /** A valid value, e.g. `100`; printed as `SYNC_BATCH_SIZE=100`. */
  readonly example?: string;
}

export class ConfigError extends AppError<'config'> {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(problems), { kind: 'config', userMistake: true });
    this.problems = Object.freeze(problems.map((problem) => Object.freeze({ ...problem })));
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}

/** The text a CLI prints to stderr for a ConfigError: the problem list, no stack trace. */
export function formatConfigError(error: ConfigError): string {
  return error.message;
}

function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((problem) => {
    const example = problem.example === undefined ? '' : `\n      example: ${problem.option}=${problem.example}`;
    return `  - ${problem.option}: ${problem.message}${example}`;
  });
  return [`Invalid configuration (${count}):`, ...lines].join('\n');
}
