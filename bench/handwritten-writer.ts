/**
 * (b) of the write-path benchmark: the best hand-written equivalent of the job's writer with plain `pg`.
 * One set-based statement per table per batch — INSERT … SELECT FROM unnest(one array per column)
 * LEFT JOIN the stored row (for the merge rules) ON CONFLICT DO UPDATE … WHERE content IS DISTINCT FROM
 * — over the same mapped rows (BatchRows) the job writes, with the same rules, so both leave identical
 * tables. Every statement is written out below so a reader can judge it.
 */
import type pg from 'pg';
import type { BatchRows } from '../src/model/rows.ts';

const s = (v: bigint | null) => (v === null ? null : v.toString());
const json = (v: unknown) => JSON.stringify(v);
const usernames = (v: readonly string[]) => JSON.stringify(v);
/** text[] from a JSON array string (unnest cannot carry one array per row). */
const arr = (col: string) => `ARRAY(SELECT jsonb_array_elements_text(i.${col}::jsonb))`;

const USERS = `
INSERT INTO users AS t (id, first_name, last_name, username, usernames, is_bot, is_verified, is_premium, is_scam, is_fake,
  is_support, is_restricted, is_deleted, has_photo, lang_code, is_min, tl_object, created_at, updated_at)
SELECT i.id,
  CASE WHEN s.id IS NOT NULL AND i.personal THEN s.first_name ELSE i.first_name END,
  CASE WHEN s.id IS NOT NULL AND i.personal THEN s.last_name ELSE i.last_name END,
  i.username, ${arr('usernames')}, i.is_bot, i.is_verified, i.is_premium, i.is_scam, i.is_fake, i.is_support,
  i.is_restricted, i.is_deleted, i.has_photo,
  CASE WHEN s.id IS NOT NULL AND i.is_min AND NOT s.is_min THEN s.lang_code ELSE i.lang_code END,
  CASE WHEN s.id IS NULL THEN i.is_min ELSE s.is_min AND i.is_min END,
  CASE WHEN s.id IS NOT NULL AND i.is_min AND NOT s.is_min THEN s.tl_object ELSE i.tl_object END,
  now(), now()
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bool[], $7::bool[], $8::bool[], $9::bool[],
  $10::bool[], $11::bool[], $12::bool[], $13::bool[], $14::bool[], $15::text[], $16::bool[], $17::jsonb[], $18::bool[])
  AS i(id, first_name, last_name, username, usernames, is_bot, is_verified, is_premium, is_scam, is_fake, is_support,
       is_restricted, is_deleted, has_photo, lang_code, is_min, tl_object, personal)
LEFT JOIN users s ON s.id = i.id
ORDER BY i.id
ON CONFLICT (id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, username = EXCLUDED.username,
  usernames = EXCLUDED.usernames, is_bot = EXCLUDED.is_bot, is_verified = EXCLUDED.is_verified, is_premium = EXCLUDED.is_premium,
  is_scam = EXCLUDED.is_scam, is_fake = EXCLUDED.is_fake, is_support = EXCLUDED.is_support, is_restricted = EXCLUDED.is_restricted,
  is_deleted = EXCLUDED.is_deleted, has_photo = EXCLUDED.has_photo, lang_code = EXCLUDED.lang_code, is_min = EXCLUDED.is_min,
  tl_object = EXCLUDED.tl_object, updated_at = now()
WHERE (t.first_name, t.last_name, t.username, t.usernames, t.is_bot, t.is_verified, t.is_premium, t.is_scam, t.is_fake,
       t.is_support, t.is_restricted, t.is_deleted, t.has_photo, t.lang_code, t.is_min)
  IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.username, EXCLUDED.usernames, EXCLUDED.is_bot,
       EXCLUDED.is_verified, EXCLUDED.is_premium, EXCLUDED.is_scam, EXCLUDED.is_fake, EXCLUDED.is_support,
       EXCLUDED.is_restricted, EXCLUDED.is_deleted, EXCLUDED.has_photo, EXCLUDED.lang_code, EXCLUDED.is_min)
RETURNING xmax = 0 AS inserted`;

