-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "peer_type" AS ENUM ('user', 'chat', 'channel');

-- CreateEnum
CREATE TYPE "account_status" AS ENUM ('active', 'needs_login', 'frozen', 'disabled');

-- CreateEnum
CREATE TYPE "peer_source" AS ENUM ('file', 'cli');

-- CreateEnum
CREATE TYPE "peer_sync_status" AS ENUM ('pending', 'synced', 'no_dialog', 'failing', 'unresolvable', 'duplicate');

-- CreateEnum
CREATE TYPE "sync_run_status" AS ENUM ('running', 'succeeded', 'deferred', 'failed', 'interrupted', 'abandoned');

-- CreateEnum
CREATE TYPE "message_kind" AS ENUM ('message', 'service', 'empty');

-- CreateTable
CREATE TABLE "accounts" (
    "id" SERIAL NOT NULL,
    "label" TEXT NOT NULL,
    "telegram_user_id" BIGINT,
    "status" "account_status" NOT NULL DEFAULT 'needs_login',
    "status_reason" TEXT,
    "last_login_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_sessions" (
    "account_id" INTEGER NOT NULL,
    "key_id" TEXT NOT NULL,
    "iv" BYTEA NOT NULL,
    "auth_tag" BYTEA NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_sessions_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "account_method_waits" (
    "account_id" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "resume_at" TIMESTAMPTZ(6) NOT NULL,
    "requested_seconds" INTEGER NOT NULL,
    "error_message" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_method_waits_pkey" PRIMARY KEY ("account_id","method")
);

-- CreateTable
CREATE TABLE "configured_peers" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "input" TEXT NOT NULL,
    "normalized_input" TEXT NOT NULL,
    "source" "peer_source" NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "peer_type" "peer_type",
    "peer_id" BIGINT,
    "resolved_at" TIMESTAMPTZ(6),
    "duplicate_of_id" BIGINT,
    "status" "peer_sync_status" NOT NULL DEFAULT 'pending',
    "last_attempt_at" TIMESTAMPTZ(6),
    "last_synced_at" TIMESTAMPTZ(6),
    "last_error_code" TEXT,
    "last_error_text" TEXT,
    "last_error_at" TIMESTAMPTZ(6),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "configured_peers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" BIGINT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "username" TEXT,
    "usernames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "is_bot" BOOLEAN NOT NULL DEFAULT false,
    "is_verified" BOOLEAN NOT NULL DEFAULT false,
    "is_premium" BOOLEAN NOT NULL DEFAULT false,
    "is_scam" BOOLEAN NOT NULL DEFAULT false,
    "is_fake" BOOLEAN NOT NULL DEFAULT false,
    "is_support" BOOLEAN NOT NULL DEFAULT false,
    "is_restricted" BOOLEAN NOT NULL DEFAULT false,
    "is_deleted" BOOLEAN NOT NULL DEFAULT false,
    "has_photo" BOOLEAN NOT NULL DEFAULT false,
    "lang_code" TEXT,
    "is_min" BOOLEAN NOT NULL DEFAULT false,
    "tl_object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_users" (
    "account_id" INTEGER NOT NULL,
    "user_id" BIGINT NOT NULL,
    "access_hash" BIGINT,
    "is_contact" BOOLEAN NOT NULL DEFAULT false,
    "is_mutual_contact" BOOLEAN NOT NULL DEFAULT false,
    "is_close_friend" BOOLEAN NOT NULL DEFAULT false,
    "first_name" TEXT,
    "last_name" TEXT,
    "phone" TEXT,
    "last_status" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_users_pkey" PRIMARY KEY ("account_id","user_id")
);

-- CreateTable
CREATE TABLE "chats" (
    "id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "participants_count" INTEGER,
    "is_deactivated" BOOLEAN NOT NULL DEFAULT false,
    "has_photo" BOOLEAN NOT NULL DEFAULT false,
    "migrated_to_channel_id" BIGINT,
    "created_on_telegram_at" TIMESTAMPTZ(6),
    "tl_object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chats_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_chats" (
    "account_id" INTEGER NOT NULL,
    "chat_id" BIGINT NOT NULL,
    "is_creator" BOOLEAN NOT NULL DEFAULT false,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "is_left" BOOLEAN NOT NULL DEFAULT false,
    "is_forbidden" BOOLEAN NOT NULL DEFAULT false,
    "forbidden_since" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_chats_pkey" PRIMARY KEY ("account_id","chat_id")
);

-- CreateTable
CREATE TABLE "channels" (
    "id" BIGINT NOT NULL,
    "title" TEXT NOT NULL,
    "username" TEXT,
    "usernames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "is_broadcast" BOOLEAN NOT NULL DEFAULT false,
    "is_megagroup" BOOLEAN NOT NULL DEFAULT false,
    "is_gigagroup" BOOLEAN NOT NULL DEFAULT false,
    "is_forum" BOOLEAN NOT NULL DEFAULT false,
    "is_verified" BOOLEAN NOT NULL DEFAULT false,
    "is_scam" BOOLEAN NOT NULL DEFAULT false,
    "is_fake" BOOLEAN NOT NULL DEFAULT false,
    "is_restricted" BOOLEAN NOT NULL DEFAULT false,
    "has_photo" BOOLEAN NOT NULL DEFAULT false,
    "participants_count" INTEGER,
    "is_min" BOOLEAN NOT NULL DEFAULT false,
    "tl_object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_channels" (
    "account_id" INTEGER NOT NULL,
    "channel_id" BIGINT NOT NULL,
    "access_hash" BIGINT,
    "is_creator" BOOLEAN NOT NULL DEFAULT false,
    "is_admin" BOOLEAN NOT NULL DEFAULT false,
    "is_left" BOOLEAN NOT NULL DEFAULT false,
    "is_banned" BOOLEAN NOT NULL DEFAULT false,
    "joined_at" TIMESTAMPTZ(6),
    "is_forbidden" BOOLEAN NOT NULL DEFAULT false,
    "forbidden_since" TIMESTAMPTZ(6),
    "forbidden_until" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_channels_pkey" PRIMARY KEY ("account_id","channel_id")
);

-- CreateTable
CREATE TABLE "dialogs" (
    "account_id" INTEGER NOT NULL,
    "peer_type" "peer_type" NOT NULL,
    "peer_id" BIGINT NOT NULL,
    "top_message_id" INTEGER NOT NULL,
    "read_inbox_max_id" INTEGER NOT NULL,
    "read_outbox_max_id" INTEGER NOT NULL,
    "unread_count" INTEGER NOT NULL,
    "unread_mentions_count" INTEGER NOT NULL,
    "unread_reactions_count" INTEGER NOT NULL,
    "is_pinned" BOOLEAN NOT NULL DEFAULT false,
    "is_unread_marked" BOOLEAN NOT NULL DEFAULT false,
    "folder_id" INTEGER,
    "pts" INTEGER,
    "ttl_period" INTEGER,
    "muted_until" TIMESTAMPTZ(6),
    "is_muted_forever" BOOLEAN NOT NULL DEFAULT false,
    "has_draft" BOOLEAN NOT NULL DEFAULT false,
    "draft_date" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dialogs_pkey" PRIMARY KEY ("account_id","peer_type","peer_id")
);

-- CreateTable
CREATE TABLE "dialog_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "peer_type" "peer_type" NOT NULL,
    "peer_id" BIGINT NOT NULL,
    "run_id" BIGINT,
    "captured_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "top_message_id" INTEGER NOT NULL,
    "read_inbox_max_id" INTEGER NOT NULL,
    "read_outbox_max_id" INTEGER NOT NULL,
    "unread_count" INTEGER NOT NULL,
    "unread_mentions_count" INTEGER NOT NULL,
    "unread_reactions_count" INTEGER NOT NULL,

    CONSTRAINT "dialog_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "account_id" INTEGER NOT NULL,
    "peer_type" "peer_type" NOT NULL,
    "peer_id" BIGINT NOT NULL,
    "id" INTEGER NOT NULL,
    "kind" "message_kind" NOT NULL,
    "sender_type" "peer_type",
    "sender_id" BIGINT,
    "sent_at" TIMESTAMPTZ(6),
    "edited_at" TIMESTAMPTZ(6),
    "text" TEXT,
    "media_kind" TEXT,
    "service_action" TEXT,
    "reply_to_message_id" INTEGER,
    "reply_to_top_id" INTEGER,
    "is_outgoing" BOOLEAN NOT NULL DEFAULT false,
    "is_post" BOOLEAN NOT NULL DEFAULT false,
    "is_pinned" BOOLEAN NOT NULL DEFAULT false,
    "is_forwarded" BOOLEAN NOT NULL DEFAULT false,
    "grouped_id" BIGINT,
    "views" INTEGER,
    "forwards" INTEGER,
    "tl_object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("account_id","peer_type","peer_id","id")
);

-- CreateTable
CREATE TABLE "account_update_states" (
    "account_id" INTEGER NOT NULL,
    "pts" INTEGER NOT NULL,
    "qts" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "state_date" TIMESTAMPTZ(6) NOT NULL,
    "unread_count" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_update_states_pkey" PRIMARY KEY ("account_id")
);

-- CreateTable
CREATE TABLE "update_state_history" (
    "run_id" BIGINT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "pts" INTEGER NOT NULL,
    "qts" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "state_date" TIMESTAMPTZ(6) NOT NULL,
    "unread_count" INTEGER NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "update_state_history_pkey" PRIMARY KEY ("run_id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "status" "sync_run_status" NOT NULL DEFAULT 'running',
    "trigger" TEXT NOT NULL,
    "runner" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeat_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),
    "resume_at" TIMESTAMPTZ(6),
    "cycle_started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "peers_total" INTEGER NOT NULL DEFAULT 0,
    "peers_synced" INTEGER NOT NULL DEFAULT 0,
    "peers_skipped" INTEGER NOT NULL DEFAULT 0,
    "peers_failed" INTEGER NOT NULL DEFAULT 0,
    "peers_no_dialog" INTEGER NOT NULL DEFAULT 0,
    "peers_resolved" INTEGER NOT NULL DEFAULT 0,
    "api_calls" INTEGER NOT NULL DEFAULT 0,
    "retries" INTEGER NOT NULL DEFAULT 0,
    "flood_waits" INTEGER NOT NULL DEFAULT 0,
    "flood_wait_seconds" INTEGER NOT NULL DEFAULT 0,
    "flood_wait_slept_seconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "dialogs_inserted" INTEGER NOT NULL DEFAULT 0,
    "dialogs_updated" INTEGER NOT NULL DEFAULT 0,
    "messages_inserted" INTEGER NOT NULL DEFAULT 0,
    "messages_updated" INTEGER NOT NULL DEFAULT 0,
    "users_inserted" INTEGER NOT NULL DEFAULT 0,
    "users_updated" INTEGER NOT NULL DEFAULT 0,
    "chats_inserted" INTEGER NOT NULL DEFAULT 0,
    "chats_updated" INTEGER NOT NULL DEFAULT 0,
    "channels_inserted" INTEGER NOT NULL DEFAULT 0,
    "channels_updated" INTEGER NOT NULL DEFAULT 0,
    "waits" JSONB NOT NULL DEFAULT '[]',
    "error_kind" TEXT,
    "error_text" TEXT,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peer_sync_errors" (
    "id" BIGSERIAL NOT NULL,
    "account_id" INTEGER NOT NULL,
    "configured_peer_id" BIGINT,
    "run_id" BIGINT,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "error_code" TEXT NOT NULL,
    "error_text" TEXT NOT NULL,

    CONSTRAINT "peer_sync_errors_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_label_key" ON "accounts"("label");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_telegram_user_id_key" ON "accounts"("telegram_user_id");

-- CreateIndex
CREATE INDEX "configured_peers_account_id_peer_type_peer_id_idx" ON "configured_peers"("account_id", "peer_type", "peer_id");

-- CreateIndex
CREATE INDEX "configured_peers_account_id_enabled_next_attempt_at_idx" ON "configured_peers"("account_id", "enabled", "next_attempt_at");

-- CreateIndex
CREATE INDEX "configured_peers_status_idx" ON "configured_peers"("status");

-- CreateIndex
CREATE UNIQUE INDEX "configured_peers_account_id_normalized_input_key" ON "configured_peers"("account_id", "normalized_input");

-- CreateIndex
CREATE INDEX "users_username_idx" ON "users"("username");

-- CreateIndex
CREATE INDEX "account_users_user_id_idx" ON "account_users"("user_id");

-- CreateIndex
CREATE INDEX "chats_migrated_to_channel_id_idx" ON "chats"("migrated_to_channel_id");

-- CreateIndex
CREATE INDEX "account_chats_chat_id_idx" ON "account_chats"("chat_id");

-- CreateIndex
CREATE INDEX "channels_username_idx" ON "channels"("username");

-- CreateIndex
CREATE INDEX "account_channels_channel_id_idx" ON "account_channels"("channel_id");

-- CreateIndex
CREATE INDEX "dialogs_peer_type_peer_id_idx" ON "dialogs"("peer_type", "peer_id");

-- CreateIndex
CREATE INDEX "dialog_snapshots_account_id_peer_type_peer_id_captured_at_idx" ON "dialog_snapshots"("account_id", "peer_type", "peer_id", "captured_at");

-- CreateIndex
CREATE INDEX "dialog_snapshots_captured_at_idx" ON "dialog_snapshots"("captured_at");

-- CreateIndex
CREATE INDEX "dialog_snapshots_run_id_idx" ON "dialog_snapshots"("run_id");

-- CreateIndex
CREATE INDEX "messages_account_id_peer_type_peer_id_sent_at_idx" ON "messages"("account_id", "peer_type", "peer_id", "sent_at" DESC);

-- CreateIndex
CREATE INDEX "messages_sender_type_sender_id_idx" ON "messages"("sender_type", "sender_id");

-- CreateIndex
CREATE INDEX "messages_sent_at_idx" ON "messages"("sent_at");

-- CreateIndex
CREATE INDEX "update_state_history_account_id_recorded_at_idx" ON "update_state_history"("account_id", "recorded_at");

-- CreateIndex
CREATE INDEX "sync_runs_account_id_started_at_idx" ON "sync_runs"("account_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "sync_runs_status_idx" ON "sync_runs"("status");

-- CreateIndex
CREATE INDEX "peer_sync_errors_account_id_occurred_at_idx" ON "peer_sync_errors"("account_id", "occurred_at");

-- CreateIndex
CREATE INDEX "peer_sync_errors_configured_peer_id_idx" ON "peer_sync_errors"("configured_peer_id");

-- CreateIndex
CREATE INDEX "peer_sync_errors_run_id_idx" ON "peer_sync_errors"("run_id");

-- CreateIndex
CREATE INDEX "peer_sync_errors_error_code_idx" ON "peer_sync_errors"("error_code");

-- AddForeignKey
ALTER TABLE "account_sessions" ADD CONSTRAINT "account_sessions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_method_waits" ADD CONSTRAINT "account_method_waits_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "configured_peers" ADD CONSTRAINT "configured_peers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "configured_peers" ADD CONSTRAINT "configured_peers_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "configured_peers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_users" ADD CONSTRAINT "account_users_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_users" ADD CONSTRAINT "account_users_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_chats" ADD CONSTRAINT "account_chats_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_chats" ADD CONSTRAINT "account_chats_chat_id_fkey" FOREIGN KEY ("chat_id") REFERENCES "chats"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_channels" ADD CONSTRAINT "account_channels_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_channels" ADD CONSTRAINT "account_channels_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dialogs" ADD CONSTRAINT "dialogs_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dialog_snapshots" ADD CONSTRAINT "dialog_snapshots_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dialog_snapshots" ADD CONSTRAINT "dialog_snapshots_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_update_states" ADD CONSTRAINT "account_update_states_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "update_state_history" ADD CONSTRAINT "update_state_history_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "update_state_history" ADD CONSTRAINT "update_state_history_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_runs" ADD CONSTRAINT "sync_runs_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peer_sync_errors" ADD CONSTRAINT "peer_sync_errors_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peer_sync_errors" ADD CONSTRAINT "peer_sync_errors_configured_peer_id_fkey" FOREIGN KEY ("configured_peer_id") REFERENCES "configured_peers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "peer_sync_errors" ADD CONSTRAINT "peer_sync_errors_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "sync_runs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

