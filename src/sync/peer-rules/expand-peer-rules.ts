import type { ConfiguredRule, DialogKind, DialogSelection, PeerRule } from '../../peers/peer-rule.ts';
import { idSpec, markedId } from '../../peers/peer-spec.ts';
import type { PeerKey } from '../../model/rows.ts';
import type { FolderDefinition } from '../../telegram/mapping/map-dialog-filters.ts';

/** One dialog of the account's own list, as rules see it. */
export interface ListedDialog {
  readonly peer: PeerKey;
  readonly kind: DialogKind;
  readonly archived: boolean;
  readonly muted: boolean;
  /** A user saved in the account's contacts. */
  readonly contact: boolean;
  /** Active usernames, lower case. */
  readonly usernames: readonly string[];
}

/** Peers the explicit list already names: a rule never brings them in again (explicit entries win). */
export interface ExplicitPeers {
  readonly keys: ReadonlySet<string>;
  readonly usernames: ReadonlySet<string>;
}

/** A peer a rule brings in, ready to be configured: resolved already (the dialog list carried it). */
export interface RulePeer {
  readonly input: string;
  readonly normalizedInput: string;
  readonly peer: PeerKey;
  /** The first rule (in file order) that selects it. */
  readonly addedByRule: string;
}

export type Expansion =
  { readonly ok: true; readonly peers: RulePeer[] } | { readonly ok: false; readonly problem: string };

export const keyOf = (peer: PeerKey): string => `${peer.peerType}:${peer.peerId}`;

/**
 * The peers the rules select from the account's dialog list, in list order: every dialog an include
 * rule selects, minus those an exclusion selects and those the explicit list names. `folders` is
 * null when no rule names a folder (they were not asked for). A folder that does not exist is a
 * problem for the whole expansion: its peers would otherwise all be disabled by a renamed folder.
 */
export function expandPeerRules(input: {
  readonly rules: readonly ConfiguredRule[];
  readonly dialogs: readonly ListedDialog[];
  readonly folders: readonly FolderDefinition[] | null;
  readonly explicit: ExplicitPeers;
  readonly accountLabel: string;
}): Expansion {
  const folderOf = new Map<ConfiguredRule, FolderDefinition | null>();
  for (const configured of input.rules) {
    const name = configured.rule.target.type === 'dialogs' ? configured.rule.target.folder : null;
    if (name === null) {
      folderOf.set(configured, null);
      continue;
    }
    const found = findFolder(input.folders ?? [], name);
    if (typeof found === 'string')
      return {
        ok: false,
        problem: `${configured.origin}: "${configured.rule.text}": ${found.replace('%account%', input.accountLabel)}`,
      };
    folderOf.set(configured, found);
  }
  const includes = input.rules.filter((configured) => !configured.rule.exclude);
  const excludes = input.rules.filter((configured) => configured.rule.exclude);
  const peers: RulePeer[] = [];
  for (const dialog of input.dialogs) {
    if (
      input.explicit.keys.has(keyOf(dialog.peer)) ||
      dialog.usernames.some((name) => input.explicit.usernames.has(name))
    )
      continue;
    const including = includes.find((configured) => selects(configured.rule, folderOf.get(configured) ?? null, dialog));
    if (including === undefined) continue;
    if (excludes.some((configured) => selects(configured.rule, folderOf.get(configured) ?? null, dialog))) continue;
    peers.push({
      input: markedId(dialog.peer.peerType, dialog.peer.peerId).toString(),
      normalizedInput: idSpec(dialog.peer.peerType, dialog.peer.peerId).normalized,
      peer: dialog.peer,
      addedByRule: including.rule.text,
    });
  }
  return { ok: true, peers };
}

function selects(rule: PeerRule, folder: FolderDefinition | null, dialog: ListedDialog): boolean {
  const target = rule.target;
  if (target.type === 'peer') {
    const spec = target.spec;
    return spec.kind === 'username'
      ? dialog.usernames.includes(spec.username)
      : spec.peerType === dialog.peer.peerType && spec.peerId === dialog.peer.peerId;
  }
  return ofKinds(target, dialog) && (folder === null || inFolder(folder, dialog));
}

function ofKinds(selection: DialogSelection, dialog: ListedDialog): boolean {
  return selection.kinds === null || selection.kinds.includes(dialog.kind);
}

/** Telegram's folder rule: included chats always; else a flagged category, not excluded, not muted or archived when the folder hides those. */
export function inFolder(folder: FolderDefinition, dialog: ListedDialog): boolean {
  const key = keyOf(dialog.peer);
  if (folder.include.some((peer) => keyOf(peer) === key)) return true;
  if (folder.chatlist || folder.exclude.some((peer) => keyOf(peer) === key)) return false;
  const category =
    dialog.kind === 'bots'
      ? folder.bots
      : dialog.kind === 'users'
        ? dialog.contact
          ? folder.contacts
          : folder.nonContacts
        : dialog.kind === 'groups'
          ? folder.groups
          : folder.broadcasts;
  if (!category) return false;
  if (folder.excludeArchived && dialog.archived) return false;
  if (folder.excludeMuted && dialog.muted) return false;
  return true;
}

/** The folder a rule names: its exact title, else the one title that matches ignoring case. */
function findFolder(folders: readonly FolderDefinition[], name: string): FolderDefinition | string {
  const exact = folders.filter((folder) => folder.title === name);
  if (exact.length === 1) return exact[0]!;
  const loose =
    exact.length > 1 ? exact : folders.filter((folder) => folder.title.toLowerCase() === name.toLowerCase());
  if (loose.length === 1) return loose[0]!;
  if (loose.length > 1)
    return `the account "%account%" has ${loose.length} folders called "${name}"; rename one in Telegram so the rule names one folder`;
  const known =
    folders.length === 0
      ? 'it has no folders'
      : `its folders: ${folders.map((folder) => JSON.stringify(folder.title)).join(', ')}`;
  return `the account "%account%" has no folder "${name}" (${known}); write the folder's name as Telegram shows it, or remove the rule. Nothing was changed`;
}
