-- 25_tenancy_direct_roles: roles that connect to the database directly (an
-- analytics tool, a worker) get their tenant from jobs.tenant_roles, which
-- only the extension's owner can change; no setting they can make, and no
-- JWT claim, reaches another tenant (docs/contract.md §5.2).
\set ECHO none
\i test/fixtures/http_preamble.sql

-- A second analytics role, mapped to tenant_other, and a role with the same
-- grants but no mapping (dropped at the end of this file).
CREATE ROLE regress_analytics_other LOGIN;
CREATE ROLE regress_unmapped LOGIN;
GRANT USAGE ON SCHEMA jobs TO regress_analytics_other, regress_unmapped;
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO regress_analytics_other, regress_unmapped;
INSERT INTO jobs.tenant_roles (role_name, tenant_id) VALUES ('regress_analytics_other', 'tenant_other')
ON CONFLICT (role_name) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, tenant_from_jwt = false;

-- What a role sees of the three tables and its tenant; also which of the
-- test jobs, so that rows other tests leave behind do not matter.
CREATE FUNCTION pg_temp.visible() RETURNS TABLE (
    current_user_name name, current_tenant text, tenants text[], test_jobs text[],
    test_input_jobs text[], test_progress_jobs text[])
LANGUAGE sql AS $$
SELECT current_user, jobs_internal.current_tenant(),
       (SELECT array_agg(DISTINCT tenant_id ORDER BY tenant_id) FROM jobs.jobs),
       (SELECT array_agg(id ORDER BY id) FROM jobs.jobs
         WHERE id IN ('job_2abc', 'job_other', 'job_quiet', 'job_live')),
       (SELECT array_agg(DISTINCT job_id ORDER BY job_id) FROM jobs.job_inputs
         WHERE job_id IN ('job_2abc', 'job_other', 'job_quiet', 'job_live')),
       (SELECT array_agg(DISTINCT job_id ORDER BY job_id) FROM jobs.job_progress
         WHERE job_id IN ('job_2abc', 'job_other', 'job_quiet', 'job_live'))
$$;

-- The analytics role of tenant_demo, as if logged in directly.
SET SESSION AUTHORIZATION regress_analytics_demo;
SELECT * FROM pg_temp.visible();
-- Its traces: its own job, and another tenant's job exactly like a missing one.
SELECT json_array_length(jobs.progress_traces('job_2abc', 10) -> 'points') AS points;
SELECT count(*) AS point_rows, max(files_completed) AS files_completed FROM jobs.progress_trace_points('job_2abc', 10);
SELECT jobs.progress_traces('job_other', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
SELECT jobs.progress_traces('job_nope', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
SELECT count(*) FROM jobs.progress_trace_points('job_other', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT jobs.latest_event_at('job_other') AS other_latest, jobs.latest_event_at('job_2abc') AS own_latest;

-- Pretending to be a web request of tenant_other changes nothing: the
-- claims are read for web roles only.
SELECT set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_other"}', false) IS NOT NULL AS forged;
SELECT * FROM pg_temp.visible();
SELECT jobs.progress_traces('job_other', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- Neither can it become the web role, nor change or even read the mapping
-- beyond its own row.
SET ROLE regress_web;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT * FROM jobs.tenant_roles;
UPDATE jobs.tenant_roles SET tenant_id = 'tenant_other' WHERE role_name = current_user;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
INSERT INTO jobs.tenant_roles VALUES ('regress_unmapped', 'tenant_other', false);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS cleared;
RESET SESSION AUTHORIZATION;

-- The analytics role of tenant_other sees the mirror image.
SET SESSION AUTHORIZATION regress_analytics_other;
SELECT * FROM pg_temp.visible();
SELECT jobs.progress_traces('job_2abc', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
RESET SESSION AUTHORIZATION;

-- A role with grants but no mapping sees nothing at all, claims or not.
SET SESSION AUTHORIZATION regress_unmapped;
SELECT set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_demo"}', false) IS NOT NULL AS forged;
SELECT * FROM pg_temp.visible();
SELECT jobs.progress_traces('job_2abc', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS cleared;
RESET SESSION AUTHORIZATION;

-- The two roles of this file go; the deployment roles with them.
DELETE FROM jobs.tenant_roles WHERE role_name = 'regress_analytics_other';
DROP OWNED BY regress_analytics_other, regress_unmapped;
DROP ROLE regress_analytics_other, regress_unmapped;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
