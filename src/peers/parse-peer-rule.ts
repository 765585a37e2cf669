import { parsePeerSpec } from './parse-peer-spec.ts';
import {
  DIALOG_KINDS,
  selectionText,
  type DialogKind,
  type DialogSelection,
  type PeerRuleParse,
  type PeerSelection,
} from './peer-rule.ts';
import { markedId } from './peer-spec.ts';
import { printableText } from './printable-text.ts';

/**
 * Whether a configured line is meant as a rule rather than a peer. Peers are never written with
 * white space, and "all" is too short to be a username, so neither can be taken for the other.
 */
export function looksLikeRule(rawInput: string): boolean {
  const input = rawInput.trim();
  return /\s/.test(input) || /^(all|not|folder)$/i.test(input);
}

/**
 * Parses a rule (see peer-rule.ts):
 *   rule      = ["not"] (selection | peer)            -- a peer only after "not"
 *   selection = "all" [kinds] ["in" folder] | kinds "in" folder | folder
 *   kinds     = kind {("," | "and") kind}             -- users, bots, groups, channels (singular too)
 *   folder    = "folder" name                         -- name in double quotes, or the rest of the line
 * Keywords are case-insensitive; the folder name is kept as written.
 */
export function parsePeerRule(rawInput: string): PeerRuleParse {
  const input = rawInput.trim();
  const negated = /^not(\s+|$)/i.exec(input);
  if (negated === null) {
    const selection = parseSelection(input);
    return selection.ok
      ? { ok: true, rule: { exclude: false, target: selection.value, text: selectionText(selection.value) } }
      : selection;
  }
  const rest = input.slice(negated[0].length).trim();
  if (rest === '')
    return failure(`"not" needs what to exclude after it, e.g. "not @name", "not -1001234567890" or "not all bots"`);
  if (/^not(\s|$)/i.test(rest)) return failure('"not not …" is not a rule: write the exclusion once');
  if (!looksLikeRule(rest)) {
    const peer = parsePeerSpec(rest);
    if (!peer.ok) return failure(`what follows "not" is not a peer: ${peer.reason}`);
    if (peer.spec.kind === 'invite')
      return failure(
        'an invite link cannot be excluded (its chat is not known without asking Telegram): exclude the chat by its @username or numeric id',
      );
    return {
      ok: true,
      rule: { exclude: true, target: { type: 'peer', spec: peer.spec }, text: `not ${peerText(peer.spec)}` },
    };
  }
  const selection = parseSelection(rest);
  return selection.ok
    ? { ok: true, rule: { exclude: true, target: selection.value, text: `not ${selectionText(selection.value)}` } }
    : selection;
}

type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

function parseSelection(input: string): Parsed<DialogSelection> {
  let rest = input;
  let explicitAll = false;
  const all = /^all(\s+|$)/i.exec(rest);
  if (all !== null) {
    explicitAll = true;
    rest = rest.slice(all[0].length);
  }
  // Everything before "in folder"/"folder" is the list of kinds.
  const folderAt = /(^|\s)(in\s+)?folder(\s+|$)/i.exec(rest);
  const kindsText = (folderAt === null ? rest : rest.slice(0, folderAt.index)).trim();
  let folder: string | null = null;
  if (folderAt !== null) {
    if (folderAt[2] === undefined && kindsText !== '')
      return failure(`write "in folder" between the kinds and the folder, e.g. "all ${kindsText} in folder "News""`);
    const name = parseFolderName(rest.slice(folderAt.index + folderAt[0].length));
    if (!name.ok) return name;
    folder = name.value;
  } else if (/(^|\s)in(\s|$)/i.test(rest)) {
    return failure(`"in" must be followed by folder and the folder's name, e.g. "all channels in folder "News""`);
  }
  if (!explicitAll && folder === null) {
    return failure(
      'it is neither a peer (written without spaces) nor a rule such as "all", "all channels", "folder "News"" or "not @name"',
    );
  }
  if (!explicitAll && kindsText === '' && folderAt !== null && folderAt[2] !== undefined) {
    return failure(`write "all in folder …" or just "folder …", e.g. "folder "News""`);
  }
  const kinds = kindsText === '' ? null : parseKinds(kindsText);
  if (kinds !== null && !kinds.ok) return kinds;
  return { ok: true, value: { type: 'dialogs', kinds: kinds === null ? null : kinds.value, folder } };
}

const KIND_WORDS: Readonly<Record<string, DialogKind>> = {
  users: 'users',
  user: 'users',
  people: 'users',
  bots: 'bots',
  bot: 'bots',
  groups: 'groups',
  group: 'groups',
  supergroups: 'groups',
  supergroup: 'groups',
  channels: 'channels',
  channel: 'channels',
};

function parseKinds(text: string): Parsed<DialogKind[]> {
  const words = text.split(/\s*,\s*|\s+and\s+|\s+/i).filter((word) => word !== '');
  const kinds = new Set<DialogKind>();
  for (const word of words) {
    const kind = KIND_WORDS[word.toLowerCase()];
    if (kind === undefined)
      return failure(
        `"${printableText(word, 40)}" is not a kind of dialog: write users, bots, groups or channels (e.g. "all channels, groups")`,
      );
    kinds.add(kind);
  }
  return { ok: true, value: DIALOG_KINDS.filter((kind) => kinds.has(kind)) };
}

function parseFolderName(text: string): Parsed<string> {
  const trimmed = text.trim();
  if (trimmed === '')
    return failure(`the folder rule needs the folder's name as Telegram shows it, e.g. folder "News"`);
  if (trimmed.startsWith('"')) {
    const end = trimmed.indexOf('"', 1);
    if (end === -1) return failure(`the folder name has no closing double quote, e.g. folder "News"`);
    const name = trimmed.slice(1, end);
    if (name.trim() === '') return failure(`the folder name is empty, e.g. folder "News"`);
    if (trimmed.slice(end + 1).trim() !== '')
      return failure(
        `nothing may follow the folder's name ("${printableText(trimmed.slice(end + 1).trim(), 40)}"); write the kinds before it, e.g. "all channels in folder "News""`,
      );
    return { ok: true, value: name };
  }
  return { ok: true, value: trimmed };
}

function peerText(spec: PeerSelection['spec']): string {
  return spec.kind === 'username' ? `@${spec.username}` : markedId(spec.peerType, spec.peerId).toString();
}

function failure(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