const ACCOUNT_USERS = `
INSERT INTO account_users AS t (account_id, user_id, access_hash, is_contact, is_mutual_contact, is_close_friend,
  first_name, last_name, phone, last_status, created_at, updated_at)
SELECT i.account_id, i.user_id, COALESCE(i.access_hash, s.access_hash), i.is_contact, i.is_mutual_contact, i.is_close_friend,
  i.first_name, i.last_name, COALESCE(i.phone, s.phone), i.last_status, now(), now()
FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bool[], $5::bool[], $6::bool[], $7::text[], $8::text[], $9::text[], $10::text[])
  AS i(account_id, user_id, access_hash, is_contact, is_mutual_contact, is_close_friend, first_name, last_name, phone, last_status)
LEFT JOIN account_users s ON s.account_id = i.account_id AND s.user_id = i.user_id
ORDER BY i.account_id, i.user_id
ON CONFLICT (account_id, user_id) DO UPDATE SET access_hash = EXCLUDED.access_hash, is_contact = EXCLUDED.is_contact,
  is_mutual_contact = EXCLUDED.is_mutual_contact, is_close_friend = EXCLUDED.is_close_friend, first_name = EXCLUDED.first_name,
  last_name = EXCLUDED.last_name, phone = EXCLUDED.phone, last_status = EXCLUDED.last_status, updated_at = now()
WHERE (t.access_hash, t.is_contact, t.is_mutual_contact, t.is_close_friend, t.first_name, t.last_name, t.phone)
  IS DISTINCT FROM (EXCLUDED.access_hash, EXCLUDED.is_contact, EXCLUDED.is_mutual_contact, EXCLUDED.is_close_friend,
       EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.phone)
RETURNING xmax = 0 AS inserted`;

const CHATS = `
INSERT INTO chats AS t (id, title, participants_count, is_deactivated, has_photo, migrated_to_channel_id,
  created_on_telegram_at, tl_object, created_at, updated_at)
SELECT i.id, i.title,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.participants_count ELSE i.participants_count END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_deactivated ELSE i.is_deactivated END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.has_photo ELSE i.has_photo END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.migrated_to_channel_id ELSE i.migrated_to_channel_id END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.created_on_telegram_at ELSE to_timestamp(i.created_on_telegram_at) END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.tl_object ELSE i.tl_object END,
  now(), now()
FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bool[], $5::bool[], $6::bigint[], $7::float8[], $8::jsonb[], $9::bool[])
  AS i(id, title, participants_count, is_deactivated, has_photo, migrated_to_channel_id, created_on_telegram_at, tl_object, forbidden)
LEFT JOIN chats s ON s.id = i.id
ORDER BY i.id
ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, participants_count = EXCLUDED.participants_count,
  is_deactivated = EXCLUDED.is_deactivated, has_photo = EXCLUDED.has_photo, migrated_to_channel_id = EXCLUDED.migrated_to_channel_id,
  created_on_telegram_at = EXCLUDED.created_on_telegram_at, tl_object = EXCLUDED.tl_object, updated_at = now()
WHERE (t.title, t.participants_count, t.is_deactivated, t.has_photo, t.migrated_to_channel_id, t.created_on_telegram_at)
  IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.participants_count, EXCLUDED.is_deactivated, EXCLUDED.has_photo,
       EXCLUDED.migrated_to_channel_id, EXCLUDED.created_on_telegram_at)
RETURNING xmax = 0 AS inserted`;

