-- The worker role's privileges on the job queue's schema (graphile-worker): the worker enqueues, takes,
-- completes and releases jobs, and reads its `jobs` view (status, metrics, the dead-worker check).
-- The queue is installed by `db migrate` right after these migrations, so the migration runner calls
-- this function again once it is there; here it grants whatever exists already (nothing on a first
-- install). The schema's name follows this one (src/queue/queue-settings.ts).
CREATE OR REPLACE FUNCTION tgsync_grant_worker_queue_privileges() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    queue_schema text := CASE WHEN current_schema() = 'public' THEN 'graphile_worker' ELSE current_schema() || '_graphile_worker' END;
    private_table text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_worker')
       OR NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = queue_schema) THEN
        RETURN;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO tgsync_worker', queue_schema);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO tgsync_worker', queue_schema);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO tgsync_worker', queue_schema);
    EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO tgsync_worker', queue_schema);
    -- graphile-worker turns row-level security on for its _private_* tables (only their owner, who
    -- bypasses it, is meant to use them): the worker role gets a policy that lets it use every row.
    FOR private_table IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = queue_schema AND c.relkind = 'r' AND c.relrowsecurity
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = queue_schema AND tablename = private_table AND policyname = 'tgsync_worker_rows') THEN
            EXECUTE format('CREATE POLICY tgsync_worker_rows ON %I.%I TO tgsync_worker USING (true) WITH CHECK (true)', queue_schema, private_table);
        END IF;
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION tgsync_grant_worker_queue_privileges() FROM PUBLIC;

SELECT tgsync_grant_worker_queue_privileges();
