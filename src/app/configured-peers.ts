import type { AppLogger } from '../observability/app-logger.ts';
import { readFile } from 'node:fs/promises';
import { ALL_ACCOUNTS, readPeersFileBytes, type PeersFileProblem } from '../peers/peers-file.ts';
import { PeersFileError } from '../peers/peers-file-error.ts';
import type { ConfiguredRule } from '../peers/peer-rule.ts';
import type { WantedPeer } from '../store/peers/reconcile-configured-peers.ts';

/** A damaged file can have thousands of bad lines: report this many, then how many more. */
export const MAX_REPORTED_PROBLEMS = 20;

const FIX_HINT = 'fix or restore the file, or unset SYNC_PEERS_FILE';

/**
 * The peers file as each account's wanted list (entries for "*" go to every account). Bad lines are
 * logged with file, line and reason (the first MAX_REPORTED_PROBLEMS of them, then a count); the rest
 * still load. A file that cannot be read, or is empty, binary or unparseable as a whole, throws one
 * PeersFileError before anything is synced: as the source of truth it would disable every peer.
 * Returns null when no file is configured, in which case the configured_peers table is the list.
 */
export async function loadPeersFile(
  path: string | undefined,
  logger: Pick<AppLogger, 'warn'>,
): Promise<LoadedPeersFile | null> {
  if (path === undefined) return null;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new PeersFileError(
      path,
      `cannot be read (${code})`,
      'fix the path in SYNC_PEERS_FILE or unset it; nothing was changed',
    );
  }
  const file = readPeersFileBytes(path, bytes, FIX_HINT);
  reportProblems(
    file.problems,
    (problem) => logger.warn({ file: problem.file, line: problem.line, input: problem.input }, problemLine(problem)),
    (more) =>
      logger.warn({ file: path, unreported: more }, `${path}: ${more} more line(s) could not be read and are skipped`),
  );
  // Kept for every account's run, so only what the runs need: not the parsed specs, lines and problems
  // (a 200,000-peer file parses to ~45 MB of objects).
  const compact = file.entries.map((entry) => ({
    account: entry.account,
    input: entry.input,
    normalizedInput: entry.spec.normalized,
  }));
  const rules = file.rules.map((entry) => ({
    account: entry.account,
    rule: entry.rule,
    origin: `${path}:${entry.line}`,
  }));
  const peersOf = (accountLabel: string) => {
    const seen = new Set<string>();
    const wanted: WantedPeer[] = [];
    for (const entry of compact) {
      if (entry.account !== ALL_ACCOUNTS && entry.account !== accountLabel) continue;
      if (seen.has(entry.normalizedInput)) continue;
      seen.add(entry.normalizedInput);
      wanted.push({ input: entry.input, normalizedInput: entry.normalizedInput });
    }
    return wanted;
  };
  const rulesOf = (accountLabel: string): ConfiguredRule[] => {
    const seen = new Set<string>();
    return rules.filter((entry) => {
      if (entry.account !== ALL_ACCOUNTS && entry.account !== accountLabel) return false;
      if (seen.has(entry.rule.text)) return false;
      seen.add(entry.rule.text);
      return true;
    });
  };
  return { peersOf, rulesOf };
}

/** Each account's part of the peers file: its explicit peers and its rules ("*" entries included). */
export interface LoadedPeersFile {
  peersOf(accountLabel: string): WantedPeer[];
  rulesOf(accountLabel: string): ConfiguredRule[];
}

/** `file:line: reason; the line is skipped` */
export function problemLine(problem: PeersFileProblem): string {
  return `${problem.file}:${problem.line}: ${problem.reason}; the line is skipped`;
}

/** Reports the first MAX_REPORTED_PROBLEMS problems one by one, then the number left unreported. */
export function reportProblems(
  problems: readonly PeersFileProblem[],
  report: (problem: PeersFileProblem) => void,
  reportRest: (count: number) => void,
): void {
  for (const problem of problems.slice(0, MAX_REPORTED_PROBLEMS)) report(problem);
  if (problems.length > MAX_REPORTED_PROBLEMS) reportRest(problems.length - MAX_REPORTED_PROBLEMS);
}
