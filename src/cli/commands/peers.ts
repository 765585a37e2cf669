import { AppError } from '../../errors/app-error.ts';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { countUnresolvedPeers, describeUnresolvedCounts } from '../../store/peers/count-unresolved-peers.ts';
import type { Runtime } from '../../app/runtime.ts';
import { UnknownAccountError } from '../../app/sync-now.ts';
import { parsePeerSpec } from '../../peers/parse-peer-spec.ts';
import { looksLikeRule, parsePeerRule } from '../../peers/parse-peer-rule.ts';
import { addCliPeerRules, listCliPeerRules, removeCliPeerRules } from '../../store/peers/cli-peer-rules.ts';
import { problemLine, reportProblems } from '../../app/configured-peers.ts';
import { printableText } from '../../peers/printable-text.ts';
import { ALL_ACCOUNTS, readPeersFileBytes } from '../../peers/peers-file.ts';
import { findAccountByLabel, listAccounts, type AccountRecord } from '../../store/accounts/accounts.ts';
import { addCliPeers, type AddPeersResult } from '../../store/peers/add-cli-peers.ts';
import { configuredPeerPages, type ConfiguredPeerListing } from '../../store/peers/list-configured-peers.ts';
import type { WantedPeer } from '../../store/peers/reconcile-configured-peers.ts';
import { removeCliPeers } from '../../store/peers/remove-cli-peers.ts';
import type { CliContext } from '../cli-context.ts';
import {
  columnWidths,
  formatTableRow,
  formatTime,
  printLine,
  printLines,
  printProblem,
  shorten,
  withCliRuntime,
} from './cli-runtime.ts';

/** A request the peers file forbids, or input that is not a peer: exit 1 with this message. */
export class PeersCommandError extends AppError<'peers'> {
  constructor(message: string) {
    super(message, { kind: 'peers', userMistake: true });
  }
}

/**
 * `peers add|remove|list|import`: the configured_peers of an account when no peers file is
 * configured (with SYNC_PEERS_FILE set, that file is the source of truth and only `list` works).
 */
