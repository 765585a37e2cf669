import { extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { parsePeerSpec } from './parse-peer-spec.ts';
import type { PeerSpec } from './peer-spec.ts';

/** Every account (a plain list, or the "*" key of a per-account map). */
export const ALL_ACCOUNTS = '*';

export interface PeersFileEntry {
  /** The peer as written. */
  readonly input: string;
  readonly spec: PeerSpec;
  /** An account label, or ALL_ACCOUNTS. */
  readonly account: string;
  readonly line: number;
}

/** A line that could not be used, with enough context to fix it. */
export interface PeersFileProblem {
  readonly file: string;
  readonly line: number;
  readonly input: string;
  readonly reason: string;
}

export interface PeersFile {
  readonly entries: readonly PeersFileEntry[];
  readonly problems: readonly PeersFileProblem[];
}

/**
 * Reads a peers file. Three shapes are accepted:
 *  - plain text: one peer per line, `#` starts a comment (for every account);
 *  - a YAML or JSON list of peers (for every account);
 *  - a YAML or JSON map from account label to a list of peers ("*" for every account).
 * A malformed entry becomes a problem with its line number; the rest still load. The same peer
 * written twice for the same account is kept once (the first spelling wins).
 */
export function parsePeersFile(file: string, text: string): PeersFile {
  const structured = ['.yaml', '.yml', '.json'].includes(extname(file).toLowerCase());
  const candidates = structured ? structuredCandidates(file, text) : lineCandidates(text);
  const entries: PeersFileEntry[] = [];
  const problems: PeersFileProblem[] = [...candidates.problems.map((problem) => ({ file, ...problem }))];
  const seen = new Set<string>();
  for (const candidate of candidates.items) {
    const parsed = parsePeerSpec(candidate.input);
    if (!parsed.ok) {
      problems.push({ file, line: candidate.line, input: candidate.input, reason: parsed.reason });
      continue;
    }
    const key = `${candidate.account}\u0000${parsed.spec.normalized}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ input: candidate.input, spec: parsed.spec, account: candidate.account, line: candidate.line });
  }
  return { entries, problems };
}

interface Candidate {
  readonly input: string;
  readonly account: string;
  readonly line: number;
}

interface Candidates {
  readonly items: readonly Candidate[];
  readonly problems: readonly Omit<PeersFileProblem, 'file'>[];
}

function lineCandidates(text: string): Candidates {
  const items: Candidate[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const withoutComment = rawLine.replace(/(^|\s)#.*$/, '').trim();
    if (withoutComment !== '') items.push({ input: withoutComment, account: ALL_ACCOUNTS, line: index + 1 });
  });
  return { items, problems: [] };
}

function structuredCandidates(file: string, text: string): Candidates {
  const lineCounter = new LineCounter();
  // Large marked ids (-100…) exceed 2^53: read integers as bigint so no digit is lost.
  const document = parseDocument(text, { lineCounter, intAsBigInt: true, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const problems: Omit<PeersFileProblem, 'file'>[] = document.errors.map((error) => ({
    line: error.linePos?.[0].line ?? 1,
    input: '',
    reason: `the file is not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${error.message.split('\n')[0]}`,
  }));
  if (problems.length > 0) return { items: [], problems };

  const items: Candidate[] = [];
  const collectList = (node: unknown, account: string) => {
    if (!isSeq(node)) {
      problems.push({ line: lineOf(node as YamlNode), input: '', reason: `the peers for "${account}" must be a list` });
      return;
    }
    for (const item of node.items) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'bigint' || typeof item.value === 'number')) {
        items.push({ input: String(item.value), account, line: lineOf(item) });
      } else {
        problems.push({ line: lineOf(item as YamlNode), input: '', reason: 'each peer must be a single value such as "@name" or -1001234567890' });
      }
    }
  };

  const root = document.contents;
  if (root === null) return { items, problems };
  if (isSeq(root)) {
    collectList(root, ALL_ACCOUNTS);
  } else if (isMap(root)) {
    for (const pair of root.items) {
      const label = isScalar(pair.key) ? String(pair.key.value) : '';
      if (label === '') {
        problems.push({ line: lineOf(pair.key as YamlNode), input: '', reason: 'account labels must be plain names' });
        continue;
      }
      collectList(pair.value, label);
    }
  } else {
    problems.push({ line: lineOf(root), input: '', reason: 'the file must be a list of peers or a map from account label to a list of peers' });
  }
  return { items, problems };
}
