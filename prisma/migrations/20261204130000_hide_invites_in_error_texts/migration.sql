-- Invite hashes are credentials (anyone holding one can join the chat): no text a dashboard reads may
-- carry one (issue 13). The job no longer writes the input of an invite into error texts
-- (src/peers/peer-spec.ts displayedInput); this migration cleans the texts stored before, and the
-- views mask whatever invite-shaped text still reaches them (a Telegram or database error quoting a
-- link), so the rule holds even for texts written by an older version.

-- Replaces every invite link form (t.me/+HASH, t.me/joinchat/HASH, telegram.me/…, tg://join?invite=HASH,
-- the normalised invite:HASH) and, when given, the peer's own hash wherever it stands, by
-- 'invite link (hidden)'. t.me/+<digits> is a phone number link: hidden too.
CREATE OR REPLACE FUNCTION tgsync_hide_invites(message text, normalized_input text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT regexp_replace(
        CASE WHEN normalized_input LIKE 'invite:_%'
             THEN replace(message, substr(normalized_input, length('invite:') + 1), 'invite link (hidden)')
             ELSE message END,
        '((https?://)?(t|telegram)\.me/(\+|joinchat/)|tg://join\?invite=|invite:)[A-Za-z0-9_-]+',
        'invite link (hidden)', 'gi')
$$;

UPDATE "configured_peers"
SET last_error_text = tgsync_hide_invites(last_error_text, normalized_input)
WHERE last_error_text IS DISTINCT FROM tgsync_hide_invites(last_error_text, normalized_input);

UPDATE "peer_sync_errors" e
SET error_text = tgsync_hide_invites(e.error_text, c.normalized_input)
FROM "configured_peers" c
WHERE c.id = e.configured_peer_id
  AND e.error_text IS DISTINCT FROM tgsync_hide_invites(e.error_text, c.normalized_input);

CREATE OR REPLACE VIEW "dashboard_peers" AS
SELECT
    c.id AS configured_peer_id,
    c.account_id,
    a.label AS account_label,
    -- An invite hash lets anyone join the group: show only that it is an invite.
    CASE WHEN c.normalized_input LIKE 'invite:%' THEN 'invite link (hidden)' ELSE c.input END AS input,
    c.source,
    c.enabled,
    c.status,
    c.peer_type,
    c.peer_id,
    p.peer_marked_id,
    p.peer_kind,
    p.title,
    c.resolved_at,
    c.last_attempt_at,
    c.last_synced_at,
    c.last_error_code,
    tgsync_hide_invites(c.last_error_text, c.normalized_input) AS last_error_text,
    c.last_error_at,
    c.consecutive_failures,
    c.next_attempt_at,
    (c.enabled AND c.next_attempt_at IS NOT NULL AND c.next_attempt_at > now()) AS is_in_backoff,
    c.created_at
FROM "configured_peers" c
JOIN "accounts" a ON a.id = c.account_id
LEFT JOIN "dashboard_peer_info" p ON p.peer_type = c.peer_type AND p.peer_id = c.peer_id;

CREATE OR REPLACE VIEW "dashboard_peer_errors" AS
SELECT
    e.id AS error_id,
    e.account_id,
    a.label AS account_label,
    e.configured_peer_id,
    e.run_id,
    e.occurred_at,
    e.error_code,
    tgsync_hide_invites(e.error_text, c.normalized_input) AS error_text,
    c.peer_type,
    c.peer_id,
    p.title
FROM "peer_sync_errors" e
JOIN "accounts" a ON a.id = e.account_id
LEFT JOIN "configured_peers" c ON c.id = e.configured_peer_id
LEFT JOIN "dashboard_peer_info" p ON p.peer_type = c.peer_type AND p.peer_id = c.peer_id;

CREATE OR REPLACE VIEW "dashboard_sync_runs" AS
SELECT
    r.id AS run_id,
    r.account_id,
    a.label AS account_label,
    r.status,
    r.trigger,
    r.started_at,
    r.finished_at,
    EXTRACT(EPOCH FROM (COALESCE(r.finished_at, now()) - r.started_at))::double precision AS duration_seconds,
    r.resume_at,
    r.peers_total,
    r.peers_synced,
    r.peers_skipped,
    r.peers_failed,
    r.peers_no_dialog,
    r.peers_resolved,
    r.api_calls,
    r.retries,
    r.flood_waits,
    r.flood_wait_seconds,
    r.flood_wait_slept_seconds,
    r.dialogs_inserted,
    r.dialogs_updated,
    r.messages_inserted,
    r.messages_updated,
    r.users_inserted,
    r.users_updated,
    r.chats_inserted,
    r.chats_updated,
    r.channels_inserted,
    r.channels_updated,
    r.error_kind,
    tgsync_hide_invites(r.error_text, NULL) AS error_text
FROM "sync_runs" r
JOIN "accounts" a ON a.id = r.account_id;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_dashboards') THEN
        -- Functions are executable by PUBLIC by default; granted explicitly so that the views keep
        -- working where an administrator revoked that default.
        GRANT EXECUTE ON FUNCTION tgsync_hide_invites(text, text) TO tgsync_dashboards;
    END IF;
END
$$;