const ACCOUNT_CHATS = `
INSERT INTO account_chats AS t (account_id, chat_id, is_creator, is_admin, is_left, is_forbidden, forbidden_since, created_at, updated_at)
SELECT i.account_id, i.chat_id,
  CASE WHEN s.chat_id IS NOT NULL AND i.is_forbidden THEN s.is_creator ELSE i.is_creator END,
  CASE WHEN s.chat_id IS NOT NULL AND i.is_forbidden THEN s.is_admin ELSE i.is_admin END,
  i.is_left, i.is_forbidden, CASE WHEN i.is_forbidden THEN COALESCE(s.forbidden_since, now()) END, now(), now()
FROM unnest($1::int[], $2::bigint[], $3::bool[], $4::bool[], $5::bool[], $6::bool[])
  AS i(account_id, chat_id, is_creator, is_admin, is_left, is_forbidden)
LEFT JOIN account_chats s ON s.account_id = i.account_id AND s.chat_id = i.chat_id
ORDER BY i.account_id, i.chat_id
ON CONFLICT (account_id, chat_id) DO UPDATE SET is_creator = EXCLUDED.is_creator, is_admin = EXCLUDED.is_admin,
  is_left = EXCLUDED.is_left, is_forbidden = EXCLUDED.is_forbidden, forbidden_since = EXCLUDED.forbidden_since, updated_at = now()
WHERE (t.is_creator, t.is_admin, t.is_left, t.is_forbidden, t.forbidden_since)
  IS DISTINCT FROM (EXCLUDED.is_creator, EXCLUDED.is_admin, EXCLUDED.is_left, EXCLUDED.is_forbidden, EXCLUDED.forbidden_since)
RETURNING xmax = 0 AS inserted`;

const CHANNELS = `
INSERT INTO channels AS t (id, title, username, usernames, is_broadcast, is_megagroup, is_gigagroup, is_forum, is_verified,
  is_scam, is_fake, is_restricted, has_photo, participants_count, is_min, tl_object, created_at, updated_at)
SELECT i.id, i.title,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.username ELSE i.username END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.usernames ELSE ${arr('usernames')} END,
  i.is_broadcast, i.is_megagroup,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_gigagroup ELSE i.is_gigagroup END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_forum ELSE i.is_forum END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_verified ELSE i.is_verified END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_scam ELSE i.is_scam END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_fake ELSE i.is_fake END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.is_restricted ELSE i.is_restricted END,
  CASE WHEN s.id IS NOT NULL AND i.forbidden THEN s.has_photo ELSE i.has_photo END,
  CASE WHEN s.id IS NOT NULL AND ((i.is_min AND NOT s.is_min) OR i.forbidden) THEN s.participants_count ELSE i.participants_count END,
  CASE WHEN s.id IS NULL THEN i.is_min ELSE s.is_min AND i.is_min END,
  CASE WHEN s.id IS NOT NULL AND ((i.is_min AND NOT s.is_min) OR i.forbidden) THEN s.tl_object ELSE i.tl_object END,
  now(), now()
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::bool[], $8::bool[], $9::bool[],
  $10::bool[], $11::bool[], $12::bool[], $13::bool[], $14::int[], $15::bool[], $16::jsonb[], $17::bool[])
  AS i(id, title, username, usernames, is_broadcast, is_megagroup, is_gigagroup, is_forum, is_verified, is_scam, is_fake,
       is_restricted, has_photo, participants_count, is_min, tl_object, forbidden)
LEFT JOIN channels s ON s.id = i.id
ORDER BY i.id
ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, username = EXCLUDED.username, usernames = EXCLUDED.usernames,
  is_broadcast = EXCLUDED.is_broadcast, is_megagroup = EXCLUDED.is_megagroup, is_gigagroup = EXCLUDED.is_gigagroup,
  is_forum = EXCLUDED.is_forum, is_verified = EXCLUDED.is_verified, is_scam = EXCLUDED.is_scam, is_fake = EXCLUDED.is_fake,
  is_restricted = EXCLUDED.is_restricted, has_photo = EXCLUDED.has_photo, participants_count = EXCLUDED.participants_count,
  is_min = EXCLUDED.is_min, tl_object = EXCLUDED.tl_object, updated_at = now()
WHERE (t.title, t.username, t.usernames, t.is_broadcast, t.is_megagroup, t.is_gigagroup, t.is_forum, t.is_verified, t.is_scam,
       t.is_fake, t.is_restricted, t.has_photo, t.participants_count, t.is_min)
  IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.username, EXCLUDED.usernames, EXCLUDED.is_broadcast, EXCLUDED.is_megagroup,
       EXCLUDED.is_gigagroup, EXCLUDED.is_forum, EXCLUDED.is_verified, EXCLUDED.is_scam, EXCLUDED.is_fake,
       EXCLUDED.is_restricted, EXCLUDED.has_photo, EXCLUDED.participants_count, EXCLUDED.is_min)
RETURNING xmax = 0 AS inserted`;

