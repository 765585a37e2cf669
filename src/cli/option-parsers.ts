/**
 * Parsers for command-line option values, shared by every command, so one flag family (counts,
 * timeouts) is validated and worded the same everywhere. A bad value is a usage error: commander
 * prints the message and the CLI exits 2.
 */
import { InvalidArgumentError } from 'commander';

export function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
      throw new InvalidArgumentError(`${flag} must be a positive whole number, got "${value}"`);
    }
    return parsed;
  };
}
