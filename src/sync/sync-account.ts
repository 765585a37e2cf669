import type { AppLogger } from '../observability/app-logger.ts';
import { AppError } from '../errors/app-error.ts';
import { hostname } from 'node:os';
import type { SyncConfig } from '../config/index.ts';
import { describeError } from '../observability/error-text.ts';
import type { AccountRecord } from '../store/accounts/accounts.ts';
import { setAccountStatus } from '../store/accounts/accounts.ts';
import { deferMethod, listActiveMethodWaits } from '../store/accounts/method-waits.ts';
import { findConfiguredPeer } from '../store/peers/find-configured-peer.ts';
import { listDuePeers, type DuePeer, type DuePeers } from '../store/peers/list-due-peers.ts';
import { listUnresolvedPeers } from '../store/peers/list-unresolved-peers.ts';
import type { WantedPeer } from '../store/peers/reconcile-configured-peers.ts';
import { finishRun, type RunOutcome } from '../store/runs/finish-run.ts';
import { emptyRunCounters, type RecordedWait, type RunCounters } from '../store/runs/run-counters.ts';
import { startRun } from '../store/runs/start-run.ts';
import { prismaTransactor, type TransactionClient } from '../store/transaction.ts';
import { METHODS, type TelegramGateway, type TelegramMethod } from '../telegram/gateway.ts';
import { abortableSleep, type Sleep } from './abortable-sleep.ts';
import { linkSignals } from './linked-signal.ts';
import { tryAcquireAccountLock } from '../db/account-lock.ts';
import { callTelegram, type CallPolicy } from './call-policy.ts';
import { runTransactor } from './commit-counted.ts';
import { reconcilePeersFile } from './reconcile-peers-file.ts';
import type { ConfiguredRule } from '../peers/peer-rule.ts';
import { recordResolutions } from '../store/peers/record-resolutions.ts';
import { reconcileConfiguredPeers, type RuleReconciliation } from '../store/peers/reconcile-configured-peers.ts';
import { listCliExplicitPeers, listCliPeerRules } from '../store/peers/cli-peer-rules.ts';
import { parsePeerRule } from '../peers/parse-peer-rule.ts';
import { rulePeersForRun } from './peer-rules/rule-peers-for-run.ts';
import { recordWithRetries } from './record-run-end.ts';
import { namingDatabaseFailures } from './database-failures.ts';
import { budgetOf, followUpgradedGroups, reresolvePeer, resolvePendingPeers } from './resolve-peers.ts';
import type { ResolveUsernameBudget } from './resolve-budget.ts';
import type { RunContext } from './run-context.ts';
import { AccountStoppedError, RunDeferredError, RunInterruptedError } from './run-errors.ts';
import { syncDuePeers } from './sync-batches.ts';

export interface SyncDependencies {
  readonly prisma: TransactionClient;
  /** For the account lock's dedicated connection. */
  readonly databaseUrl: string;
  /** Connects a Telegram client for the account (its stored session); the run destroys it at the end. */
  readonly openGateway: (account: AccountRecord) => Promise<TelegramGateway>;
  readonly logger: AppLogger;
  readonly sleep?: Sleep;
  readonly random?: () => number;
}

export interface SyncAccountOptions {
  readonly account: AccountRecord;
  readonly settings: SyncConfig;
  /** What started the run: "cli", "cron", "startup". */
  readonly trigger: string;
  /** Aborting stops the run after the current call (graceful stop). */
  readonly signal?: AbortSignal;
  /** With a peers file: this account's peers from it, the source of truth for its list. */
  readonly configuredPeers?: readonly WantedPeer[];
  /** The operator accepts that the peers file disables more peers than SYNC_PEERS_FILE_MAX_REMOVAL_PERCENT (this run only). */
  readonly allowPeerRemoval?: boolean;
  /** With a peers file: this account's rules from it ("all channels", "not @name"…), expanded from its dialog list. */
  readonly peerRules?: readonly ConfiguredRule[];
}

export type SyncAccountResult =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: RunOutcome;
      readonly runId: bigint;
      readonly counters: RunCounters;
      readonly errorKind: string | null;
      readonly errorText: string | null;
      readonly resumeAt: Date | null;
      /** False when the end of the run could not be written to sync_runs (the database was gone): status is then 'failed'. */
      readonly recorded?: boolean;
    };

