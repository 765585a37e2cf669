import type { SqlExecutor } from '../sql-executor.ts';

export interface PeerFailure {
  readonly configuredPeerId: bigint;
  /** Telegram's error text (CHANNEL_PRIVATE…) or the job's reason code. */
  readonly errorCode: string;
  /** What an operator reads: what happened and what to do. */
  readonly errorText: string;
}

export interface PeerBackoff {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/**
 * Records failed peers: their error, a growing failure streak and an exponential backoff
 * (base · 2^(failures−1), capped) during which runs skip them; one error row each for the history.
 * A private channel's stored rows are kept and marked forbidden from now on, never deleted (which
 * codes say "private" is the caller's error policy, passed in as channelForbiddingCodes).
 */
const sql = `WITH r AS (
  SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(id bigint, error_code text, error_text text)
),
failed AS (
  UPDATE configured_peers c
  SET status = CASE WHEN $6::boolean THEN 'unresolvable'::peer_sync_status ELSE 'failing'::peer_sync_status END,
      last_attempt_at = now(),
      last_error_code = r.error_code,
      last_error_text = r.error_text,
      last_error_at = now(),
      consecutive_failures = c.consecutive_failures + 1,
      next_attempt_at = now() + make_interval(secs => LEAST($4::double precision,
          $3::double precision * power(2, LEAST(c.consecutive_failures, 40)))),
      updated_at = now()
  FROM r
  WHERE c.id = r.id AND c.account_id = $1::int
  RETURNING c.id, c.peer_type, c.peer_id, r.error_code, r.error_text
),
logged AS (
  INSERT INTO peer_sync_errors (account_id, configured_peer_id, run_id, error_code, error_text)
  SELECT $1::int, f.id, $5::bigint, f.error_code, f.error_text FROM failed f
)
UPDATE account_channels ach SET is_forbidden = true, forbidden_since = COALESCE(ach.forbidden_since, now()), updated_at = now()
FROM failed f
WHERE f.peer_type = 'channel' AND f.error_code = ANY($7::text[])
  AND ach.account_id = $1::int AND ach.channel_id = f.peer_id AND NOT ach.is_forbidden`;

export interface RecordPeerFailuresInput {
  readonly accountId: number;
  readonly runId: bigint | null;
  readonly failures: readonly PeerFailure[];
  readonly backoff: PeerBackoff;
  /** Resolution failures: the peer cannot be turned into a peer at all. */
  readonly unresolvable: boolean;
  /** Error codes after which a channel's account_channels row is marked forbidden (the error policy's to say). */
  readonly channelForbiddingCodes: readonly string[];
}

export async function recordPeerFailures(db: SqlExecutor, input: RecordPeerFailuresInput): Promise<void> {
  if (input.failures.length === 0) return;
  const payload = JSON.stringify(
    input.failures.map((failure) => ({
      id: failure.configuredPeerId.toString(),
      error_code: failure.errorCode,
      error_text: failure.errorText,
    })),
  );
  await db.query(sql, [
    input.accountId,
    payload,
    input.backoff.baseSeconds,
    input.backoff.maxSeconds,
    input.runId === null ? null : input.runId.toString(),
    input.unresolvable,
    input.channelForbiddingCodes,
  ]);
}
