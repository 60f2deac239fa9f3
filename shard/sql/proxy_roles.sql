-- Roles calling the proxy, as deploy/roles.sql sets them up on a single
-- node: PostgREST's authenticator and the roles it switches into, and
-- example direct roles. proxy.sql runs this last. Safe to run again.
-- Passwords separately.
--
--   traces_authenticator  PostgREST logs in as it (NOINHERIT, no tenant)
--   traces_web            JWT "role"; tenant = the verified JWT's tenant_id
--   traces_anon           requests without JWT: no tenant, every job 404
--   traces_analytics_demo direct reader of tenant_demo
--   traces_worker_demo    direct writer of tenant_demo

CALL pg_temp.ensure_role('traces_authenticator', 'LOGIN NOINHERIT');
CALL pg_temp.ensure_role('traces_web', 'NOLOGIN');
CALL pg_temp.ensure_role('traces_anon', 'NOLOGIN');
CALL pg_temp.ensure_role('traces_analytics_demo', 'LOGIN');
CALL pg_temp.ensure_role('traces_worker_demo', 'LOGIN');
GRANT traces_web, traces_anon TO traces_authenticator;

-- The API functions are executable by PUBLIC (SECURITY DEFINER, and they
-- act only for the caller's own tenant); the schema must be usable.
GRANT USAGE ON SCHEMA jobs
    TO traces_web, traces_anon, traces_analytics_demo, traces_worker_demo;

CALL pg_temp.map_tenant_role('jobs_proxy.tenant_roles', 'traces_web', NULL);
CALL pg_temp.map_tenant_role('jobs_proxy.tenant_roles', 'traces_analytics_demo', 'tenant_demo');
CALL pg_temp.map_tenant_role('jobs_proxy.tenant_roles', 'traces_worker_demo', 'tenant_demo');

-- Who may write through which function: the counterpart of deploy/roles.sql's
-- table grants (the web, anonymous and analytics roles write nothing; the
-- worker appends progress, starts and finishes inputs). Grant more per deployment,
-- e.g. INSERT INTO jobs_proxy.write_grants VALUES ('my_worker', 'create_job').
INSERT INTO jobs_proxy.write_grants (role_name, function_name) VALUES
    ('traces_worker_demo', 'report_progress'),
    ('traces_worker_demo', 'start_input'),
    ('traces_worker_demo', 'finish_input')
ON CONFLICT DO NOTHING;
