-- Ticks are no longer claimed by one replica: every replica enqueues each tick in the job queue
-- (graphile-worker, in its own schema), which keeps one job per account. worker_ticks goes with the
-- node-cron run coordinator that used it.
DROP TABLE IF EXISTS "worker_ticks";
