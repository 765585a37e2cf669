-- DATABASE_URL ?schema=: the migrations then create everything in that schema, and the dashboards
-- role needs USAGE on it to read the views there (the first migration granted USAGE on public only).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'tgsync_dashboards') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO tgsync_dashboards', current_schema());
    END IF;
END
$$;
