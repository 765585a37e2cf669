/**
 * The environment that points the real `tg-dialog-sync` executable at a local data center and a
 * test database: the data center's public key in a temporary folder and the variables naming it.
 * Used by the sync harness's process tests (with sessions and a peers file) and by the CLI tests.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSessionStore } from '../../src/sessions/file-session-store.ts';
import type { AccountRecord } from '../../src/store/accounts/accounts.ts';
import type { SyncHarness } from './sync-harness.ts';

type DataCenter = SyncHarness['server'];

/**
 * Writes the data center's public key into `directory` and returns the variables for it, this
 * database and sessions in `sessionDir` (LOG_FORMAT json, a short per-call timeout).
 */
export async function dataCenterEnvironment(
  server: DataCenter,
  databaseUrl: string,
  directory: string,
  sessionDir: string,
): Promise<NodeJS.ProcessEnv> {
  await writeFile(join(directory, 'server.pem'), server.publicKeyPem);
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl,
    TELEGRAM_API_ID: String(server.apiId),
    TELEGRAM_API_HASH: server.apiHash,
    TELEGRAM_SESSION_DIR: sessionDir,
    TELEGRAM_TEST_DC_HOST: server.host,
    TELEGRAM_TEST_DC_PORT:
      server.dataCenters.length === 1
        ? String(server.port())
        : server.dataCenters.map((dc) => `${dc.dcId}:${dc.port}`).join(','),
    TELEGRAM_TEST_DC_PUBLIC_KEY_FILE: join(directory, 'server.pem'),
    SYNC_CALL_TIMEOUT_MS: '5000',
    LOG_FORMAT: 'json',
  };
}

export interface JobEnvironmentOptions {
  readonly accounts: readonly { readonly account: AccountRecord; readonly session: string }[];
  readonly peers: readonly string[];
  readonly extra?: NodeJS.ProcessEnv;
}

/** Writes sessions, the server key and the peers file to a temp folder; returns the job's environment. */
export async function jobEnvironment(harness: SyncHarness, options: JobEnvironmentOptions): Promise<NodeJS.ProcessEnv> {
  const directory = await mkdtemp(join(tmpdir(), 'tg-sync-job-'));
  const sessions = fileSessionStore(join(directory, 'sessions'));
  for (const { account, session } of options.accounts) await sessions.save(account.label, account.id, session);
  await writeFile(join(directory, 'peers.txt'), options.peers.join('\n'));
  return {
    ...(await dataCenterEnvironment(harness.server, harness.database.url, directory, join(directory, 'sessions'))),
    SYNC_PEERS_FILE: join(directory, 'peers.txt'),
    ...options.extra,
  };
}
