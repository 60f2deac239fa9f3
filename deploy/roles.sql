-- Roles, grants and tenant mapping for serving traces through PostgREST and
-- to direct database clients (docs/contract.md §5). Run as a superuser in the database,
-- after CREATE EXTENSION traces:
--
--     psql -v ON_ERROR_STOP=1 -d traces -f deploy/roles.sql
--
-- Safe to run again. Roles are cluster-wide, which is why the extension
-- itself creates none. Give the LOGIN roles passwords separately (ALTER ROLE
-- ... PASSWORD), never in this file.
--
-- The role names and the example tenant are psql variables; each defaults
-- to the name below and can be renamed on the command line, e.g.
--
--     psql ... -v web_role=acme_web -v demo_tenant=acme -f deploy/roles.sql
--
--   authenticator_role  traces_authenticator   PostgREST logs in as it; it
--                       can do nothing by itself (NOINHERIT, no tenant) and
--                       only switches into the two roles below, per request.
--   web_role            traces_web             the JWT's "role" claim; its
--                       tenant is the JWT's "tenant_id" claim
--                       (jobs.tenant_roles: from JWT).
--   anon_role           traces_anon            requests without a JWT
--                       (db-anon-role): no tenant, so every job answers 404.
--   analytics_role      traces_analytics_demo  an analytics tool connecting
--                       directly: reads all of demo_tenant's rows, nothing
--                       else.
--   worker_role         traces_worker_demo     a worker connecting directly:
--                       appends progress and finishes inputs of
--                       demo_tenant's jobs only.
--   demo_tenant         tenant_demo            the tenant of the two direct
--                       roles.
--
-- The pg_regress suite runs this file with regress_* names (the convention
-- for roles a test creates on a shared server) and drops them afterwards.

\if :{?authenticator_role} \else \set authenticator_role traces_authenticator \endif
\if :{?web_role} \else \set web_role traces_web \endif
\if :{?anon_role} \else \set anon_role traces_anon \endif
\if :{?analytics_role} \else \set analytics_role traces_analytics_demo \endif
\if :{?worker_role} \else \set worker_role traces_worker_demo \endif
\if :{?demo_tenant} \else \set demo_tenant tenant_demo \endif

-- Create what is missing, then (whatever existed before) no superuser, no
-- role or database creation. Statements are built here and run by \gexec,
-- so that the names come from the variables above.
SELECT format('CREATE ROLE %I', v.name)
FROM (VALUES (:'authenticator_role'), (:'web_role'), (:'anon_role'),
             (:'analytics_role'), (:'worker_role')) AS v(name)
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = v.name)
\gexec
SELECT format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS %s', v.name, v.options)
FROM (VALUES (:'authenticator_role', 'LOGIN NOINHERIT'), (:'web_role', 'NOLOGIN'),
             (:'anon_role', 'NOLOGIN'), (:'analytics_role', 'LOGIN'),
             (:'worker_role', 'LOGIN')) AS v(name, options)
\gexec

-- PostgREST switches (SET ROLE) into these two; being NOINHERIT, the
-- authenticator gets none of their privileges without switching. (Checked
-- first only to keep a second run free of notices.)
SELECT format('GRANT %I TO %I', v.granted, :'authenticator_role')
FROM (VALUES (:'web_role'), (:'anon_role')) AS v(granted)
WHERE NOT pg_catalog.pg_has_role(:'authenticator_role', v.granted, 'MEMBER')
\gexec

GRANT USAGE ON SCHEMA jobs
    TO :"web_role", :"anon_role", :"analytics_role", :"worker_role";

-- Readers. jobs.progress_traces reads the job row as the caller, then checks
-- the caller's SELECT on job_inputs and job_progress before reading that
-- job's rows (as the tables' owner, docs/contract.md §5.4), so the web roles
-- need SELECT on the three tables; row-level security confines the job row,
-- and any direct query, to the caller's tenant (none for the anonymous role).
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress
    TO :"web_role", :"anon_role", :"analytics_role";

-- The writer: append progress (with its step, message, payload and index),
-- start and finish inputs (status, completed_at, error_message), of
-- its tenant's jobs only (the policies' WITH CHECK). Reading is needed to
-- find its rows and for the policies.
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO :"worker_role";
-- Every write takes the job's write lock by advancing its change_count
-- (docs/contract.md §7.2): only the job's own writers can take it.
GRANT UPDATE (change_count) ON jobs.jobs TO :"worker_role";
GRANT UPDATE (status, completed_at, error_message) ON jobs.job_inputs TO :"worker_role";
GRANT INSERT (job_id, input_id, kind, created_at, metrics, step, message, payload, "index")
    ON jobs.job_progress TO :"worker_role";

-- Functions are executable by PUBLIC (the PostgreSQL default); they are not
-- SECURITY DEFINER and show nothing the caller could not select.

-- Who acts for which tenant. Only the owner of the extension (a superuser)
-- may change this table.
INSERT INTO jobs.tenant_roles (role_name, tenant_id, tenant_from_jwt) VALUES
    (:'web_role',       NULL,            true),
    (:'analytics_role', :'demo_tenant', false),
    (:'worker_role',    :'demo_tenant', false)
ON CONFLICT (role_name) DO UPDATE
    SET tenant_id = EXCLUDED.tenant_id, tenant_from_jwt = EXCLUDED.tenant_from_jwt;
