import pg from 'pg';

/** The advisory-lock namespace of this job ("tg" in ASCII), so its locks cannot clash with others'. */
const LOCK_NAMESPACE = 0x7467;

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
  const client = new pg.Client({ connectionString: options.databaseUrl, application_name: `tg-dialog-sync lock ${options.accountId}` });
  const lost = new AbortController();
  let released = false;
  const markLost = (reason: string) => {
    if (!released && !lost.signal.aborted) lost.abort(`the account lock was lost (${reason})`);
  };
  client.on('error', (error) => markLost(error.message));
  client.on('end', () => markLost('connection closed'));
  await client.connect();
  const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCK_NAMESPACE, options.accountId]);
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
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, options.accountId]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
