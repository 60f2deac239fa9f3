-- 22_http_not_modified: If-None-Match (RFC 9110 §13.1.2, weak comparison)
-- replayed through PostgREST v12's statements (test/deploy/postgrest_v12.sql).
-- A match answers response.status 304 with the ETag and a null body, and
-- reads no row of the trace, only the two probes that find latest_event_at.
-- Anything that does not match is a plain 200; malformed values never fail.
\set ECHO none
\i test/deploy/big_job_fixture.sql
\i test/fixtures/http_preamble.sql

-- job_2abc's latest event is 2026-04-14T10:15:00Z: its ETag is
-- W/"2026-04-14T10:15:00Z". Each of these matches (304, body null).
-- the ETag as sent (weak)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- quoted, without W/
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- the bare latest_event_at a client saved from the JSON
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"2026-04-14T10:15:00Z"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- a list, with a stale tag, a tag with a comma and spaces around
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"\"2026-04-14T10:00:00Z\", \"a,b\" ,W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- *: any current representation
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- the same instant in another offset, fraction of zeros
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"2026-04-14T12:15:00.000+02:00"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;

-- HEAD: 304 as well (PostgREST sends no body for HEAD anyway).
-- HEAD with the ETag
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'HEAD', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;

-- Other methods must not be performed on a match: 412 (RFC 9110 §13.1.2);
-- PostgREST lets POST call a STABLE function in a READ ONLY transaction.
-- POST with the ETag
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'POST', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;

-- None of these match: 200 with the trace and the current ETag.
-- a stale ETag (one second older)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T10:14:59Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- a newer one (one microsecond later)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"2026-04-14T10:15:00.000001Z"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- garbage
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"garbage"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- an unterminated quote swallows the rest of the list
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"\"abc, W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- lower-case w/ is not a weak tag
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"w/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- empty
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- a time RFC 3339 cannot hold
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"2026-04-14T10:15:60Z"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- a quoted star is an ordinary tag
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"\"*\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- not a string in request.headers
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":["*"]}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;
-- a header name PostgREST would have lower-cased is not looked up
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"If-None-Match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}');
COMMIT;

-- A job without events has no ETag: a tag never matches, * does (the
-- trace exists), and then the 304 carries no ETag either.
-- job_quiet with a tag
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T09:05:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_quiet","buckets":"10"}');
COMMIT;
-- job_quiet with *
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_quiet","buckets":"10"}');
COMMIT;

-- The 304 path does not compute the trace. job_http_big has 20,000 progress
-- rows and 200 finished inputs (latest 2026-04-14T09:40:00Z). The backend's
-- statistics counters, read before and after the call in the same
-- transaction: on a match, no sequential scan and one index probe of one
-- row per table (the latest-event probes, job_progress_time_idx and
-- job_inputs_finished_idx); on a miss the trace is computed from the
-- job's timeline (contract §11.7), so it reads far fewer than the job's
-- rows (read_whole_job false; the scan path would read them all).
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T09:40:00Z\""}', '{}') \g /dev/null
EXECUTE trace_reads \gset before_
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_http_big","buckets":"100"}');
EXECUTE trace_reads \gset after_
COMMIT;
SELECT * FROM pg_temp.trace_reads_delta(:'before_reads', :'after_reads');
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*","if-none-match":"W/\"2026-04-14T09:39:59Z\""}', '{}') \g /dev/null
EXECUTE trace_reads \gset before_
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_http_big","buckets":"100"}') \gset miss_
EXECUTE trace_reads \gset after_
COMMIT;
SELECT (:'miss_body')::json ->> 'latest_event_at' AS latest_event_at, :'miss_response_headers' AS response_headers;
SELECT relname, seq_rows + index_rows >= CASE relname WHEN 'job_progress' THEN 20000 ELSE 200 END AS read_whole_job
FROM pg_temp.trace_reads_delta(:'before_reads', :'after_reads');
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
