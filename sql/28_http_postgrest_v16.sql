-- 28_http_postgrest_v16: the promises of sql/21-23 through the newest
-- PostgREST release line's statements (test/deploy/postgrest_v16.sql: one
-- cast parameter per argument), with the shipped search_path ("jobs" and
-- nothing else, db-extra-search-path = ""); and HEAD as both lines run it,
-- which is why nginx sends HEAD upstream as GET.
\set ECHO none
\i test/deploy/replay_fixture.sql
\set ECHO all
\pset format unaligned
\x on

-- HEAD, v12: the body column is '' so the function never runs. A missing
-- job raises nothing and an existing one gets no ETag: PostgREST would
-- answer both 200 with no validator. Never exposed (nginx sends GET).
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'HEAD', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_head_job_buckets('{"job_id":"job_gone","buckets":"10"}');
EXECUTE pgrst_head_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- HEAD, v16: the same.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'HEAD', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_head_job('job_gone');
EXECUTE pgrst16_head_job('job_2abc');
COMMIT;
-- The same request sent as GET (what nginx does): the function runs, and
-- the 304 and its headers are what a GET gets.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_2abc');
COMMIT;

-- GET, v16, the seed: 200 (response.status unset, so \gset sets no
-- variable for it), the published trace's
-- points and its ETag, Cache-Control and Vary.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"application/json","authorization":"Bearer x.y.z"}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job_buckets('job_2abc', '50') \gset r_
COMMIT;
SELECT json_array_length((:'r_body')::json -> 'points') AS points,
       (:'r_body')::json ->> 'latest_event_at' AS latest_event_at,
       :'r_response_headers' AS response_headers,
       :{?r_response_status} AS response_status_set;
-- The same body as v12's statement gives.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"50"}') \gset v12_
COMMIT;
SELECT :'v12_body' = :'r_body' AS same_body_as_v12;

-- buckets left out: the function's default (100 points).
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_2abc') \gset d_
COMMIT;
SELECT json_array_length((:'d_body')::json -> 'points') AS points;

-- If-None-Match matching (the ETag, or the bare time): 304, body null.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job_buckets('job_2abc', '50');
COMMIT;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"2026-04-14T12:15:00+02:00"}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_2abc');
COMMIT;
-- Not matching: 200.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"W/\"2026-04-14T10:00:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job_buckets('job_2abc', '10') \gset n_
COMMIT;
SELECT :{?n_response_status} AS response_status_set, (:'n_body')::json ->> 'latest_event_at' AS latest_event_at;

-- Errors. A missing job, another tenant's job, the anonymous role: the
-- same 404, never 304.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_gone');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_other');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_anon', '{"role":"regress_anon"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_2abc');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- buckets not an integer, or beyond integer: PostgreSQL's own cast of the
-- parameter, 400, before the function runs.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job_buckets('job_2abc', 'abc');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job_buckets('job_2abc', '99999999999');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
