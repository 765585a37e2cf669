import { METHODS } from '../../telegram/gateway.ts';
import type { FolderDefinition } from '../../telegram/mapping/map-dialog-filters.ts';
import { callTelegram } from '../call-policy.ts';
import type { RunContext } from '../run-context.ts';
import { RunDeferredError } from '../run-errors.ts';

/**
 * The account's folders (messages.getDialogFilters, one call), or null when the method is deferred
 * by a long flood wait or refused: folder rules are then not expanded this run (their peers stay).
 */
export async function readAccountFolders(context: RunContext): Promise<FolderDefinition[] | null> {
  if (context.deferredMethods.has(METHODS.getDialogFilters)) return null;
  try {
    const outcome = await callTelegram(context.policy, METHODS.getDialogFilters, () =>
      context.gateway.getDialogFilters(context),
    );
    if (!outcome.ok) {
      context.logger.warn(
        { error: outcome.failure.errorMessage },
        "could not read the account's folders; folder rules keep their peers this run",
      );
      return null;
    }
    return outcome.value;
  } catch (error) {
    if (error instanceof RunDeferredError) {
      context.deferredMethods.add(METHODS.getDialogFilters);
      return null;
    }
    throw error;
  }
}