const ACCOUNT_CHANNELS = `
INSERT INTO account_channels AS t (account_id, channel_id, access_hash, is_creator, is_admin, is_left, is_banned, joined_at,
  is_forbidden, forbidden_since, forbidden_until, created_at, updated_at)
SELECT i.account_id, i.channel_id, COALESCE(i.access_hash, s.access_hash),
  CASE WHEN s.channel_id IS NOT NULL AND i.is_forbidden THEN s.is_creator ELSE i.is_creator END,
  CASE WHEN s.channel_id IS NOT NULL AND i.is_forbidden THEN s.is_admin ELSE i.is_admin END,
  i.is_left, i.is_banned,
  CASE WHEN s.channel_id IS NOT NULL AND i.is_forbidden THEN s.joined_at ELSE to_timestamp(i.joined_at) END,
  i.is_forbidden, CASE WHEN i.is_forbidden THEN COALESCE(s.forbidden_since, now()) END, to_timestamp(i.forbidden_until),
  now(), now()
FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bool[], $5::bool[], $6::bool[], $7::bool[], $8::float8[], $9::bool[], $10::float8[])
  AS i(account_id, channel_id, access_hash, is_creator, is_admin, is_left, is_banned, joined_at, is_forbidden, forbidden_until)
LEFT JOIN account_channels s ON s.account_id = i.account_id AND s.channel_id = i.channel_id
ORDER BY i.account_id, i.channel_id
ON CONFLICT (account_id, channel_id) DO UPDATE SET access_hash = EXCLUDED.access_hash, is_creator = EXCLUDED.is_creator,
  is_admin = EXCLUDED.is_admin, is_left = EXCLUDED.is_left, is_banned = EXCLUDED.is_banned, joined_at = EXCLUDED.joined_at,
  is_forbidden = EXCLUDED.is_forbidden, forbidden_since = EXCLUDED.forbidden_since, forbidden_until = EXCLUDED.forbidden_until,
  updated_at = now()
WHERE (t.access_hash, t.is_creator, t.is_admin, t.is_left, t.is_banned, t.joined_at, t.is_forbidden, t.forbidden_since, t.forbidden_until)
  IS DISTINCT FROM (EXCLUDED.access_hash, EXCLUDED.is_creator, EXCLUDED.is_admin, EXCLUDED.is_left, EXCLUDED.is_banned,
       EXCLUDED.joined_at, EXCLUDED.is_forbidden, EXCLUDED.forbidden_since, EXCLUDED.forbidden_until)
RETURNING xmax = 0 AS inserted`;

