import type { PeerSpec } from './peer-spec.ts';

/**
 * Rules choose peers from the account's own dialog list instead of naming them, and are expanded at
 * every run: "all", "all channels", "all users, bots", "folder "News"", "all channels in folder "News"",
 * and exclusions ("not @name", "not -100…", "not all bots", "not folder "Muted""). Exclusions apply to
 * the peers rules bring in, never to peers listed explicitly (those always win).
 */

/** users: people (not bots); groups: basic groups and supergroups; channels: broadcast channels (Telegram's own folder categories). */
export const DIALOG_KINDS = ['users', 'bots', 'groups', 'channels'] as const;
export type DialogKind = (typeof DIALOG_KINDS)[number];

/** Dialogs of the account: of these kinds (all kinds when null), in this folder (the whole list when null). */
export interface DialogSelection {
  readonly type: 'dialogs';
  /** In DIALOG_KINDS order, without repeats; null = every kind. */
  readonly kinds: readonly DialogKind[] | null;
  /** The folder's title as written (a Telegram dialog filter), or null for every dialog. */
  readonly folder: string | null;
}

/** One peer, for exclusions: by username or numeric id (an invite cannot be matched without a call). */
export interface PeerSelection {
  readonly type: 'peer';
  readonly spec: Extract<PeerSpec, { kind: 'username' | 'id' }>;
}

export interface PeerRule {
  /** An exclusion ("not …"): removes matching peers from what the other rules bring in. */
  readonly exclude: boolean;
  readonly target: DialogSelection | PeerSelection;
  /** The rule in its canonical spelling: what `peers list` shows and configured_peers.added_by_rule holds. */
  readonly text: string;
}

export type PeerRuleParse =
  { readonly ok: true; readonly rule: PeerRule } | { readonly ok: false; readonly reason: string };

/** The canonical text of a dialog selection: `all`, `all channels, groups`, `all in folder "News"`. */
export function selectionText(selection: DialogSelection): string {
  const kinds = selection.kinds === null ? '' : ` ${selection.kinds.join(', ')}`;
  const folder = selection.folder === null ? '' : ` in folder ${JSON.stringify(selection.folder)}`;
  return `all${kinds}${folder}`;
}

/** A rule and where it was written ("config/peers.txt:3", "peers add"), for messages about it. */
export interface ConfiguredRule {
  readonly rule: PeerRule;
  readonly origin: string;
}
