-- Roles, grants and tenant mapping for serving traces through PostgREST and
-- to direct database clients (docs/contract.md §5). Run as a superuser in the database,
-- after CREATE EXTENSION traces:
--
--     psql -v ON_ERROR_STOP=1 -d traces -f deploy/roles.sql
--
-- Safe to run again. Roles are cluster-wide, which is why the extension
-- itself creates none. Rename the example tenant and roles to yours; give
-- the LOGIN roles passwords separately (ALTER ROLE ... PASSWORD), never in
-- this file.
--
--   traces_authenticator  PostgREST logs in as it; it can do nothing by
--                         itself (NOINHERIT, no tenant) and only switches
--                         into the two roles below, per request.
--   traces_web            the JWT's "role" claim; its tenant is the JWT's
--                         "tenant_id" claim (jobs.tenant_roles: from JWT).
--   traces_anon           requests without a JWT (db-anon-role): no tenant,
--                         so every job answers 404.
--   traces_analytics_demo an analytics tool connecting directly: reads all
--                         of tenant_demo's rows, nothing else.
--   traces_worker_demo    a worker connecting directly: appends progress and
--                         finishes inputs of tenant_demo's jobs only.

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('traces_authenticator',  'LOGIN NOINHERIT'),
        ('traces_web',            'NOLOGIN'),
        ('traces_anon',           'NOLOGIN'),
        ('traces_analytics_demo', 'LOGIN'),
        ('traces_worker_demo',    'LOGIN')) AS v(name, options)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            EXECUTE format('CREATE ROLE %I %s', r.name, r.options);
        END IF;
        -- Whatever existed before: no superuser, no role or database creation.
        EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS %s',
                       r.name, r.options);
    END LOOP;
END $$;

-- PostgREST switches (SET ROLE) into these two; being NOINHERIT, the
-- authenticator gets none of their privileges without switching. (Checked
-- first only to keep a second run free of notices.)
DO $$
DECLARE
    granted name;
BEGIN
    FOREACH granted IN ARRAY ARRAY['traces_web', 'traces_anon']::name[] LOOP
        IF NOT pg_catalog.pg_has_role('traces_authenticator', granted, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO traces_authenticator', granted);
        END IF;
    END LOOP;
END $$;

GRANT USAGE ON SCHEMA jobs
    TO traces_web, traces_anon, traces_analytics_demo, traces_worker_demo;

-- Readers. jobs.progress_traces reads the job row as the caller, then checks
-- the caller's SELECT on job_inputs and job_progress before reading that
-- job's rows (as the tables' owner, docs/contract.md §5.4), so the web roles
-- need SELECT on the three tables; row-level security confines the job row,
-- and any direct query, to the caller's tenant (none for traces_anon).
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress
    TO traces_web, traces_anon, traces_analytics_demo;

-- The writer: append progress, finish inputs (status, completed_at), of
-- its tenant's jobs only (the policies' WITH CHECK). Reading is needed to
-- find its rows and for the policies.
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO traces_worker_demo;
GRANT UPDATE (status, completed_at) ON jobs.job_inputs TO traces_worker_demo;
GRANT INSERT (job_id, input_id, kind, created_at, metrics) ON jobs.job_progress TO traces_worker_demo;

-- Functions are executable by PUBLIC (the PostgreSQL default); they are not
-- SECURITY DEFINER and show nothing the caller could not select.

-- Who acts for which tenant. Only the owner of the extension (a superuser)
-- may change this table.
INSERT INTO jobs.tenant_roles (role_name, tenant_id, tenant_from_jwt) VALUES
    ('traces_web',            NULL,          true),
    ('traces_analytics_demo', 'tenant_demo', false),
    ('traces_worker_demo',    'tenant_demo', false)
ON CONFLICT (role_name) DO UPDATE
    SET tenant_id = EXCLUDED.tenant_id, tenant_from_jwt = EXCLUDED.tenant_from_jwt;
