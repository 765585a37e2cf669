import { readFile } from 'node:fs/promises';
import { ALL_ACCOUNTS, parsePeersFile } from '../peers/peers-file.ts';
import type { WantedPeer } from '../store/peers/reconcile-configured-peers.ts';

export interface PeersFileProblemLogger {
  warn(object: object, message: string): void;
}

/**
 * The peers file as each account's wanted list (entries for "*" go to every account). Problems are
 * logged with file, line and reason; the rest still load. Returns null when no file is configured,
 * in which case the configured_peers table is the list.
 */
export async function loadPeersFile(path: string | undefined, logger: PeersFileProblemLogger): Promise<((accountLabel: string) => WantedPeer[]) | null> {
  if (path === undefined) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`SYNC_PEERS_FILE ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); fix the path or unset SYNC_PEERS_FILE`);
  }
  const file = parsePeersFile(path, text);
  for (const problem of file.problems) {
    logger.warn({ file: problem.file, line: problem.line, input: problem.input }, `${problem.file}:${problem.line}: ${problem.reason}; the line is skipped`);
  }
  return (accountLabel) => {
    const seen = new Set<string>();
    const wanted: WantedPeer[] = [];
    for (const entry of file.entries) {
      if (entry.account !== ALL_ACCOUNTS && entry.account !== accountLabel) continue;
      if (seen.has(entry.spec.normalized)) continue;
      seen.add(entry.spec.normalized);
      wanted.push({ input: entry.input, normalizedInput: entry.spec.normalized });
    }
    return wanted;
  };
}
