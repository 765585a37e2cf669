-- The worker's role: what the running job needs and nothing more (issue 13). The owner (the role that
-- runs these migrations) owns every object; the worker logs in as a member of tgsync_worker, which
-- may read and write the job's tables (SELECT, INSERT, UPDATE, DELETE: no TRUNCATE, no DDL, no
-- _prisma_migrations), use their sequences and execute the batch writer. Create its login with
-- deploy/postgres/create-worker-login.mjs (README "Database roles").
--
-- Roles are cluster-wide, so it is created only when missing; a migrating role without CREATEROLE gets
-- a warning and the README's manual steps instead of a failure (as for tgsync_dashboards).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_worker') THEN
        IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            BEGIN
                CREATE ROLE tgsync_worker NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another database of this cluster created it at the same moment
            END;
        ELSE
            RAISE WARNING 'role tgsync_worker not created: % lacks CREATEROLE; see README "Database roles"', current_user;
        END IF;
    END IF;
END
$$;

-- The job queue of the scale-out work (its own schema) grants what the worker needs there by
-- replacing THIS function in its migration (CREATE OR REPLACE with the grants filled in) and calling
-- tgsync_grant_worker_privileges() afterwards. Empty until then.
CREATE OR REPLACE FUNCTION tgsync_grant_worker_queue_privileges() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    NULL;
END
$$;

-- (Re)grants the worker's privileges on everything that exists now in the current schema. A later
-- migration that adds tables, sequences or functions the worker uses need not call it (the default
-- privileges below cover objects the owner creates), but may, e.g. after recreating objects.
CREATE OR REPLACE FUNCTION tgsync_grant_worker_privileges() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    object record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_worker') THEN
        RAISE WARNING 'role tgsync_worker does not exist: no privileges granted; see README "Database roles"';
        RETURN;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO tgsync_worker', current_database());
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO tgsync_worker', current_schema());
    FOR object IN
        SELECT c.oid::regclass AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'
    LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO tgsync_worker', object.name);
    END LOOP;
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO tgsync_worker', current_schema());
    FOR object IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        WHERE p.pronamespace = current_schema()::regnamespace AND p.proname = 'tgsync_write_batch'
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO tgsync_worker', object.name);
    END LOOP;
    PERFORM tgsync_grant_worker_queue_privileges();
END
$$;

-- The grant helpers change privileges: only the owner runs them.
REVOKE ALL ON FUNCTION tgsync_grant_worker_queue_privileges() FROM PUBLIC;
REVOKE ALL ON FUNCTION tgsync_grant_worker_privileges() FROM PUBLIC;

SELECT tgsync_grant_worker_privileges();

-- Tables, sequences and functions that the owner creates in this schema later (new migrations, a
-- regenerated batch writer with a new signature) are the worker's to use too.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_worker') THEN
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tgsync_worker', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO tgsync_worker', current_schema());
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO tgsync_worker', current_schema());
    END IF;
END
$$;
