import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SessionUnreadableError, type SessionStore } from './session-store.ts';

/**
 * Sessions as files `<dir>/<label>.session`, mode 0600 in a 0700 folder: only the job's user can read
 * them. Written to a temporary file first and renamed, so a crash never leaves half a session.
 */
export function fileSessionStore(directory: string): SessionStore {
  const pathOf = (label: string) => join(directory, `${encodeURIComponent(label)}.session`);
  return {
    async load(label) {
      try {
        return (await readFile(pathOf(label), 'utf8')).trim() || null;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new SessionUnreadableError(label, (error as NodeJS.ErrnoException).code ?? 'read failed');
      }
    },
    async save(label, _accountId, session) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      await chmod(directory, 0o700);
      const temporary = `${pathOf(label)}.${process.pid}.tmp`;
      await writeFile(temporary, session, { mode: 0o600 });
      await rename(temporary, pathOf(label));
    },
    async remove(label) {
      await rm(pathOf(label), { force: true });
    },
    location(label) {
      return pathOf(label);
    },
  };
}
