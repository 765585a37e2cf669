-- Views that dashboards (Grafana, Metabase, psql) start from, and the read-only role they use.
--
-- These views are the stable interface for dashboards: change them only through new migrations, and
-- keep columns backwards compatible (add, do not rename or drop).
-- They expose no secrets or personal data: no sessions, access hashes, phone numbers, message text,
-- contact names or raw Telegram objects (tl_object). Invite links are masked.

-- One row per known peer (user, basic group, channel) with a display title and a kind.
-- peer_marked_id is the Bot-API style id (user = id, basic group = -id, channel = -(10^12 + id)), a
-- single column that never collides across the three kinds.
CREATE VIEW "dashboard_peer_info" AS
SELECT
    'user'::"peer_type" AS peer_type,
    u.id AS peer_id,
    u.id AS peer_marked_id,
    CASE WHEN u.is_bot THEN 'bot' ELSE 'user' END AS peer_kind,
    NULLIF(btrim(concat_ws(' ', u.first_name, u.last_name)), '') AS title,
    u.username,
    u.is_verified,
    u.is_scam,
    u.is_fake,
    NULL::integer AS participants_count,
    u.updated_at
FROM "users" u
UNION ALL
SELECT
    'chat'::"peer_type",
    c.id,
    -c.id,
    'basic_group',
    c.title,
    NULL,
    false,
    false,
    false,
    c.participants_count,
    c.updated_at
FROM "chats" c
UNION ALL
SELECT
    'channel'::"peer_type",
    ch.id,
    -(1000000000000 + ch.id),
    CASE
        WHEN ch.is_forum THEN 'forum'
        WHEN ch.is_megagroup OR ch.is_gigagroup THEN 'supergroup'
        ELSE 'channel'
    END,
    ch.title,
    ch.username,
    ch.is_verified,
    ch.is_scam,
    ch.is_fake,
    ch.participants_count,
    ch.updated_at
FROM "channels" ch;

-- One row per synced dialog: the peer's title and kind, unread counters, the last message's time and
-- the configured peer's sync status.
CREATE VIEW "dashboard_dialogs" AS
SELECT
    d.account_id,
    a.label AS account_label,
    d.peer_type,
    d.peer_id,
    p.peer_marked_id,
    p.peer_kind,
    p.title,
    p.username,
    d.unread_count,
    d.unread_mentions_count,
    d.unread_reactions_count,
    d.read_inbox_max_id,
    d.read_outbox_max_id,
    d.is_unread_marked,
    d.is_pinned,
    (d.is_muted_forever OR COALESCE(d.muted_until > now(), false)) AS is_muted,
    d.folder_id,
    d.top_message_id,
    m.sent_at AS last_message_at,
    m.kind AS last_message_kind,
    m.media_kind AS last_message_media_kind,
    COALESCE(ach.is_forbidden, ac.is_forbidden, false) AS is_forbidden,
    COALESCE(ach.forbidden_since, ac.forbidden_since) AS forbidden_since,
    cp.status AS sync_status,
    cp.last_synced_at,
    cp.last_error_code,
    cp.next_attempt_at,
    d.updated_at AS dialog_updated_at
FROM "dialogs" d
JOIN "accounts" a ON a.id = d.account_id
LEFT JOIN "dashboard_peer_info" p ON p.peer_type = d.peer_type AND p.peer_id = d.peer_id
LEFT JOIN "messages" m
    ON m.account_id = d.account_id AND m.peer_type = d.peer_type AND m.peer_id = d.peer_id
   AND m.id = d.top_message_id
LEFT JOIN "account_channels" ach
    ON d.peer_type = 'channel' AND ach.account_id = d.account_id AND ach.channel_id = d.peer_id
LEFT JOIN "account_chats" ac
    ON d.peer_type = 'chat' AND ac.account_id = d.account_id AND ac.chat_id = d.peer_id
LEFT JOIN LATERAL (
    SELECT c.status, c.last_synced_at, c.last_error_code, c.next_attempt_at
    FROM "configured_peers" c
    WHERE c.account_id = d.account_id AND c.peer_type = d.peer_type AND c.peer_id = d.peer_id
    ORDER BY c.enabled DESC, (c.status = 'duplicate') ASC, c.id ASC
    LIMIT 1
) cp ON true;

-- The configured peers with their sync status and backoff.
CREATE VIEW "dashboard_peers" AS
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
    c.last_error_text,
    c.last_error_at,
    c.consecutive_failures,
    c.next_attempt_at,
    (c.enabled AND c.next_attempt_at IS NOT NULL AND c.next_attempt_at > now()) AS is_in_backoff,
    c.created_at
FROM "configured_peers" c
JOIN "accounts" a ON a.id = c.account_id
LEFT JOIN "dashboard_peer_info" p ON p.peer_type = c.peer_type AND p.peer_id = c.peer_id;

