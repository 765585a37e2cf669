/**
 * The last stop before bytes leave the process: every line pino produces (message, bindings of
 * child loggers, serialized errors with their stacks and causes) is parsed, redacted by key at any
 * depth, scrubbed of secret values, and only then formatted (JSON or pretty) and written. Doing it
 * here rather than in pino hooks/serializers means no code path can skip it: pino builds child
 * bindings and error objects outside `hooks.logMethod`, and `redact` paths cannot express "this key
 * at any depth".
 */
import { redactSecretKeys } from './redact-secret-keys.ts';
import { scrubSecrets } from './redaction.ts';
import type { SecretRegistry } from './secret-registry.ts';

/** Anything with a synchronous-enough `write`, e.g. a SonicBoom, process.stderr, or a test capture. */
export interface LineSink {
  write(chunk: string): unknown;
}

export interface RedactingStreamOptions {
  readonly destination: LineSink;
  readonly secrets?: SecretRegistry;
  /** Turns a redacted JSON line into output text (e.g. pino-pretty); default: the JSON line itself. */
  readonly format?: (jsonLine: string) => string;
}

export function createRedactingStream({ destination, secrets, format }: RedactingStreamOptions): LineSink {
  return {
    write(chunk: string): boolean {
      for (const line of chunk.split('\n')) {
        if (line === '') continue;
        const safe = redactLogLine(line, secrets);
        destination.write(format === undefined ? `${safe}\n` : format(safe));
      }
      return true;
    },
  };
}

/** One JSON log line in, one redacted JSON line out; a non-JSON line is scrubbed as plain text. */
export function redactLogLine(line: string, secrets?: SecretRegistry): string {
  const scrubString = (text: string): string => scrubSecrets(text, secrets);
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return scrubString(line);
  }
  return JSON.stringify(redactSecretKeys(record, { scrubString }));
}
