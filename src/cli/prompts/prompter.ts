/**
 * How the CLI asks questions. Two implementations share one small interface:
 * - {@link ttyPrompter}: at a terminal, with @inquirer/prompts (secrets typed MASKED);
 * - {@link linePrompter}: when stdin is not a terminal, each answer is the next line of stdin, so
 *   scripts and tests can pipe the answers in (`printf '%s\n' "$PHONE" "$CODE" | tg-dialog-sync login …`).
 * Questions and notices go to stderr; stdout is kept for the command's result.
 */
import { AppError } from '../../errors/app-error.ts';

export interface Prompter {
  /** A visible answer (phone number, login code). */
  ask(question: string): Promise<string>;
  /** A secret answer (2FA password): masked at a terminal, never echoed. */
  askSecret(question: string): Promise<string>;
  /** A line of information for the person answering. */
  say(text: string): void;
  /** Whether a person is at a terminal (decides e.g. how a QR code is drawn). */
  readonly interactive: boolean;
  close(): void;
}

/** The answers ran out: stdin ended before this question was answered. */
export class PromptInputEndedError extends AppError<'prompt_input_ended'> {
  constructor(question: string) {
    super(
      `stdin ended before "${question.replace(/[:?]\s*$/, '')}" was answered (pipe one answer per line, or run at a terminal)`,
      { kind: 'prompt_input_ended', userMistake: true },
    );
  }
}

/** The person pressed Ctrl+C (or the prompt was aborted). */
export class PromptCancelledError extends AppError<'prompt_cancelled'> {
  constructor() {
    super('cancelled at the prompt', { kind: 'prompt_cancelled', userMistake: true });
  }
}