/**
 * One sync run of one account — the entry point for the CLI and the cron worker. It holds the
 * account's lock for the whole run (one runner per session, everywhere), records the run, reconciles
 * the peer list, resolves new peers, syncs the due ones in batches, and always closes the run with an
 * outcome: succeeded, deferred (a flood wait above the ceiling), failed, or interrupted.
 *
 * Connecting to Telegram and checking the session (two round trips, one call at a time) start as soon
 * as the lock is held and go on while the database records and prepares the run; the run waits for
 * them only before its first call that needs them. Outcomes keep their precedence: a database step
 * that used to come first still decides before a Telegram failure; a deferred run still makes no
 * call at all. No client outlives the lock (except after a stop, as before).
 */
export async function syncAccount(deps: SyncDependencies, options: SyncAccountOptions): Promise<SyncAccountResult> {
  const { account } = options;
  const logger = deps.logger.child({ account: account.label });
  if (account.status !== 'active') {
    logger.warn({ status: account.status, reason: account.statusReason }, 'account is not active; skipping it');
    return {
      status: 'skipped',
      reason: `account ${account.label} is ${account.status}: ${account.statusReason ?? 'log in first'}`,
    };
  }
  const lock = await tryAcquireAccountLock({ databaseUrl: deps.databaseUrl, accountId: account.id });
  if (lock === null) {
    logger.info({}, 'another runner holds this account; skipping');
    return { status: 'skipped', reason: `account ${account.label} is being synced by another process` };
  }
  const transact = namingDatabaseFailures(prismaTransactor(deps.prisma));
  // Not AbortSignal.any: the caller's signal (the worker's stop signal) outlives every run, and Node
  // keeps one entry per AbortSignal.any call in it for good. Released in the last finally below.
  const stop = linkSignals(options.signal, lock.lost);
  const signal = stop.signal;
  const counters = emptyRunCounters();
  const waits: RecordedWait[] = [];
  // The run's logger (with its id) once the run is recorded; the account's until then.
  let runLogger: AppLogger = logger;
  const policy: CallPolicy = {
    floodWaitCeilingSeconds: options.settings.floodWaitCeilingSeconds,
    transientRetry: options.settings.transientRetry,
    signal,
    sleep: deps.sleep ?? abortableSleep,
    random: deps.random ?? Math.random,
    counters,
    waits,
    deferMethod: (method: TelegramMethod, seconds: number, errorMessage: string) =>
      transact((db) => deferMethod(db, account.id, method, seconds, errorMessage)),
    logger: {
      info: (object, message) => runLogger.info(object, message),
      warn: (object, message) => runLogger.warn(object, message),
    },
  };
  // Set once connected (inside a callback, hence the cast: no narrowing to null).
  let gateway = null as TelegramGateway | null;
  // Losing the lock means another runner may take the session over: stop using Telegram at once.
  const onLockLost = () => {
    logger.error({ reason: String(lock.lost.reason) }, 'account lock lost; destroying the Telegram client');
    void gateway?.destroy();
  };
  lock.lost.addEventListener('abort', onLockLost, { once: true });

  // Telegram's part of the setup, under way while the database's part runs: stopped with the run, and
  // abandoned when the run ends without needing it (a database step failed).
  const abandonTelegram = new AbortController();
  const followStop = () => abandonTelegram.abort(signal.reason);
  signal.addEventListener('abort', followStop, { once: true });
  if (signal.aborted) followStop();
  const setupPolicy: CallPolicy = { ...policy, signal: abandonTelegram.signal };
  // The connection under way, settled once its client is known to the run or destroyed.
  let opening: Promise<void> = Promise.resolve();
  const openTracked = (): Promise<TelegramGateway> => {
    const opened = deps.openGateway(account).then(async (client) => {
      // callTelegram does not wait for a connection under way when the run stops or abandons it, so a
      // client that connects after that is destroyed here; one that connects in time is known to the
      // lock-loss handler at once.
      if (setupPolicy.signal.aborted) {
        await client.destroy().catch(() => undefined);
        throw new RunInterruptedError(String(setupPolicy.signal.reason));
      }
      gateway = client;
      return client;
    });
    opening = opened.then(
      () => undefined,
      () => undefined,
    );
    return opened;
  };
  let telegram: Promise<{ gateway: TelegramGateway; selfUserId: bigint }> | null = null;
  let dueUnlessPending: Promise<DuePeers | null> | null = null;

  try {
    // Read first, so that a deferred run never calls Telegram (the lock is held: only this run could change them).
    const activeWaits = await transact((db) => listActiveMethodWaits(db, account.id));
    const peerDialogsWait = activeWaits.find((wait) => wait.method === METHODS.getPeerDialogs);
    if (peerDialogsWait === undefined) {
      telegram = connectAndCheckSession(setupPolicy, openTracked, account.telegramUserId);
      // Awaited below, or abandoned: never an unhandled rejection.
      telegram.catch(() => undefined);
    }
    const run = await transact((db) =>
      startRun(db, { accountId: account.id, trigger: options.trigger, runner: `${hostname()}:${process.pid}` }),
    );
    runLogger = logger.child({ runId: run.runId.toString() });
    if (run.abandonedRuns > 0)
      runLogger.warn({ abandonedRuns: run.abandonedRuns }, 'closed runs left open by a process that died');
    runLogger.info({ trigger: options.trigger, cycleStartedAt: run.cycleStartedAt }, 'sync run started');

    const finish = async (
      outcome: RunOutcome,
      error: { kind: string; text: string } | null,
      resumeAt: Date | null,
    ): Promise<SyncAccountResult> => {
      const recording = await recordWithRetries(
        () =>
          transact((db) =>
            finishRun(db, {
              runId: run.runId,
              accountId: account.id,
              outcome,
              counters,
              waits,
              errorKind: error?.kind ?? null,
              errorText: error?.text ?? null,
              resumeAt,
            }),
          ),
        {
          sleep: deps.sleep ?? abortableSleep,
          stop: options.signal,
          onRetry: (attempt, failure, pauseMs) =>
            runLogger.warn(
              { attempt, pauseMs, error: describeError(failure) },
              'could not record the end of the run; retrying',
            ),
        },
      );
      if (!recording.recorded) {
        // Say what is known: the outcome and why, and that sync_runs does not have it.
        const text = `${error?.text ?? `the run ${outcome}`}; this could not be recorded in sync_runs (${recording.reason})`;
        runLogger.error({ outcome, ...counters, error: text }, 'sync run ended; its end could not be recorded');
        return {
          status: 'failed',
          runId: run.runId,
          counters,
          errorKind: 'not_recorded',
          errorText: text,
          resumeAt,
          recorded: false,
        };
      }
      const summary = { outcome, ...counters, error: error?.text, resumeAt };
      if (outcome === 'succeeded') runLogger.info(summary, 'sync run finished');
      else runLogger.warn(summary, 'sync run ended early');
      return {
        status: outcome,
        runId: run.runId,
        counters,
        errorKind: error?.kind ?? null,
        errorText: error?.text ?? null,
        resumeAt,
        recorded: true,
      };
    };

    try {
      // Rules are expanded from the account's dialog list, which needs Telegram: with rules, the
      // reconciliation waits until the client is connected (or keeps the rules' peers when deferred).
      // Without a peers file, rules added with `peers add` (the explicit rows are the command line's).
      const rules =
        options.configuredPeers === undefined
          ? await transact((db) => listCliPeerRules(db, account.id)).then((texts) => cliRules(texts, runLogger))
          : (options.peerRules ?? []);
      const reconcileWith = (ruleReconciliation?: RuleReconciliation) => {
        const wanted = options.configuredPeers;
        return transact(async (db) => {
          if (wanted !== undefined) {
            const reconcile = {
              accountId: account.id,
              wanted,
              maxRemovalPercent: options.settings.peersFileMaxRemovalPercent,
              allowRemoval: options.allowPeerRemoval === true,
              ...(ruleReconciliation === undefined ? {} : { rules: ruleReconciliation }),
            };
            await reconcilePeersFile(db, reconcile, runLogger);
          } else if (ruleReconciliation !== undefined) {
            // The operator added and removes these rules by hand: no removal limit.
            const result = await reconcileConfiguredPeers(
              db,
              account.id,
              [],
              { maxPercent: null, alwaysAllowed: 0 },
              ruleReconciliation,
              'cli',
            );
            if (result.applied && result.added + result.reenabled + result.disabled > 0)
              runLogger.info(
                { added: result.added, reenabled: result.reenabled, disabled: result.disabled },
                'peers of the rules reconciled',
              );
          }
          // A rule peer may now stand beside an explicit entry for the same peer: the explicit one syncs it.
          if (ruleReconciliation !== undefined) await recordResolutions(db, account.id, []);
        });
      };
      if (options.configuredPeers !== undefined && rules.length === 0) await reconcileWith();
      if (peerDialogsWait !== undefined || telegram === null) {
        if (rules.length > 0)
          await reconcileWith({
            peers: [],
            expandedRules: [],
            keptRules: rules.filter((configured) => !configured.rule.exclude).map((configured) => configured.rule.text),
          });
        // Telegram asked us to stay away until then: do not call it at all.
        return await finish(
          'deferred',
          {
            kind: 'deferred',
            text: `${METHODS.getPeerDialogs} is deferred by a flood wait until ${peerDialogsWait?.resumeAt.toISOString()}`,
          },
          peerDialogsWait?.resumeAt ?? null,
        );
      }
      // Still while Telegram connects: the due peers, when none waits to be resolved (the usual case
      // after the first run). Resolving needs Telegram, and changes which peers are due.
      dueUnlessPending =
        rules.length > 0
          ? Promise.resolve(null)
          : (async () => {
              const pending = await transact((db) => listUnresolvedPeers(db, account.id));
              return pending.length > 0
                ? null
                : await transact((db) => listDuePeers(db, account.id, run.cycleStartedAt));
            })();
      dueUnlessPending.catch(() => undefined);

      const { gateway: connected, selfUserId } = await telegram;
      const context: RunContext = {
        accountId: account.id,
        accountLabel: account.label,
        selfUserId,
        runId: run.runId,
        gateway: connected,
        policy,
        transact: runTransactor(transact, { runId: run.runId, policy }),
        settings: options.settings,
        deferredMethods: new Set(activeWaits.map((wait) => wait.method as TelegramMethod)),
        logger: runLogger,
      };
      // One contacts.resolveUsername budget for the whole run, re-resolving included.
      const resolveBudget = budgetOf(context);
      if (rules.length > 0) {
        const explicit = options.configuredPeers ?? (await transact((db) => listCliExplicitPeers(db, account.id)));
        await reconcileWith(await rulePeersForRun(context, rules, explicit));
      }
      let duePeers = await dueUnlessPending;
      if (duePeers === null) {
        // Its counters (peersResolved…) are saved as it goes, for progress displays.
        await resolvePendingPeers(context, resolveBudget);
        duePeers = await transact((db) => listDuePeers(db, account.id, run.cycleStartedAt));
      }
      const { due, inBackoff } = duePeers;
      counters.peersTotal = due.length + inBackoff;
      counters.peersSkipped = inBackoff;
      await syncDuePeers(context, due, { reresolve: (peer) => reresolveDuePeer(context, peer, resolveBudget) });
      // Groups this run's replies showed upgraded: their supergroups are synced now, not a run later.
      if (due.some((peer) => peer.peerType === 'chat')) {
        const upgraded = await followUpgradedGroups(context);
        if (upgraded.length > 0)
          await syncDuePeers(context, upgraded, {
            reresolve: (peer) => reresolveDuePeer(context, peer, resolveBudget),
          });
      }
      return await finish('succeeded', null, null);
    } catch (error) {
      abandonTelegram.abort('the run ended early');
      if (error instanceof AccountStoppedError) {
        // Not lost when the database is gone too: the run's end (below) still says why.
        await transact((db) =>
          setAccountStatus(db, account.id, error.accountStatus, `${error.errorMessage}: ${error.hint}`),
        ).catch((failure: unknown) =>
          runLogger.error({ error: describeError(failure) }, 'could not record the account status'),
        );
      }
      return await finish(...outcomeOf(error));
    }
  } catch (error) {
    // The run could not even be recorded (the database is gone): report it, leave the run to be closed as abandoned.
    logger.error({ err: error }, 'sync run failed and could not be recorded');
    throw error;
  } finally {
    signal.removeEventListener('abort', followStop);
    abandonTelegram.abort('the run ended');
    // No client may outlive the lock: a connection still under way is awaited (openTracked destroys
    // it) — except after a stop or a lost lock, which must not wait for it.
    if (!signal.aborted) await opening;
    await telegram?.catch(() => undefined);
    await dueUnlessPending?.catch(() => undefined);
    if (gateway !== null) await gateway.destroy().catch(() => undefined);
    lock.lost.removeEventListener('abort', onLockLost);
    stop.dispose();
    await lock.release();
  }

  function outcomeOf(error: unknown): [RunOutcome, { kind: string; text: string }, Date | null] {
    if (error instanceof RunDeferredError)
      return ['deferred', { kind: 'deferred', text: error.message }, error.resumeAt];
    if (error instanceof RunInterruptedError)
      return ['interrupted', { kind: 'interrupted', text: error.message }, null];
    if (error instanceof AccountStoppedError)
      return ['failed', { kind: `account_${error.accountStatus}`, text: error.message }, null];
    const kind = error instanceof AppError ? error.kind : 'error';
    return ['failed', { kind, text: describeError(error) }, null];
  }
}

