-- The resolution phase's progress on the run row (issue 17): a run with many new peers spends its first
-- minutes resolving them, before peers_total is known; `sync` shows these counts meanwhile.
ALTER TABLE "sync_runs" ADD COLUMN "peers_to_resolve" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "peers_resolve_done" INTEGER NOT NULL DEFAULT 0;
