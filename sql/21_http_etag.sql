-- 21_http_etag: GET /rpc/progress_traces replayed exactly as PostgREST v12
-- runs it (test/deploy/postgrest_v12.sql): a 200 carries the trace and, in
-- response.headers, ETag W/"<latest_event_at>", Cache-Control and Vary.
\set ECHO none
\i test/fixtures/http_preamble.sql

-- The seed: GET /rpc/progress_traces?job_id=job_2abc&buckets=50 with a JWT
-- {"role": "regress_web", "tenant_id": "tenant_demo"}. 200 (no
-- response.status), the published trace, and its ETag.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"application/json","authorization":"Bearer x.y.z","host":"127.0.0.1:3000"}', '{}');
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"50"}');
COMMIT;

-- Without buckets (default 100 points); the ETag does not depend on it.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"job_2abc"}') \gset r_
COMMIT;
SELECT json_array_length((:'r_body')::json -> 'points') AS points,
       (:'r_body')::json ->> 'latest_event_at' AS latest_event_at,
       :'r_response_headers' AS response_headers;

-- A running job: the ETag is its newest event so far.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_live","buckets":"10"}') \gset l_
COMMIT;
SELECT (:'l_body')::json ->> 'latest_event_at' AS latest_event_at, :'l_response_headers' AS response_headers;

-- No event yet: latest_event_at is null, so no ETag; still Cache-Control
-- and Vary.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_quiet","buckets":"10"}') \gset q_
COMMIT;
SELECT (:'q_body')::json ->> 'latest_event_at' AS latest_event_at, :'q_response_headers' AS response_headers;

-- Headers already set before the call (as a pre-request function may):
-- others are kept, our ETag and Cache-Control replace theirs (never sent
-- twice), Vary is a list and may repeat.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
SELECT set_config('response.headers', '[{"X-Request-Id":"r-1"},{"cache-control":"public, max-age=600"},{"Vary":"Origin"},{"etag":"\"stale\""}]', true) IS NOT NULL AS pre_request;
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"10"}') \gset p_
COMMIT;
SELECT :'p_response_headers' AS response_headers;

-- Plain SQL callers (no request.headers) get the trace and no side effect.
SELECT jobs.progress_traces('job_2abc', 10) IS NOT NULL AS traced,
       current_setting('response.headers', true) AS response_headers,
       current_setting('response.status', true) AS response_status;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