/** Before the dialogs upsert: a snapshot for each new dialog or changed counter. */
const DIALOG_SNAPSHOTS = `
INSERT INTO dialog_snapshots (account_id, peer_type, peer_id, run_id, captured_at, top_message_id, read_inbox_max_id,
  read_outbox_max_id, unread_count, unread_mentions_count, unread_reactions_count)
SELECT i.account_id, i.peer_type, i.peer_id, $8::bigint, now(), i.top, i.rin, i.rout, i.unread, i.mentions, i.reactions
FROM unnest($1::int[], $2::peer_type[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::int[], $9::int[], $10::int[])
  AS i(account_id, peer_type, peer_id, top, rin, rout, unread, mentions, reactions)
LEFT JOIN dialogs d ON d.account_id = i.account_id AND d.peer_type = i.peer_type AND d.peer_id = i.peer_id
WHERE d.account_id IS NULL OR (d.top_message_id, d.read_inbox_max_id, d.read_outbox_max_id, d.unread_count,
  d.unread_mentions_count, d.unread_reactions_count) IS DISTINCT FROM (i.top, i.rin, i.rout, i.unread, i.mentions, i.reactions)
ORDER BY i.account_id, i.peer_type, i.peer_id`;

const DIALOGS = `
INSERT INTO dialogs AS t (account_id, peer_type, peer_id, top_message_id, read_inbox_max_id, read_outbox_max_id, unread_count,
  unread_mentions_count, unread_reactions_count, is_pinned, is_unread_marked, folder_id, pts, ttl_period, muted_until,
  is_muted_forever, has_draft, draft_date, created_at, updated_at)
SELECT i.account_id, i.peer_type, i.peer_id, i.top, i.rin, i.rout, i.unread, i.mentions, i.reactions, i.is_pinned,
  i.is_unread_marked, i.folder_id, i.pts, i.ttl_period, to_timestamp(i.muted_until), i.is_muted_forever, i.has_draft,
  to_timestamp(i.draft_date), now(), now()
FROM unnest($1::int[], $2::peer_type[], $3::bigint[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::bool[],
  $11::bool[], $12::int[], $13::int[], $14::int[], $15::float8[], $16::bool[], $17::bool[], $18::float8[])
  AS i(account_id, peer_type, peer_id, top, rin, rout, unread, mentions, reactions, is_pinned, is_unread_marked, folder_id, pts,
       ttl_period, muted_until, is_muted_forever, has_draft, draft_date)
ORDER BY i.account_id, i.peer_type, i.peer_id
ON CONFLICT (account_id, peer_type, peer_id) DO UPDATE SET top_message_id = EXCLUDED.top_message_id,
  read_inbox_max_id = EXCLUDED.read_inbox_max_id, read_outbox_max_id = EXCLUDED.read_outbox_max_id,
  unread_count = EXCLUDED.unread_count, unread_mentions_count = EXCLUDED.unread_mentions_count,
  unread_reactions_count = EXCLUDED.unread_reactions_count, is_pinned = EXCLUDED.is_pinned,
  is_unread_marked = EXCLUDED.is_unread_marked, folder_id = EXCLUDED.folder_id, pts = EXCLUDED.pts,
  ttl_period = EXCLUDED.ttl_period, muted_until = EXCLUDED.muted_until, is_muted_forever = EXCLUDED.is_muted_forever,
  has_draft = EXCLUDED.has_draft, draft_date = EXCLUDED.draft_date, updated_at = now()
WHERE (t.top_message_id, t.read_inbox_max_id, t.read_outbox_max_id, t.unread_count, t.unread_mentions_count,
       t.unread_reactions_count, t.is_pinned, t.is_unread_marked, t.folder_id, t.pts, t.ttl_period, t.muted_until,
       t.is_muted_forever, t.has_draft, t.draft_date)
  IS DISTINCT FROM (EXCLUDED.top_message_id, EXCLUDED.read_inbox_max_id, EXCLUDED.read_outbox_max_id, EXCLUDED.unread_count,
       EXCLUDED.unread_mentions_count, EXCLUDED.unread_reactions_count, EXCLUDED.is_pinned, EXCLUDED.is_unread_marked,
       EXCLUDED.folder_id, EXCLUDED.pts, EXCLUDED.ttl_period, EXCLUDED.muted_until, EXCLUDED.is_muted_forever,
       EXCLUDED.has_draft, EXCLUDED.draft_date)
RETURNING xmax = 0 AS inserted`;