/** Rules stored by `peers add`, parsed again (they were stored in their canonical spelling). */
function cliRules(texts: readonly string[], logger: Pick<AppLogger, 'warn'>): ConfiguredRule[] {
  return texts.flatMap((text) => {
    const parsed = parsePeerRule(text);
    if (parsed.ok) return [{ rule: parsed.rule, origin: 'added with `peers add`' }];
    logger.warn(
      { rule: text, reason: parsed.reason },
      'a stored peers rule cannot be read; remove it with `tg-dialog-sync peers remove`',
    );
    return [];
  });
}

/**
 * A peer whose stored access hash was rejected, resolved again from its configured username (ids and
 * invites carry no fresher hash). Returns it with the new hash, or null when nothing changed.
 */
async function reresolveDuePeer(
  context: RunContext,
  peer: DuePeer,
  budget: ResolveUsernameBudget,
): Promise<DuePeer | null> {
  const configured = await context.transact((db) => findConfiguredPeer(db, peer.configuredPeerId));
  if (configured === null || !configured.normalizedInput.startsWith('username:')) return null;
  const fresh = await reresolvePeer(
    context,
    {
      id: peer.configuredPeerId,
      input: configured.input,
      normalizedInput: configured.normalizedInput,
      peerType: null,
      peerId: null,
      lastErrorCode: null,
    },
    budget,
  );
  if (fresh === null) return null;
  const refreshed = await context.transact((db) => findConfiguredPeer(db, peer.configuredPeerId));
  if (refreshed === null || refreshed.accessHash === null || refreshed.accessHash === peer.accessHash) return null;
  return {
    ...peer,
    configuredPeerId: refreshed.configuredPeerId,
    peerType: fresh.peerType,
    peerId: fresh.peerId,
    accessHash: refreshed.accessHash,
  };
}

