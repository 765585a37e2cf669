// Creating an embedded data folder with initdb, once: into a sibling staging folder that is renamed
// into place, so a killed initdb never leaves a half-initialised data folder behind.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from './error.ts';
import { CREDENTIALS_FILE, tail, type Credentials } from './files.ts';
import type { PostgresBinaries, ServerAccount } from './host.ts';
import type { AppLogger } from '../../observability/app-logger.ts';
import { isProcessAlive } from './process-state.ts';

export const SUPERUSER = 'postgres';
export const MAJOR_VERSION = '15';

export async function initialiseIfMissing(input: {
  binaries: PostgresBinaries;
  account: ServerAccount;
  dataDir: string;
  logger: Pick<AppLogger, 'info' | 'warn' | 'error'>;
  timeoutMs: number;
  fast: boolean;
}): Promise<void> {
  const { binaries, account, dataDir, logger } = input;
  const existing = await readdir(dataDir).catch(() => null);
  if (existing) {
    await assertOurDataDir(dataDir, existing);
    return;
  }

  await removeAbandonedInitFolders(dataDir);

  const started = Date.now();
  logger.info(
    { dataDir },
    `initialising a new embedded PostgreSQL ${MAJOR_VERSION} data folder in ${dataDir} (first run)`,
  );
  const staging = `${dataDir}.initdb-${process.pid}`;
  const passwordFile = `${dataDir}.pwfile-${process.pid}`;
  const credentials: Credentials = { user: SUPERUSER, password: randomBytes(18).toString('base64url') };
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  await writeFile(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (account) {
      await chown(staging, account.uid, account.gid);
      await chown(passwordFile, account.uid, account.gid);
    }
    const args = [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // C locale: byte-order collation, identical on every machine, no OS locale packages needed.
      '--locale=C',
      ...(input.fast ? ['--no-sync'] : []),
    ];
    const result = await runToCompletion(binaries.initdb, args, account, input.timeoutMs);
    if (result.code !== 0) {
      throw new EmbeddedPostgresError(
        'start-failed',
        `initdb failed for ${dataDir} (exit ${result.code ?? result.signal}): ${tail(result.output)}`,
      );
    }
    await writeFile(path.join(staging, CREDENTIALS_FILE), JSON.stringify(credentials), { mode: 0o600 });
    try {
      await rename(staging, dataDir);
    } catch (error) {
      // Someone else finished first: keep theirs.
      if (!['ENOTEMPTY', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  } finally {
    await rm(passwordFile, { force: true });
    await rm(staging, { recursive: true, force: true });
  }
  logger.info(
    { dataDir, ms: Date.now() - started },
    `embedded PostgreSQL data folder initialised in ${Date.now() - started} ms`,
  );
}

async function assertOurDataDir(dataDir: string, entries: string[]): Promise<void> {
  if (!entries.includes(CREDENTIALS_FILE)) {
    throw new EmbeddedPostgresError(
      'invalid-data-dir',
      `${dataDir} exists but is not an embedded PostgreSQL folder created by tg-dialog-sync (no ${CREDENTIALS_FILE}). ` +
        'Choose another embedded data folder, or delete this one if it holds nothing you need.',
    );
  }
  const version = (await readFile(path.join(dataDir, 'PG_VERSION'), 'utf8').catch(() => '')).trim();
  if (version !== MAJOR_VERSION) {
    throw new EmbeddedPostgresError(
      'invalid-data-dir',
      `${dataDir} holds a PostgreSQL ${version || '(unknown)'} data folder, but the embedded server is PostgreSQL ${MAJOR_VERSION}. ` +
        'Delete the folder to start over (its data is lost) or use another folder.',
    );
  }
}

/** Leftovers of an initdb whose process was killed (their pid suffix names a dead process). */
async function removeAbandonedInitFolders(dataDir: string): Promise<void> {
  const parent = path.dirname(dataDir);
  const base = path.basename(dataDir);
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(initdb|pwfile)-(\\d+)$`);
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    const match = pattern.exec(entry);
    if (match && !isProcessAlive(Number(match[2]))) {
      await rm(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

function runToCompletion(
  file: string,
  args: string[],
  account: ServerAccount,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...(account ? { uid: account.uid, gid: account.gid } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
      timeout: timeoutMs,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      reject(new EmbeddedPostgresError('start-failed', `Cannot run ${file}: ${error.message}`)),
    );
    child.once('close', (code, signal) => resolve({ code, signal, output }));
  });
}
