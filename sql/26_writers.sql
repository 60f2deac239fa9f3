-- 26_writers: a worker connecting directly appends progress and finishes
-- inputs of its own tenant's jobs only (docs/contract.md §5.5); for any other job, missing
-- or another tenant's, it gets the same refusal. The web user then sees the
-- new events: its old ETag no longer matches.
\set ECHO none
\i test/fixtures/http_preamble.sql

SET SESSION AUTHORIZATION regress_worker_demo;
SELECT current_user, jobs_internal.current_tenant();

-- Its own running job: progress appended, an input finished.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_live', 'in_02', 'inference', '2026-04-14 11:05:00+00', '{"success": 9, "failed": 1}')
RETURNING job_id, input_id, kind, success, failed;
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 11:06:00+00'
WHERE job_id = 'job_live' AND id = 'in_02'
RETURNING job_id, id, status, completed_at AT TIME ZONE 'UTC' AS completed_at_utc;

-- Another tenant's job and a job that does not exist: the same refusal.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_other', 'in_01', 'inference', '2026-04-14 09:08:00+00', '{"success": 99}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_nope', NULL, 'inference', '2026-04-14 09:08:00+00', '{"success": 99}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- Finishing another tenant's input finds no row.
UPDATE jobs.job_inputs SET status = 'failed', completed_at = '2026-04-14 09:09:00+00'
WHERE job_id = 'job_other' AND id = 'in_01'
RETURNING job_id, id;
-- Claims set by hand do not make it a web user of another tenant.
SELECT set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_other"}', false) IS NOT NULL AS forged;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_other', 'in_01', 'inference', '2026-04-14 09:08:00+00', '{"success": 99}');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS cleared;

-- Beyond appending and finishing it may do nothing (no grant): move an
-- input to another job, create or change jobs, delete or rewrite progress.
UPDATE jobs.job_inputs SET job_id = 'job_other' WHERE job_id = 'job_live';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('job_mine', 'tenant_demo');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
UPDATE jobs.jobs SET tenant_id = 'tenant_demo' WHERE id = 'job_other';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
UPDATE jobs.job_progress SET metrics = '{"success": 1000}' WHERE job_id = 'job_live';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
DELETE FROM jobs.job_progress WHERE job_id = 'job_live';
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
RESET SESSION AUTHORIZATION;

-- Nothing reached tenant_other's job (as the superuser, who sees all).
SELECT count(*) AS other_progress_rows, max(success) AS other_max_success FROM jobs.job_progress WHERE job_id = 'job_other';
SELECT status, completed_at AT TIME ZONE 'UTC' AS completed_at_utc FROM jobs.job_inputs WHERE job_id = 'job_other';

-- Through PostgREST: the web user's ETag from before the writes (job_live's
-- newest event was 11:01:00) is stale now: 200 with the new one, which then
-- matches.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"W/\"2026-04-14T11:01:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_live","buckets":"10"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'latest_event_at' AS latest_event_at,
       (:'r_body')::json -> 'points' -> 9 -> 'files' AS last_files,
       :'r_response_headers' AS response_headers;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"W/\"2026-04-14T11:06:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_live","buckets":"10"}');
COMMIT;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