/** A messageEmpty tombstone never replaces a stored message: then the stored row is re-proposed as is. */
const MESSAGES = `
INSERT INTO messages AS t (account_id, peer_type, peer_id, id, kind, sender_type, sender_id, text, media_kind, service_action,
  reply_to_message_id, reply_to_top_id, is_outgoing, is_post, is_pinned, is_forwarded, grouped_id, views, forwards, tl_object,
  sent_at, edited_at, created_at, updated_at)
SELECT i.account_id, i.peer_type, i.peer_id, i.id, m.*, now(), now()
FROM unnest($1::int[], $2::peer_type[], $3::bigint[], $4::int[], $5::message_kind[], $6::peer_type[], $7::bigint[], $8::text[],
  $9::text[], $10::text[], $11::int[], $12::int[], $13::bool[], $14::bool[], $15::bool[], $16::bool[], $17::bigint[], $18::int[],
  $19::int[], $20::jsonb[], $21::float8[], $22::float8[])
  AS i(account_id, peer_type, peer_id, id, kind, sender_type, sender_id, text, media_kind, service_action, reply_to_message_id,
       reply_to_top_id, is_outgoing, is_post, is_pinned, is_forwarded, grouped_id, views, forwards, tl_object, sent_at, edited_at)
LEFT JOIN messages s ON s.account_id = i.account_id AND s.peer_type = i.peer_type AND s.peer_id = i.peer_id AND s.id = i.id
CROSS JOIN LATERAL (
  SELECT s.kind, s.sender_type, s.sender_id, s.text, s.media_kind, s.service_action, s.reply_to_message_id, s.reply_to_top_id,
    s.is_outgoing, s.is_post, s.is_pinned, s.is_forwarded, s.grouped_id, s.views, s.forwards, s.tl_object, s.sent_at, s.edited_at
  WHERE s.id IS NOT NULL AND i.kind = 'empty'
  UNION ALL
  SELECT i.kind, i.sender_type, i.sender_id, i.text, i.media_kind, i.service_action, i.reply_to_message_id, i.reply_to_top_id,
    i.is_outgoing, i.is_post, i.is_pinned, i.is_forwarded, i.grouped_id, i.views, i.forwards, i.tl_object,
    to_timestamp(i.sent_at), to_timestamp(i.edited_at)
  WHERE NOT (s.id IS NOT NULL AND i.kind = 'empty')
) m
ORDER BY i.account_id, i.peer_type, i.peer_id, i.id
ON CONFLICT (account_id, peer_type, peer_id, id) DO UPDATE SET kind = EXCLUDED.kind, sender_type = EXCLUDED.sender_type,
  sender_id = EXCLUDED.sender_id, text = EXCLUDED.text, media_kind = EXCLUDED.media_kind, service_action = EXCLUDED.service_action,
  reply_to_message_id = EXCLUDED.reply_to_message_id, reply_to_top_id = EXCLUDED.reply_to_top_id,
  is_outgoing = EXCLUDED.is_outgoing, is_post = EXCLUDED.is_post, is_pinned = EXCLUDED.is_pinned,
  is_forwarded = EXCLUDED.is_forwarded, grouped_id = EXCLUDED.grouped_id, views = EXCLUDED.views, forwards = EXCLUDED.forwards,
  tl_object = EXCLUDED.tl_object, sent_at = EXCLUDED.sent_at, edited_at = EXCLUDED.edited_at, updated_at = now()
WHERE (t.kind, t.sender_type, t.sender_id, t.text, t.media_kind, t.service_action, t.reply_to_message_id, t.reply_to_top_id,
       t.is_outgoing, t.is_post, t.is_pinned, t.is_forwarded, t.grouped_id, t.sent_at, t.edited_at)
  IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.sender_type, EXCLUDED.sender_id, EXCLUDED.text, EXCLUDED.media_kind,
       EXCLUDED.service_action, EXCLUDED.reply_to_message_id, EXCLUDED.reply_to_top_id, EXCLUDED.is_outgoing, EXCLUDED.is_post,
       EXCLUDED.is_pinned, EXCLUDED.is_forwarded, EXCLUDED.grouped_id, EXCLUDED.sent_at, EXCLUDED.edited_at)
RETURNING xmax = 0 AS inserted`;

