-- 27_owner_access: after the visibility check on the job row, the trace
-- reads the job's inputs and progress as the tables' owner (so row-level
-- security is not paid per row; src/glue/owner_access.c). That must neither
-- widen what a caller may read nor let the caller's own objects run inside.
\set ECHO none
\i test/fixtures/http_preamble.sql
\pset format aligned
\x off
\set VERBOSITY default

CREATE ROLE regress_no_progress;
GRANT USAGE ON SCHEMA jobs TO regress_no_progress;
GRANT SELECT ON jobs.jobs, jobs.job_inputs TO regress_no_progress;
INSERT INTO jobs.tenant_roles (role_name, tenant_id) VALUES ('regress_no_progress', 'tenant_demo');

-- The web role's answer equals the superuser's, for its own job.
CREATE TEMP TABLE r27_super AS SELECT jobs.progress_traces('job_2abc', 50)::text AS body;
GRANT SELECT ON r27_super TO regress_web;
BEGIN;
SELECT set_config('role', 'regress_web', true),
       set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_demo"}', true) \g /dev/null
SELECT jobs.progress_traces('job_2abc', 50)::text = body AS same_as_superuser FROM r27_super;
SELECT count(*) AS points, sum(step) AS steps FROM jobs.progress_trace_points('job_2abc', 50);
ROLLBACK;

-- Without SELECT on job_progress the trace is refused, as a direct query is.
SET ROLE regress_no_progress;
SELECT count(*) > 0 AS sees_its_jobs FROM jobs.jobs;
SELECT jobs.progress_traces('job_2abc', 10);
\echo :SQLSTATE
SELECT count(*) FROM jobs.job_progress;
\echo :SQLSTATE
RESET ROLE;

-- An operator of the caller's that would shadow pg_catalog's on its
-- search_path never runs inside the trace (functions pin search_path).
CREATE SCHEMA r27_evil;
CREATE FUNCTION r27_evil.texteq_trap(text, text) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'caller operator ran as %', current_user; END $$;
CREATE OPERATOR r27_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = r27_evil.texteq_trap);
GRANT USAGE ON SCHEMA r27_evil TO regress_web;
BEGIN;
SELECT set_config('role', 'regress_web', true),
       set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_demo"}', true),
       set_config('search_path', 'r27_evil, pg_catalog', true) \g /dev/null
SELECT 'a'::text = 'a'::text AS trap_is_live;
ROLLBACK;
BEGIN;
SELECT set_config('role', 'regress_web', true),
       set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_demo"}', true),
       set_config('request.headers', '{"if-none-match":"W/\"2026-04-14T10:15:00Z\""}', true),
       set_config('search_path', 'r27_evil, pg_catalog', true) \g /dev/null
SELECT jobs.progress_traces('job_2abc', 10) IS NULL AS not_modified,
       current_setting('response.status', true) AS status;
ROLLBACK;
BEGIN;
SELECT set_config('role', 'regress_web', true),
       set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_demo"}', true),
       set_config('search_path', 'r27_evil, pg_catalog', true) \g /dev/null
SELECT (jobs.progress_traces('job_2abc', 50)::jsonb -> 'points' -> 49 ->> 'step') AS last_step;
SELECT current_user AS still_the_caller;
ROLLBACK;
DROP SCHEMA r27_evil CASCADE;
DELETE FROM jobs.tenant_roles WHERE role_name = 'regress_no_progress';
DROP OWNED BY regress_no_progress;
DROP ROLE regress_no_progress;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
