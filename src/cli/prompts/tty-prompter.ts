import { input, password } from '@inquirer/prompts';
import { PromptCancelledError, type Prompter } from './prompter.ts';

/** Questions at a terminal with @inquirer/prompts; secrets are masked with '*'. Written to stderr. */
export function ttyPrompter(
  streams: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } = {
    input: process.stdin,
    output: process.stderr,
  },
): Prompter {
  const context = { input: streams.input, output: streams.output };
  const cancellable = async (ask: () => Promise<string>): Promise<string> => {
    try {
      return await ask();
    } catch (error) {
      if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError'))
        throw new PromptCancelledError();
      throw error;
    }
  };
  return {
    interactive: true,
    ask: (question) => cancellable(async () => (await input({ message: question, required: true }, context)).trim()),
    askSecret: (question) => cancellable(() => password({ message: question, mask: '*' }, context)),
    say: (text) => void streams.output.write(`${text}\n`),
    close: () => undefined,
  };
}

/**
 * A terminal prompter whenever stdin is a terminal — even with stderr redirected, so a password typed
 * at a keyboard is always read in raw mode and masked, never echoed by the terminal — else null.
 * Questions go to stderr, or to stdout when only stdout is the terminal.
 */
export function terminalPrompterIfInteractive(): Prompter | null {
  if (process.stdin.isTTY !== true) return null;
  const output = process.stderr.isTTY !== true && process.stdout.isTTY === true ? process.stdout : process.stderr;
  return ttyPrompter({ input: process.stdin, output });
}
