import { createHash } from 'node:crypto';
import pg from 'pg';
import { pgClientConfig, schemaOfDatabaseUrl } from './connection-config.ts';

/** The advisory-lock namespace of this job ("tg" in ASCII), so its locks cannot clash with others'. */
const LOCK_NAMESPACE = 0x7467;

/**
 * Advisory locks belong to the whole database, account ids to one schema: two installations in two
 * schemas of one database (DATABASE_URL `?schema=`) each have an account 1. Each schema other than
 * the default gets a namespace of its own (derived from its name; never the default's), so their
 * runners do not keep each other out. The default keeps LOCK_NAMESPACE, as every version used it.
 */
export function accountLockNamespace(databaseUrl: string): number {
  const schema = schemaOfDatabaseUrl(databaseUrl);
  if (schema === null || schema === 'public') return LOCK_NAMESPACE;
  const derived = createHash('sha256').update(`tg-dialog-sync schema ${schema}`).digest().readInt32BE(0);
  return derived === LOCK_NAMESPACE ? derived + 1 : derived;
}

export interface AccountLock {
  /** Aborted when the lock is lost (connection dropped, database restarted). */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export interface AcquireAccountLockOptions {
  readonly databaseUrl: string;
  readonly accountId: number;
  /** How often the lock connection is checked; a silently dead connection is noticed within this time. */
  readonly keepAliveMs?: number;
}

/**
 * One runner per account, across processes and machines: a PostgreSQL advisory lock, held on a
 * dedicated connection (an advisory lock belongs to a session, so a pooled connection would lose or
 * leak it). Returns null when another runner holds it. When the connection is lost the lock is gone
 * too, and `lost` fires so the runner stops using Telegram before anyone else can take over.
 */
export async function tryAcquireAccountLock(options: AcquireAccountLockOptions): Promise<AccountLock | null> {
  const client = new pg.Client(pgClientConfig(options.databaseUrl, `tg-dialog-sync lock ${options.accountId}`));
  const namespace = accountLockNamespace(options.databaseUrl);
  const lost = new AbortController();
  let released = false;
  const markLost = (reason: string) => {
    if (!released && !lost.signal.aborted) lost.abort(`the account lock was lost (${reason})`);
  };
  client.on('error', (error) => markLost(error.message));
  client.on('end', () => markLost('connection closed'));
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [
    namespace,
    options.accountId,
  ]);
  if (rows[0]?.locked !== true) {
    released = true;
    await client.end();
    return null;
  }
  const keepAlive = setInterval(() => {
    client.query('SELECT 1').catch((error: Error) => markLost(error.message));
  }, options.keepAliveMs ?? 5_000);
  keepAlive.unref();
  return {
    lost: lost.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(keepAlive);
      // Closing the session releases its advisory locks; an explicit unlock first keeps it prompt
      // even if the close is slow.
      await client.query('SELECT pg_advisory_unlock($1, $2)', [namespace, options.accountId]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
