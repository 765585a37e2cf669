import { setTimeout as delay } from 'node:timers/promises';
import { RunInterruptedError } from './run-errors.ts';

/** Sleeps, unless the run is stopped meanwhile: then it throws RunInterruptedError at once. */
export async function abortableSleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new RunInterruptedError(String(signal.reason ?? 'stopped'));
  try {
    await delay(milliseconds, undefined, { signal });
  } catch (error) {
    if (signal.aborted) throw new RunInterruptedError(String(signal.reason ?? 'stopped'));
    throw error;
  }
}

export type Sleep = (milliseconds: number, signal: AbortSignal) => Promise<void>;
