/**
 * Several PostgreSQL sessions in one test, interleaved on purpose: a writer's statements on a plain
 * node-postgres client (its own transaction, no retries), and a way to wait until a session is really
 * blocked on a lock held by another — the synchronisation is the database's own lock table, never time.
 */
import assert from 'node:assert/strict';
import type pg from 'pg';
import type { SqlExecutor } from '../../src/store/sql-executor.ts';

/** The writers' executor on one pg client: statements run in whatever transaction the client has open. */
export function pgExecutor(client: pg.Client): SqlExecutor {
  return {
    query: async <Row>(sql: string, params: readonly unknown[]) =>
      (await client.query(sql, params as unknown[])).rows as Row[],
  };
}

export async function backendPid(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
}

/**
 * Resolves once session `pid` waits for a heavyweight lock (a row or a transaction of another
 * session); with `by`, once that session is among the blockers. Checks the lock table again on every
 * turn of the event loop, bounded by `timeoutMs` (a test that never gets there fails, it does not hang).
 */
export async function waitUntilBlocked(
  observer: pg.Client,
  pid: number,
  options: { by?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    const { rows } = await observer.query<{ blockers: number[] }>('SELECT pg_blocking_pids($1) AS blockers', [pid]);
    const blockers = rows[0]?.blockers ?? [];
    if (options.by === undefined ? blockers.length > 0 : blockers.includes(options.by)) return;
    assert.ok(
      Date.now() < deadline,
      `session ${pid} never waited for ${options.by === undefined ? 'a lock' : `session ${options.by}`}`,
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
}
