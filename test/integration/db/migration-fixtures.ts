// Builds throwaway migration folders (Prisma layout) in a temp directory for migration-runner tests.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface MigrationsFolder {
  dir: string;
  /** Adds or rewrites `<dir>/<name>/migration.sql`. */
  write(name: string, sql: string): Promise<void>;
  remove(): Promise<void>;
}

export async function createMigrationsFolder(migrations: Record<string, string> = {}): Promise<MigrationsFolder> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-fixture-'));
  const folder: MigrationsFolder = {
    dir,
    async write(name, sql) {
      await mkdir(path.join(dir, name), { recursive: true });
      await writeFile(path.join(dir, name, 'migration.sql'), sql);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, sql] of Object.entries(migrations)) await folder.write(name, sql);
  return folder;
}
