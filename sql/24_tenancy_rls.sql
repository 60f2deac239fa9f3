-- 24_tenancy_rls: tenancy through PostgREST (docs/contract.md §5). The web role's
-- tenant is the tenant_id claim of the JWT PostgREST verified; a job of
-- another tenant answers exactly like a missing one (23_http_errors).
\set ECHO none
\i test/fixtures/http_preamble.sql

-- tenant_demo's web user and its job: 200
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'job_id' AS job_id, (:'r_body')::json ->> 'latest_event_at' AS latest_event_at, :'r_response_headers' AS response_headers;
-- tenant_demo's web user, tenant_other's job: 404
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_other","buckets":"10"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- tenant_other's web user and its job: 200
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_other"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_other","buckets":"10"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'job_id' AS job_id, (:'r_body')::json ->> 'latest_event_at' AS latest_event_at, :'r_response_headers' AS response_headers;
-- tenant_other's web user, tenant_demo's job, with its current ETag: 404, no 304
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_other"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- a JWT without tenant_id: no tenant, 404
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"job_2abc"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- a tenant_id that is not a string names no tenant: 404
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":["tenant_demo"]}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"job_2abc"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;

-- Anonymous requests (no JWT: PostgREST's db-anon-role, claims {"role":
-- ...}) have no tenant: 404 for every job. The anonymous role is not a web
-- role, so even a tenant_id claim is never read for it.
-- anonymous
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_anon', '{"role":"regress_anon"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"job_2abc"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- anonymous with a tenant_id claim
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_anon', '{"role":"regress_anon","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;

-- The tables themselves (PostgREST would serve GET /jobs etc. to the web
-- role): only the caller's tenant's rows.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_other"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
SELECT (SELECT array_agg(DISTINCT tenant_id) FROM jobs.jobs) AS tenants,
       (SELECT array_agg(id ORDER BY id) FROM jobs.jobs) AS jobs,
       (SELECT array_agg(DISTINCT job_id) FROM jobs.job_inputs) AS input_jobs,
       (SELECT array_agg(DISTINCT job_id) FROM jobs.job_progress) AS progress_jobs,
       jobs_internal.current_tenant() AS current_tenant;
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_anon', '{"role":"regress_anon","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
SELECT (SELECT count(*) FROM jobs.jobs) AS jobs, (SELECT count(*) FROM jobs.job_inputs) AS inputs,
       (SELECT count(*) FROM jobs.job_progress) AS progress, jobs_internal.current_tenant() AS current_tenant;
COMMIT;

-- The authenticator PostgREST logs in as can do nothing without switching
-- role (NOINHERIT), whatever claims it sets.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_authenticator', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"job_2abc"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