const STATE = `
INSERT INTO account_update_states AS t (account_id, pts, qts, seq, unread_count, state_date, updated_at)
VALUES ($1, $2, $3, $4, $5, to_timestamp($6), now())
ON CONFLICT (account_id) DO UPDATE SET pts = EXCLUDED.pts, qts = EXCLUDED.qts, seq = EXCLUDED.seq,
  unread_count = EXCLUDED.unread_count, state_date = EXCLUDED.state_date, updated_at = now()
WHERE (t.pts, t.qts, t.seq, t.unread_count) IS DISTINCT FROM (EXCLUDED.pts, EXCLUDED.qts, EXCLUDED.seq, EXCLUDED.unread_count)
RETURNING xmax = 0 AS inserted`;

export interface Counts {
  inserted: number;
  updated: number;
}

/** Columns of `rows` as one array per column, in the order of `pick`'s result. */
function columns<Row>(rows: readonly Row[], pick: (row: Row) => unknown[]): unknown[][] {
  const out: unknown[][] = [];
  for (const row of rows) {
    const values = pick(row);
    values.forEach((value, index) => (out[index] ??= []).push(value));
  }
  return out;
}

/**
 * The same planner settings the job's writer function pins (see writeBatchFunctionSql in
 * src/store/write-batch.ts), for the session: each statement touches at most ~100 keys per table, so
 * index lookups are right at every table size, and a named statement's cached plan chosen while the
 * tables were small (hash joins over sequential scans) would otherwise scan them whole on every batch
 * once they have grown. Without them this writer is markedly slower over a filled database, which
 * would flatter the job: (b) is meant to be the best hand-written writer.
 */
export const HANDWRITTEN_SESSION_SETTINGS =
  'SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off';

/** Named statements: parsed and planned once per connection. */
const names = new Map<string, string>();
const nameOf = (sql: string) =>
  names.get(sql) ?? (names.set(sql, `bench_hand_${names.size + 1}`), names.get(sql) as string);

async function run<Row>(
  db: pg.ClientBase,
  sql: string,
  rows: readonly Row[],
  pick: (row: Row) => unknown[],
): Promise<Counts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 };
  const result = await db.query<{ inserted: boolean }>({ name: nameOf(sql), text: sql, values: columns(rows, pick) });
  const inserted = result.rows.filter((row) => row.inserted).length;
  return { inserted, updated: result.rows.length - inserted };
}