-- One row per sync run with its duration.
CREATE VIEW "dashboard_sync_runs" AS
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
    r.error_text
FROM "sync_runs" r
JOIN "accounts" a ON a.id = r.account_id;

-- Trends: a dialog's counters over time (a row each time they changed).
CREATE VIEW "dashboard_dialog_history" AS
SELECT
    s.account_id,
    a.label AS account_label,
    s.peer_type,
    s.peer_id,
    p.peer_marked_id,
    p.peer_kind,
    p.title,
    s.captured_at,
    s.run_id,
    s.top_message_id,
    s.read_inbox_max_id,
    s.read_outbox_max_id,
    s.unread_count,
    s.unread_mentions_count,
    s.unread_reactions_count
FROM "dialog_snapshots" s
JOIN "accounts" a ON a.id = s.account_id
LEFT JOIN "dashboard_peer_info" p ON p.peer_type = s.peer_type AND p.peer_id = s.peer_id;

-- Peer-level failures over time (error code is Telegram's text, e.g. CHANNEL_PRIVATE).
CREATE VIEW "dashboard_peer_errors" AS
SELECT
    e.id AS error_id,
    e.account_id,
    a.label AS account_label,
    e.configured_peer_id,
    e.run_id,
    e.occurred_at,
    e.error_code,
    e.error_text,
    c.peer_type,
    c.peer_id,
    p.title
FROM "peer_sync_errors" e
JOIN "accounts" a ON a.id = e.account_id
LEFT JOIN "configured_peers" c ON c.id = e.configured_peer_id
LEFT JOIN "dashboard_peer_info" p ON p.peer_type = c.peer_type AND p.peer_id = c.peer_id;

-- The account's update state (pts/qts/seq/date) at the end of each run.
CREATE VIEW "dashboard_update_states" AS
SELECT
    h.run_id,
    h.account_id,
    a.label AS account_label,
    h.pts,
    h.qts,
    h.seq,
    h.state_date,
    h.unread_count,
    h.recorded_at
FROM "update_state_history" h
JOIN "accounts" a ON a.id = h.account_id;

-- One row per account: login state, last run, last success, peers in backoff.
CREATE VIEW "dashboard_accounts" AS
SELECT
    a.id AS account_id,
    a.label AS account_label,
    a.status,
    a.status_reason,
    a.last_login_at,
    a.created_at,
    last_run.status AS last_run_status,
    last_run.started_at AS last_run_started_at,
    last_run.finished_at AS last_run_finished_at,
    (SELECT max(r.finished_at) FROM "sync_runs" r
      WHERE r.account_id = a.id AND r.status = 'succeeded') AS last_success_at,
    (SELECT count(*) FROM "configured_peers" c
      WHERE c.account_id = a.id AND c.enabled) AS peers_enabled,
    (SELECT count(*) FROM "configured_peers" c
      WHERE c.account_id = a.id AND c.enabled AND c.next_attempt_at > now()) AS peers_in_backoff,
    (SELECT count(*) FROM "dialogs" d WHERE d.account_id = a.id) AS dialogs,
    s.pts AS current_pts,
    s.state_date AS current_state_date
FROM "accounts" a
LEFT JOIN "account_update_states" s ON s.account_id = a.id
LEFT JOIN LATERAL (
    SELECT r.status, r.started_at, r.finished_at
    FROM "sync_runs" r
    WHERE r.account_id = a.id
    ORDER BY r.started_at DESC, r.id DESC
    LIMIT 1
) last_run ON true;

-- The dashboards' role: it may read the views above and nothing else (no table, no session, no access
-- hash, no phone number, no raw object). Roles are cluster-wide, so create it only when missing; a
-- migration user without CREATEROLE gets a warning and the README's manual steps instead of a failure.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_dashboards') THEN
        IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            BEGIN
                CREATE ROLE tgsync_dashboards NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                -- Another database of this cluster created it at the same moment.
                NULL;
            END;
        ELSE
            RAISE WARNING 'role tgsync_dashboards not created: % lacks CREATEROLE; see README "Dashboards role"', current_user;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_dashboards') THEN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO tgsync_dashboards', current_database());
        GRANT USAGE ON SCHEMA public TO tgsync_dashboards;
        REVOKE ALL ON ALL TABLES IN SCHEMA public FROM tgsync_dashboards;
        GRANT SELECT ON
            "dashboard_peer_info",
            "dashboard_dialogs",
            "dashboard_peers",
            "dashboard_sync_runs",
            "dashboard_dialog_history",
            "dashboard_peer_errors",
            "dashboard_update_states",
            "dashboard_accounts"
        TO tgsync_dashboards;
    END IF;
END
$$;
