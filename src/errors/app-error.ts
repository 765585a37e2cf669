/**
 * The base of every error this program raises on purpose, and the one way to turn a thrown value
 * into an Error. Callers branch on `instanceof AppError` (or a subclass) and on `kind` — never on
 * the shape of an object — so a library error that happens to have a `kind` property is never
 * mistaken for one of ours. It imports nothing: every layer may throw it.
 */

export interface AppErrorOptions<Kind extends string> {
  /** What went wrong, as a stable code: run rows, metrics and callers branch on it. */
  readonly kind: Kind;
  /**
   * A mistake of the person running the program (bad input, configuration, a missing step): the
   * CLI prints its message as one line and never a stack trace, which would only suggest a bug.
   */
  readonly userMistake?: boolean;
  /** What the operator should do about it, when the error knows (already part of the message). */
  readonly hint?: string;
  readonly cause?: unknown;
}

export class AppError<Kind extends string = string> extends Error {
  readonly kind: Kind;
  readonly userMistake: boolean;
  readonly hint: string | undefined;

  constructor(message: string, { kind, userMistake = false, hint, cause }: AppErrorOptions<Kind>) {
    super(message, cause === undefined ? undefined : { cause });
    // The subclass's own name ("LoginError"), for logs and stack traces; users never see it.
    this.name = new.target.name;
    this.kind = kind;
    this.userMistake = userMistake;
    this.hint = hint;
  }
}

/**
 * Any thrown value as an Error: itself when it is one, else an Error whose message is its text
 * (a thrown string or number says what it is; it has no stack of its own to keep).
 */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
