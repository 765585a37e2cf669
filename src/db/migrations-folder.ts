// Reads a Prisma migrations folder (prisma/migrations): one sub-folder per migration holding
// migration.sql, plus migration_lock.toml. Pure file reading; no database access.
import { asError } from '../errors/app-error.ts';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MigrationError } from './migration-error.ts';

export interface LocalMigration {
  /** The folder name, e.g. `20261125220000_init`; this is `migration_name` in _prisma_migrations. */
  name: string;
  /** The file's exact text, sent to the server unchanged. */
  script: string;
  /** Lowercase hex sha256 of the file's bytes, as Prisma stores it in `checksum`. */
  checksum: string;
}

export function migrationChecksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Lists the migrations in apply order. Prisma sorts the folder names lexicographically (byte order);
 * the timestamp prefix makes that chronological. Plain files next to the folders (such as
 * migration_lock.toml) are not migrations.
 */
export async function readLocalMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    throw new MigrationError(
      'invalid-migrations-folder',
      `Cannot read the migrations folder ${migrationsDir}: ${asError(error).message}. ` +
        'Run the command from the project root or pass the right folder (prisma/migrations).',
    );
  }
  await checkLockFileProvider(migrationsDir);

  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort(compareBytes);

  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(migrationsDir, name, 'migration.sql');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new MigrationError(
        'invalid-migrations-folder',
        `Migration folder ${path.join(migrationsDir, name)} has no readable migration.sql ` +
          `(${(error as NodeJS.ErrnoException).code ?? asError(error).message}). ` +
          'Every folder under the migrations folder must contain one; remove stray folders.',
        name,
      );
    }
    migrations.push({ name, script: bytes.toString('utf8'), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Prisma refuses to apply migrations written for another provider (P3019); so do we. */
async function checkLockFileProvider(migrationsDir: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path.join(migrationsDir, 'migration_lock.toml'), 'utf8');
  } catch {
    return; // optional for the runner; Prisma's own tools create it
  }
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(text)?.[1];
  if (provider && provider !== 'postgresql') {
    throw new MigrationError(
      'provider-mismatch',
      `${path.join(migrationsDir, 'migration_lock.toml')} says provider = "${provider}", but this runner applies ` +
        'PostgreSQL migrations. The migrations were generated for another database; regenerate them for postgresql.',
    );
  }
}