export function registerPeersCommands(program: Command, context: CliContext): void {
  const peers = program
    .command('peers')
    .description('manage the peers an account syncs (only when SYNC_PEERS_FILE is not set; `list` always works)');

  peers
    .command('add')
    .description(
      'add peers (@name, name, t.me links, invite links, tg:// links, t.me/c/<id>, marked ids -100…) or rules ("all", "all channels", "folder News", "not @name")',
    )
    .argument('<peers...>', 'the peers to add')
    .requiredOption('-a, --account <label>', 'the account that syncs them')
    .action(async (inputs: string[], options: { account: string }) => {
      await withCliRuntime(context, async (runtime) => {
        refuseWithPeersFile(runtime, 'add');
        const account = await requireAccount(runtime, options.account);
        const wanted: WantedPeer[] = [];
        const rules: string[] = [];
        const problems: string[] = [];
        inputs.forEach((input, index) => {
          if (looksLikeRule(input)) {
            const rule = parsePeerRule(input);
            if (rule.ok) rules.push(rule.rule.text);
            else problems.push(`argument ${index + 1} ("${printableText(input)}"): ${rule.reason}`);
            return;
          }
          const parsed = parsePeerSpec(input);
          if (parsed.ok) wanted.push({ input: input.trim(), normalizedInput: parsed.spec.normalized });
          else problems.push(`argument ${index + 1} ("${printableText(input)}"): ${parsed.reason}`);
        });
        for (const problem of problems) printProblem(context, `${problem}; not added`);
        reportAdded(context, account, await addCliPeers(runtime.db, account.id, wanted));
        if (rules.length > 0) reportRulesAdded(context, account, await addCliPeerRules(runtime.db, account.id, rules));
        if (problems.length > 0)
          throw new PeersCommandError(`${problems.length} of ${inputs.length} peer(s) could not be read (see above)`);
      });
    });

  peers
    .command('remove')
    .description('stop syncing peers, or remove rules (their synced data is kept; `peers add` enables them again)')
    .argument('<peers...>', 'the peers to remove, written in any accepted form')
    .requiredOption('-a, --account <label>', 'the account')
    .action(async (inputs: string[], options: { account: string }) => {
      await withCliRuntime(context, async (runtime) => {
        refuseWithPeersFile(runtime, 'remove');
        const account = await requireAccount(runtime, options.account);
        const byNormalized = new Map<string, string>();
        const rules = new Map<string, string>();
        const problems: string[] = [];
        inputs.forEach((input, index) => {
          if (looksLikeRule(input)) {
            const rule = parsePeerRule(input);
            if (rule.ok) rules.set(rule.rule.text, input);
            else problems.push(`argument ${index + 1} ("${printableText(input)}"): ${rule.reason}`);
            return;
          }
          const parsed = parsePeerSpec(input);
          if (parsed.ok) byNormalized.set(parsed.spec.normalized, input);
          else problems.push(`argument ${index + 1} ("${printableText(input)}"): ${parsed.reason}`);
        });
        const removedPeers = await removeCliPeers(runtime.db, account.id, [...byNormalized.keys()]);
        const removed = new Set(removedPeers.map((peer) => peer.normalizedInput));
        for (const peer of removedPeers) {
          if (peer.addedByRule === null) continue;
          const input = printableText(byNormalized.get(peer.normalizedInput) ?? peer.normalizedInput);
          printProblem(
            context,
            `"${input}" came from the rule "${printableText(peer.addedByRule)}", which adds it again at the next run; to keep it out: tg-dialog-sync peers add "not ${input}" --account ${account.label}`,
          );
        }
        for (const [normalized, input] of byNormalized) {
          if (!removed.has(normalized))
            problems.push(`"${printableText(input)}" is not configured for account "${account.label}"`);
        }
        const removedRules = new Set(await removeCliPeerRules(runtime.db, account.id, [...rules.keys()]));
        for (const [text, input] of rules) {
          if (!removedRules.has(text))
            problems.push(`"${printableText(input)}" is not a rule of account "${account.label}"`);
        }
        for (const problem of problems) printProblem(context, problem);
        printLine(context, `account "${account.label}": ${removed.size} peer(s) removed`);
        if (rules.size > 0)
          printLine(
            context,
            `account "${account.label}": ${removedRules.size} rule(s) removed (the peers they brought in are disabled at the next run)`,
          );
        if (problems.length > 0)
          throw new PeersCommandError(
            `${problems.length} of ${inputs.length} peer(s) or rule(s) were not removed (see above)`,
          );
      });
    });

  peers
    .command('list')
    .description("list an account's configured peers: input, status, last sync, last error, next attempt")
    .requiredOption('-a, --account <label>', 'the account')
    .option('--all', 'include removed peers')
    .option('--json', 'one JSON object per peer instead of a table')
    .action(async (options: { account: string; all?: boolean; json?: boolean }) => {
      await withCliRuntime(context, async (runtime) => {
        const account = await requireAccount(runtime, options.account);
        // Paged, never all at once: an account may have hundreds of thousands of peers.
        const pages = () =>
          configuredPeerPages(runtime.db, {
            accountId: account.id,
            includeDisabled: options.all === true,
            pageSize: LIST_PAGE_SIZE,
          });
        if (options.json === true) {
          for await (const page of pages())
            printLines(
              context,
              page.map((row) => JSON.stringify(peerJson(row))),
            );
          return;
        }
        // Two passes over the pages: the column widths first, then the lines.
        const now = Date.now();
        const widths = columnWidths([PEER_LIST_HEADERS]);
        let count = 0;
        for await (const page of pages()) {
          columnWidths(
            page.map((row) => peerCells(row, now)),
            widths,
          );
          count += page.length;
        }
        const rules = runtime.config.sync.peersFile === undefined ? await listCliPeerRules(runtime.db, account.id) : [];
        if (count === 0) {
          const why =
            rules.length > 0
              ? ' yet (its rules are expanded at the next run)'
              : runtime.config.sync.peersFile === undefined
                ? ': add some with `tg-dialog-sync peers add`'
                : ' yet (they come from SYNC_PEERS_FILE at the next run)';
          printProblem(context, `account "${account.label}" has no configured peers${why}`);
          return;
        }
        if (rules.length > 0) printLine(context, `rules: ${rules.map((rule) => printableText(rule, 60)).join('; ')}`);
        printLine(context, formatTableRow(PEER_LIST_HEADERS, widths));
        for await (const page of pages())
          printLines(
            context,
            page.map((row) => formatTableRow(peerCells(row, now), widths)),
          );
        const unresolved = await countUnresolvedPeers(runtime.db, account.id);
        // On stderr: stdout stays one table (scripts count and cut its lines).
        if (unresolved.length > 0)
          printProblem(
            context,
            `Waiting to be resolved: ${describeUnresolvedCounts(unresolved)}; the next runs resolve them.`,
          );
      });
    });

  peers
    .command('import')
    .description(
      'add every peer of a file: plain text (one per line, # comments), or a YAML/JSON list or map from account label to list ("*" = every account)',
    )
    .argument('<file>', 'the file to read')
    .requiredOption('-a, --account <label>', 'the account (from a map, its own list and the "*" list are imported)')
    .action(async (file: string, options: { account: string }) => {
      await withCliRuntime(context, async (runtime) => {
        refuseWithPeersFile(runtime, 'import');
        const account = await requireAccount(runtime, options.account);
        // The name is echoed in errors: cut and printable, like the file's lines.
        const shownFile = printableText(file, 120);
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (error) {
          throw new PeersCommandError(`cannot read ${shownFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
        }
        // An empty, binary or unparseable file is refused whole (PeersFileError), before anything is added.
        const parsed = readPeersFileBytes(file, bytes, 'fix the file and import it again');
        reportProblems(
          parsed.problems,
          (problem) => printProblem(context, problemLine(problem)),
          (more) => printProblem(context, `${shownFile}: ${more} more line(s) could not be read and are skipped`),
        );
        const entries = parsed.entries.filter(
          (entry) => entry.account === ALL_ACCOUNTS || entry.account === account.label,
        );
        const skipped = parsed.entries.length - entries.length;
        if (skipped > 0)
          printProblem(
            context,
            `${skipped} entr${skipped === 1 ? 'y is' : 'ies are'} for other accounts and not imported`,
          );
        // The account's own list and the "*" list may name the same peer: once is enough (first spelling).
        const unique = new Map<string, WantedPeer>();
        for (const entry of entries)
          if (!unique.has(entry.spec.normalized))
            unique.set(entry.spec.normalized, { input: entry.input, normalizedInput: entry.spec.normalized });
        reportAdded(context, account, await addCliPeers(runtime.db, account.id, [...unique.values()]));
        const rules = parsed.rules
          .filter((entry) => entry.account === ALL_ACCOUNTS || entry.account === account.label)
          .map((entry) => entry.rule.text);
        if (rules.length > 0) reportRulesAdded(context, account, await addCliPeerRules(runtime.db, account.id, rules));
        if (parsed.problems.length > 0) {
          const rest =
            entries.length === 0 ? 'no peer was imported' : `the other ${entries.length} peer(s) were imported`;
          throw new PeersCommandError(
            `${parsed.problems.length} line(s) of ${shownFile} could not be read (see above); ${rest}`,
          );
        }
      });
    });
}

function refuseWithPeersFile(runtime: Runtime, action: string): void {
  const file = runtime.config.sync.peersFile;
  if (file === undefined) return;
  throw new PeersCommandError(
    `SYNC_PEERS_FILE is set (${file}): that file is the source of truth for the peers, and each run disables peers not in it. ` +
      `Edit the file instead of \`peers ${action}\`, or unset SYNC_PEERS_FILE to manage peers from the command line.`,
  );
}

async function requireAccount(runtime: Runtime, label: string): Promise<AccountRecord> {
  const account = await findAccountByLabel(runtime.db, label);
  if (account === null)
    throw new UnknownAccountError(
      label,
      (await listAccounts(runtime.db)).map((known) => known.label),
    );
  return account;
}

function reportAdded(context: CliContext, account: AccountRecord, result: AddPeersResult): void {
  printLine(
    context,
    `account "${account.label}": ${result.added} peer(s) added, ${result.reenabled} re-enabled, ${result.unchanged} already configured`,
  );
}

function reportRulesAdded(
  context: CliContext,
  account: AccountRecord,
  result: { added: number; unchanged: number },
): void {
  printLine(
    context,
    `account "${account.label}": ${result.added} rule(s) added, ${result.unchanged} already configured (expanded from its dialog list at each run)`,
  );
}

/** Rows per database round trip of `peers list`. */
const LIST_PAGE_SIZE = 10_000;

const PEER_LIST_HEADERS = ['PEER', 'STATUS', 'SOURCE', 'RULE', 'LAST SYNC', 'ERROR', 'NEXT ATTEMPT'];

function peerCells(row: ConfiguredPeerListing, now: number): string[] {
  return [
    printableText(row.input, 200),
    row.enabled ? row.status : `removed (${row.status})`,
    row.source,
    row.addedByRule === null ? '—' : printableText(row.addedByRule, 60),
    formatTime(row.lastSyncedAt),
    row.lastErrorCode === null
      ? '—'
      : `${row.lastErrorCode}${row.consecutiveFailures > 1 ? ` ×${row.consecutiveFailures}` : ''}${row.lastErrorText && row.lastErrorText !== row.lastErrorCode ? `: ${shorten(row.lastErrorText, 50)}` : ''}`,
    row.nextAttemptAt !== null && new Date(row.nextAttemptAt).getTime() > now ? formatTime(row.nextAttemptAt) : '—',
  ];
}

function peerJson(row: ConfiguredPeerListing): Record<string, unknown> {
  return {
    input: row.input,
    source: row.source,
    addedByRule: row.addedByRule,
    enabled: row.enabled,
    status: row.status,
    peerType: row.peerType,
    peerId: row.peerId === null ? null : row.peerId.toString(),
    lastSyncedAt: row.lastSyncedAt === null ? null : new Date(row.lastSyncedAt).toISOString(),
    lastErrorCode: row.lastErrorCode,
    lastErrorText: row.lastErrorText,
    consecutiveFailures: row.consecutiveFailures,
    nextAttemptAt: row.nextAttemptAt === null ? null : new Date(row.nextAttemptAt).toISOString(),
  };
}
