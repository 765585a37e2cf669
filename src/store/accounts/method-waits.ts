import type { SqlExecutor } from '../sql-executor.ts';

export interface MethodWait {
  readonly method: string;
  readonly resumeAt: Date;
  readonly requestedSeconds: number;
}

/**
 * Flood waits above the ceiling defer one method of one account across runs (an 18-hour wait on
 * contacts.resolveUsername must not stop getPeerDialogs). Expired entries are simply ignored.
 */
const listSql = `SELECT method, resume_at AS "resumeAt", requested_seconds AS "requestedSeconds"
FROM account_method_waits WHERE account_id = $1::int AND resume_at > now()`;

const upsertSql = `INSERT INTO account_method_waits (account_id, method, resume_at, requested_seconds, error_message)
VALUES ($1::int, $2, now() + make_interval(secs => $3::double precision), $3::int, $4)
ON CONFLICT (account_id, method) DO UPDATE
SET resume_at = EXCLUDED.resume_at, requested_seconds = EXCLUDED.requested_seconds, error_message = EXCLUDED.error_message, created_at = now()
RETURNING resume_at AS "resumeAt"`;

export function listActiveMethodWaits(db: SqlExecutor, accountId: number): Promise<MethodWait[]> {
  return db.query<MethodWait>(listSql, [accountId]);
}

export async function deferMethod(
  db: SqlExecutor,
  accountId: number,
  method: string,
  seconds: number,
  errorMessage: string,
): Promise<Date> {
  const [row] = await db.query<{ resumeAt: Date }>(upsertSql, [accountId, method, seconds, errorMessage]);
  if (row === undefined) throw new Error('could not record the method wait');
  return row.resumeAt;
}