/**
 * Connects the account's client and, for an account whose Telegram user is not known yet, checks its
 * session: Telegram must accept it, and it must be a user's (getPeerDialogs is for user accounts only).
 * A logged-in account's user is known (login records it and refuses a different user later), so that
 * check would only cost a round trip before every run: a revoked session or a bot session is refused
 * by the run's first call just the same (AUTH_KEY_UNREGISTERED, BOT_METHOD_INVALID… stop the account).
 */
async function connectAndCheckSession(
  policy: CallPolicy,
  open: () => Promise<TelegramGateway>,
  knownUserId: bigint | null,
): Promise<{ gateway: TelegramGateway; selfUserId: bigint }> {
  const opened = await callTelegram(policy, METHODS.connect, open);
  if (!opened.ok)
    throw new AccountStoppedError(
      opened.failure.errorMessage,
      'needs_login',
      'Telegram did not accept the session; log in again',
    );
  const connected = opened.value;
  if (knownUserId !== null) return { gateway: connected, selfUserId: knownUserId };
  const self = await callTelegram(policy, METHODS.getSelf, () => connected.getSelf());
  if (!self.ok)
    throw new AccountStoppedError(
      self.failure.errorMessage,
      'needs_login',
      'Telegram did not accept the session; log in again',
    );
  if (self.value.isBot) {
    throw new AccountStoppedError(
      'BOT_ACCOUNT',
      'needs_login',
      'this is a bot session; messages.getPeerDialogs works for user accounts only: log in with a user account',
    );
  }
  return { gateway: connected, selfUserId: self.value.id };
}
