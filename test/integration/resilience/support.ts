/**
 * What the resilience tests share on top of the sync harness: bounded polls (never sleeps as
 * synchronisation) and the files and environment of a CLI process for one account.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { AccountRecord } from '../../../src/store/accounts/accounts.ts';
import { jobEnvironment } from '../../helpers/job-environment.ts';
import type { SyncHarness } from '../../helpers/sync-harness.ts';

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs`. */
export async function eventually<Value>(
  what: string,
  check: () => Promise<Value | undefined>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await delay(everyMs);
  }
}

export interface CliWorld {
  readonly directory: string;
  readonly env: NodeJS.ProcessEnv;
  /** The one session string every process of the account uses (one auth key). */
  readonly session: string;
}

/**
 * A session file, the data center's public key and a peers file in a temporary folder, and the
 * environment that points the CLI at them, the harness's database and its data center.
 */
export async function prepareCli(
  harness: SyncHarness,
  account: AccountRecord,
  peers: readonly bigint[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<CliWorld> {
  const session = harness.server.sessionFor(account.telegramUserId!);
  const env = await jobEnvironment(harness, {
    accounts: [{ account, session }],
    peers: peers.map(String),
    extra: {
      SYNC_TRANSIENT_RETRIES: '3',
      SYNC_TRANSIENT_BACKOFF_BASE_MS: '50',
      SYNC_TRANSIENT_BACKOFF_MAX_MS: '200',
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
  });
  return { directory: dirname(env.SYNC_PEERS_FILE as string), env, session };
}
