import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { PromptInputEndedError, type Prompter } from './prompter.ts';

/**
 * Answers from a stream, one line per question, in the order the questions are asked. Lines are
 * buffered as they arrive, so a script may write every answer at once before the first question.
 */
export function linePrompter(input: Readable, output: Writable): Prompter {
  const lines: string[] = [];
  const waiting: Array<(line: string | null) => void> = [];
  let ended = false;
  const reader = createInterface({ input, crlfDelay: Infinity, terminal: false });
  reader.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  reader.on('close', () => {
    ended = true;
    for (const next of waiting.splice(0)) next(null);
  });
  const nextLine = (): Promise<string | null> => {
    const buffered = lines.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (ended) return Promise.resolve(null);
    return new Promise((resolve) => waiting.push(resolve));
  };
  const ask = async (question: string): Promise<string> => {
    output.write(`${question}\n`);
    const line = await nextLine();
    if (line === null) throw new PromptInputEndedError(question);
    return line.trim();
  };
  return {
    interactive: false,
    ask,
    // Nothing is echoed when reading lines: the answer is only read, never written.
    askSecret: async (question) => {
      output.write(`${question}\n`);
      const line = await nextLine();
      if (line === null) throw new PromptInputEndedError(question);
      // A password may have spaces at its ends; only the line break is removed.
      return line.replace(/\r$/, '');
    },
    say: (text) => void output.write(`${text}\n`),
    close: () => {
      reader.close();
      input.pause();
      if ('unref' in input && typeof input.unref === 'function') input.unref();
    },
  };
}
