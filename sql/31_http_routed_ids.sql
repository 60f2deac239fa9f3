-- 31_http_routed_ids: every stored id is fetchable through the public URL.
-- nginx sends the id as slash_job_id=/<id> to jobs.progress_traces_routed
-- (deploy/nginx.conf): PostgREST parses a GET value that starts with an
-- operator and a dot ("eq.", "in.", "not.") as a filter, never one that
-- starts with "/". Replayed with both release lines' statements for ids
-- that would be filters, a "/", a "%", quotes, non-ASCII; the live nginx
-- test sends the same ids through the real nginx.
\set ECHO none
\i test/deploy/replay_fixture.sql
\set ECHO all
\pset format unaligned
\set SHOW_CONTEXT never

-- Jobs of tenant_demo with such ids (replaced if a run left them).
DELETE FROM jobs.jobs WHERE id = ANY (ARRAY['eq.x', 'in.(a,b)', 'not.x', 'a/b', '100%', 'it''s "quoted"', 'ジョブ🙂 x']);
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
SELECT id, 'tenant_demo', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00'
FROM unnest(ARRAY['eq.x', 'in.(a,b)', 'not.x', 'a/b', '100%', 'it''s "quoted"', 'ジョブ🙂 x']) AS t(id);
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT j.id, NULL, 'inference', '2026-04-14 10:05+00', '{"success": 1}'
FROM unnest(ARRAY['eq.x', 'in.(a,b)', 'not.x', 'a/b', '100%', 'it''s "quoted"', 'ジョブ🙂 x']) AS j(id);

-- Each id through v12's statement and v16's: 200, its own trace, its ETag.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces_routed', '{}', '{}') \g /dev/null
SELECT format('EXECUTE pgrst_routed_job_buckets(%L)', json_build_object('slash_job_id', '/' || id, 'buckets', '10')),
       format('EXECUTE pgrst16_routed_job_buckets(%L, %L)', '/' || id, '10')
FROM unnest(ARRAY['eq.x', 'in.(a,b)', 'not.x', 'a/b', '100%', 'it''s "quoted"', 'ジョブ🙂 x']) AS t(id) \gexec
COMMIT;

-- The 304 through the routed call.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces_routed', '{"if-none-match":"W/\"2026-04-14T10:05:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst16_routed_job_buckets('/eq.x', '10');
COMMIT;

-- Errors: a missing job is the trace's 404 (the id without the "/"); a
-- value without the leading "/" is 22023 (400); null is 22004.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst16_routed_job_buckets('/job_gone', '10');
ROLLBACK;
SELECT jobs.progress_traces_routed('job_2abc');
SELECT jobs.progress_traces_routed(NULL);
-- A plain SQL caller gets exactly progress_traces's answer.
SELECT jobs.progress_traces_routed('/job_2abc', 50) :: text = jobs.progress_traces('job_2abc', 50) :: text AS same;

DELETE FROM jobs.jobs WHERE id = ANY (ARRAY['eq.x', 'in.(a,b)', 'not.x', 'a/b', '100%', 'it''s "quoted"', 'ジョブ🙂 x']);
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
