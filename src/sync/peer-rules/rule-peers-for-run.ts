import { AppError } from '../../errors/app-error.ts';
import type { ConfiguredRule } from '../../peers/peer-rule.ts';
import { specFromNormalized } from '../../peers/peer-spec.ts';
import { findExplicitPeerKeys } from '../../store/peers/find-explicit-peer-keys.ts';
import type { RuleReconciliation, WantedPeer } from '../../store/peers/reconcile-configured-peers.ts';
import { METHODS } from '../../telegram/gateway.ts';
import type { RunContext } from '../run-context.ts';
import { readAccountDialogList } from './account-dialog-list.ts';
import { readAccountFolders } from './account-folders.ts';
import { expandPeerRules, keyOf } from './expand-peer-rules.ts';

/** A rule that cannot be applied for this account (a folder it names does not exist): the run fails, nothing changes. */
export class PeerRuleError extends AppError<'peers_rule'> {
  constructor(message: string) {
    super(message, { kind: 'peers_rule', userMistake: true });
  }
}

/**
 * This run's expansion of the account's rules, for the reconciliation: one scan of the dialog list
 * (shared with resolution), plus messages.getDialogFilters only when a rule names a folder. When the
 * list or the folders cannot be read in full, the rules' peers are kept as they are (new ones from a
 * partial list are still added): a rule never disables peers it merely could not see.
 */
export async function rulePeersForRun(
  context: RunContext,
  rules: readonly ConfiguredRule[],
  explicit: readonly WantedPeer[],
): Promise<RuleReconciliation> {
  const includeTexts = rules.filter((configured) => !configured.rule.exclude).map((configured) => configured.rule.text);
  const keepAll: RuleReconciliation = { peers: [], expandedRules: [], keptRules: includeTexts };
  if (includeTexts.length === 0) return { peers: [], expandedRules: [], keptRules: [] };
  if (context.deferredMethods.has(METHODS.getDialogs)) {
    context.logger.warn(
      { rules: includeTexts.length },
      'messages.getDialogs is deferred by a flood wait: peers rules keep their peers this run',
    );
    return keepAll;
  }
  const list = await readAccountDialogList(context);
  const needsFolders = rules.some(
    (configured) => configured.rule.target.type === 'dialogs' && configured.rule.target.folder !== null,
  );
  const folders = needsFolders ? await readAccountFolders(context) : null;
  if (needsFolders && folders === null) return keepAll;

  const keys = new Set<string>();
  const usernames = new Set<string>();
  for (const entry of explicit) {
    const spec = specFromNormalized(entry.normalizedInput);
    if (spec?.kind === 'id') keys.add(keyOf(spec));
    else if (spec?.kind === 'username') usernames.add(spec.username);
  }
  const stored = await context.transact((db) =>
    findExplicitPeerKeys(
      db,
      context.accountId,
      explicit.map((entry) => entry.normalizedInput),
    ),
  );
  for (const peer of stored) keys.add(keyOf({ peerType: peer.peerType, peerId: BigInt(peer.peerId) }));

  const expansion = expandPeerRules({
    rules,
    dialogs: list.dialogs,
    folders,
    explicit: { keys, usernames },
    accountLabel: context.accountLabel,
  });
  if (!expansion.ok) throw new PeerRuleError(expansion.problem);
  context.logger.info(
    { rules: rules.length, dialogs: list.dialogs.length, peers: expansion.peers.length, complete: list.complete },
    'expanded the peers rules',
  );
  if (!list.complete) {
    context.logger.warn(
      {},
      "the account's dialog list could not be read to its end: peers rules add what was seen and disable nothing this run",
    );
    return { peers: expansion.peers, expandedRules: [], keptRules: includeTexts };
  }
  return { peers: expansion.peers, expandedRules: includeTexts, keptRules: [] };
}
