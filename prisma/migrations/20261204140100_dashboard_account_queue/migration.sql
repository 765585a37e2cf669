-- Where each account stands in the job queue, for dashboards: running (on which worker process, from
-- its open sync_runs row), queued (its job may start now), waiting (its job is scheduled for later:
-- a flood-wait deferral) or idle.
--
-- The queue (graphile-worker) lives in a schema of its own, installed by `db migrate` after these
-- migrations and named after this one: graphile_worker, or <schema>_graphile_worker with
-- DATABASE_URL's ?schema= (src/queue/queue-settings.ts). Its jobs are read through a function that
-- names that schema at run time (so this migration does not depend on the queue being installed yet;
-- before it is, no account has a job) and runs with its owner's rights, so that the dashboards role
-- reads this view and nothing of the queue itself.
DO $migration$
DECLARE
    queue_schema text := CASE WHEN current_schema() = 'public' THEN 'graphile_worker' ELSE current_schema() || '_graphile_worker' END;
    jobs_sql text;
BEGIN
    jobs_sql := format(
        'SELECT split_part(jobs.queue_name, '':'', 2)::integer, min(jobs.run_at) FROM %I.jobs AS jobs '
        || 'WHERE jobs.task_identifier = ''sync-account'' AND jobs.queue_name LIKE ''sync-account:%%'' '
        || 'AND jobs.locked_at IS NULL AND jobs.attempts < jobs.max_attempts GROUP BY 1',
        queue_schema);
    EXECUTE format($create$
        CREATE FUNCTION %I.tgsync_account_next_jobs() RETURNS TABLE (account_id integer, next_run_at timestamptz)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $body$
        BEGIN
            IF to_regclass(%L) IS NULL THEN
                RETURN;
            END IF;
            RETURN QUERY EXECUTE %L;
        END
        $body$ $create$, current_schema(), quote_ident(queue_schema) || '.jobs', jobs_sql);
END
$migration$;

REVOKE ALL ON FUNCTION tgsync_account_next_jobs() FROM PUBLIC;

CREATE VIEW dashboard_account_queue AS
SELECT a.label AS account_label,
       CASE
           WHEN r.runner IS NOT NULL THEN 'running'
           WHEN q.next_run_at <= now() THEN 'queued'
           WHEN q.next_run_at > now() THEN 'waiting'
           ELSE 'idle'
       END AS state,
       r.runner AS running_on,
       r.started_at AS running_since,
       COALESCE(q.next_run_at <= now(), false) AS queued,
       CASE WHEN q.next_run_at > now() THEN q.next_run_at END AS waiting_until
FROM accounts a
LEFT JOIN LATERAL (
    SELECT s.runner, s.started_at FROM sync_runs s
    WHERE s.account_id = a.id AND s.status = 'running'
    ORDER BY s.started_at DESC LIMIT 1
) r ON true
LEFT JOIN tgsync_account_next_jobs() q ON q.account_id = a.id;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_dashboards') THEN
        GRANT SELECT ON dashboard_account_queue TO tgsync_dashboards;
        GRANT EXECUTE ON FUNCTION tgsync_account_next_jobs() TO tgsync_dashboards;
    END IF;
END
$$;
