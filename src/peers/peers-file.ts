import { extname } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { looksLikeRule, parsePeerRule } from './parse-peer-rule.ts';
import { parsePeerSpec } from './parse-peer-spec.ts';
import type { PeerRule } from './peer-rule.ts';
import type { PeerSpec } from './peer-spec.ts';
import { PeersFileError } from './peers-file-error.ts';
import { decodePeersFileText } from './peers-file-text.ts';
import { printableText } from './printable-text.ts';

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

/** A rule line ("all channels", "not @name"…), expanded at each run from the account's dialog list. */
export interface PeersFileRule {
  /** The rule as written. */
  readonly input: string;
  readonly rule: PeerRule;
  /** An account label, or ALL_ACCOUNTS. */
  readonly account: string;
  readonly line: number;
}

/** A line that could not be used, with enough context to fix it. */
export interface PeersFileProblem {
  readonly file: string;
  readonly line: number;
  /** The line as written, made printable and cut (it may come from a damaged file). */
  readonly input: string;
  readonly reason: string;
}

export interface PeersFile {
  readonly entries: readonly PeersFileEntry[];
  readonly rules: readonly PeersFileRule[];
  readonly problems: readonly PeersFileProblem[];
}

/**
 * A peers file from its bytes: refused whole (PeersFileError) when it is empty or not text, else
 * parsed by parsePeersFile. `fixHint` ends the error ("fix the file or unset SYNC_PEERS_FILE").
 */
export function readPeersFileBytes(file: string, bytes: Uint8Array, fixHint: string): PeersFile {
  return parsePeersFile(file, decodePeersFileText(file, bytes, fixHint), fixHint);
}

/**
 * Reads a peers file. Three shapes are accepted:
 *  - plain text: one peer per line, `#` starts a comment (for every account);
 *  - a YAML or JSON list of peers (for every account);
 *  - a YAML or JSON map from account label to a list of peers ("*" for every account).
 * A malformed entry becomes a problem with its line number; the rest still load. A file that is not
 * valid YAML/JSON, or not shaped as one of the above, is refused whole (PeersFileError): reading
 * "no peers" from it would disable every configured peer. The same peer written twice for the same
 * account is kept once (the first spelling wins). Lines with white space, and "all", are rules
 * (parse-peer-rule.ts); a rule written twice for the same account is kept once.
 */
export function parsePeersFile(file: string, text: string, fixHint = 'fix the file'): PeersFile {
  const structured = ['.yaml', '.yml', '.json'].includes(extname(file).toLowerCase());
  const candidates = structured
    ? structuredCandidates(file, text, `${fixHint}; nothing was changed`)
    : lineCandidates(text);
  const entries: PeersFileEntry[] = [];
  const rules: PeersFileRule[] = [];
  const problems: PeersFileProblem[] = [...candidates.problems.map((problem) => ({ file, ...problem }))];
  const seen = new Set<string>();
  for (const candidate of candidates.items) {
    if (looksLikeRule(candidate.input)) {
      const parsed = parsePeerRule(candidate.input);
      if (!parsed.ok) {
        problems.push({ file, line: candidate.line, input: printableText(candidate.input), reason: parsed.reason });
        continue;
      }
      const key = `${candidate.account}\u0000rule:${parsed.rule.text}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rules.push({ input: candidate.input, rule: parsed.rule, account: candidate.account, line: candidate.line });
      continue;
    }
    const parsed = parsePeerSpec(candidate.input);
    if (!parsed.ok) {
      problems.push({ file, line: candidate.line, input: printableText(candidate.input), reason: parsed.reason });
      continue;
    }
    const key = `${candidate.account}\u0000${parsed.spec.normalized}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push({ input: candidate.input, spec: parsed.spec, account: candidate.account, line: candidate.line });
  }
  return { entries, rules, problems };
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

function structuredCandidates(file: string, text: string, hint: string): Candidates {
  const lineCounter = new LineCounter();
  // Large marked ids (-100…) exceed 2^53: read integers as bigint so no digit is lost.
  const document = parseDocument(text, { lineCounter, intAsBigInt: true, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const [syntaxError] = document.errors;
  if (syntaxError !== undefined) {
    const format = extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML';
    const where = syntaxError.linePos?.[0].line ?? 1;
    const more =
      document.errors.length > 1
        ? ` (and ${document.errors.length - 1} more error${document.errors.length > 2 ? 's' : ''})`
        : '';
    throw new PeersFileError(
      file,
      `is not valid ${format}: line ${where}: ${printableText(syntaxError.message.split('\n')[0] ?? '', 120)}${more}`,
      hint,
    );
  }
  const wrongShape = (node: unknown, what: string) =>
    new PeersFileError(file, `is not a peers file: line ${lineOf(node as YamlNode)}: ${what}`, hint);

  const items: Candidate[] = [];
  const problems: Omit<PeersFileProblem, 'file'>[] = [];
  const collectList = (node: unknown, account: string) => {
    if (!isSeq(node)) throw wrongShape(node, `the peers for "${printableText(account, 40)}" must be a list`);
    for (const item of node.items) {
      if (
        isScalar(item) &&
        (typeof item.value === 'string' || typeof item.value === 'bigint' || typeof item.value === 'number')
      ) {
        items.push({ input: String(item.value), account, line: lineOf(item) });
      } else {
        problems.push({
          line: lineOf(item as YamlNode),
          input: '',
          reason:
            'each peer or rule must be a single value such as "@name", -1001234567890 or "all channels in folder News" (no "key: value")',
        });
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
      if (label === '') throw wrongShape(pair.key, 'account labels must be plain names');
      collectList(pair.value, label);
    }
  } else {
    throw wrongShape(root, 'the file must be a list of peers or a map from account label to a list of peers');
  }
  return { items, problems };
}