/** Writes one reply's rows in one transaction; same table order as the job. */
export async function writeBatchHandwritten(
  db: pg.ClientBase,
  rows: BatchRows,
  runId: bigint | null,
): Promise<Record<string, Counts>> {
  await db.query('BEGIN');
  try {
    const counts: Record<string, Counts> = {};
    counts.users = await run(db, USERS, rows.users, (r) => [
      s(r.id),
      r.firstName,
      r.lastName,
      r.username,
      usernames(r.usernames),
      r.isBot,
      r.isVerified,
      r.isPremium,
      r.isScam,
      r.isFake,
      r.isSupport,
      r.isRestricted,
      r.isDeleted,
      r.hasPhoto,
      r.langCode,
      r.isMin,
      json(r.tlObject),
      r.namesArePersonal,
    ]);
    counts.accountUsers = await run(db, ACCOUNT_USERS, rows.accountUsers, (r) => [
      r.accountId,
      s(r.userId),
      s(r.accessHash),
      r.isContact,
      r.isMutualContact,
      r.isCloseFriend,
      r.firstName,
      r.lastName,
      r.phone,
      r.lastStatus,
    ]);
    counts.chats = await run(db, CHATS, rows.chats, (r) => [
      s(r.id),
      r.title,
      r.participantsCount,
      r.isDeactivated,
      r.hasPhoto,
      s(r.migratedToChannelId),
      r.createdOnTelegramAt,
      json(r.tlObject),
      r.isForbidden,
    ]);
    counts.accountChats = await run(db, ACCOUNT_CHATS, rows.accountChats, (r) => [
      r.accountId,
      s(r.chatId),
      r.isCreator,
      r.isAdmin,
      r.isLeft,
      r.isForbidden,
    ]);
    counts.channels = await run(db, CHANNELS, rows.channels, (r) => [
      s(r.id),
      r.title,
      r.username,
      usernames(r.usernames),
      r.isBroadcast,
      r.isMegagroup,
      r.isGigagroup,
      r.isForum,
      r.isVerified,
      r.isScam,
      r.isFake,
      r.isRestricted,
      r.hasPhoto,
      r.participantsCount,
      r.isMin,
      json(r.tlObject),
      r.isForbidden,
    ]);
    counts.accountChannels = await run(db, ACCOUNT_CHANNELS, rows.accountChannels, (r) => [
      r.accountId,
      s(r.channelId),
      s(r.accessHash),
      r.isCreator,
      r.isAdmin,
      r.isLeft,
      r.isBanned,
      r.joinedAt,
      r.isForbidden,
      r.forbiddenUntil,
    ]);
    if (rows.dialogs.length > 0) {
      const [a, b, c, d, e, f, g, h, i] = columns(rows.dialogs, (r) => [
        r.accountId,
        r.peerType,
        s(r.peerId),
        r.topMessageId,
        r.readInboxMaxId,
        r.readOutboxMaxId,
        r.unreadCount,
        r.unreadMentionsCount,
        r.unreadReactionsCount,
      ]);
      const snapshots = await db.query({
        name: nameOf(DIALOG_SNAPSHOTS),
        text: DIALOG_SNAPSHOTS,
        values: [a, b, c, d, e, f, g, s(runId), h, i],
      });
      counts.dialogSnapshots = { inserted: snapshots.rowCount ?? 0, updated: 0 };
    }
    counts.dialogs = await run(db, DIALOGS, rows.dialogs, (r) => [
      r.accountId,
      r.peerType,
      s(r.peerId),
      r.topMessageId,
      r.readInboxMaxId,
      r.readOutboxMaxId,
      r.unreadCount,
      r.unreadMentionsCount,
      r.unreadReactionsCount,
      r.isPinned,
      r.isUnreadMarked,
      r.folderId,
      r.pts,
      r.ttlPeriod,
      r.mutedUntil,
      r.isMutedForever,
      r.hasDraft,
      r.draftDate,
    ]);
    counts.messages = await run(db, MESSAGES, rows.messages, (r) => [
      r.accountId,
      r.peerType,
      s(r.peerId),
      r.id,
      r.kind,
      r.senderType,
      s(r.senderId),
      r.text,
      r.mediaKind,
      r.serviceAction,
      r.replyToMessageId,
      r.replyToTopId,
      r.isOutgoing,
      r.isPost,
      r.isPinned,
      r.isForwarded,
      s(r.groupedId),
      r.views,
      r.forwards,
      json(r.tlObject),
      r.sentAt,
      r.editedAt,
    ]);
    if (rows.state !== null) {
      const st = rows.state;
      const result = await db.query<{ inserted: boolean }>({
        name: nameOf(STATE),
        text: STATE,
        values: [st.accountId, st.pts, st.qts, st.seq, st.unreadCount, st.stateDate],
      });
      counts.state = {
        inserted: result.rows.filter((row) => row.inserted).length,
        updated: result.rows.filter((row) => !row.inserted).length,
      };
    }
    await db.query('COMMIT');
    return counts;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
