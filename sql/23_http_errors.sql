-- 23_http_errors: errors as PostgREST maps them (docs/contract.md §3), through its v12
-- statements. PTnnn -> HTTP nnn, raised as SQLSTATE PGRST with the JSON body
-- and the status in the detail (sql/29); 22xxx -> 400. A missing job, or one the
-- caller may not see, is PT404 with the same message, before any ETag or
-- 304 is considered: the statement fails, so PostgREST reads no
-- response.status or response.headers at all.
\set ECHO none
\i test/fixtures/http_preamble.sql

-- GET ?job_id=job_nope: 404
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"job_nope"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- the same with If-None-Match: * is still 404, never 304
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_nope","buckets":"10"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- another tenant's job: exactly the same answer
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_other","buckets":"10"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- GET ?job_id= (empty): a job id nobody has, 404
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":""}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;

-- A null job_id cannot come from a query string; a POST body can send it
-- (PostgREST reads it with the same json_to_record): 22004, HTTP 400.
-- POST {"job_id": null}
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'POST', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":null}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;

-- buckets is cast by PostgREST's own statement (json_to_record ... integer)
-- before the function runs: 22P02 (or 22003 out of range), HTTP 400.
-- ?buckets=abc
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"abc"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- ?buckets=1.5
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"1.5"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- ?buckets= (empty)
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":""}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- ?buckets=99999999999
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"99999999999"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;

-- In range but outside [10, 1000]: clamped, not an error.
-- ?buckets=3
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"3"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'job_id' AS job_id, json_array_length((:'r_body')::json -> 'points') AS points, :'r_response_headers' AS response_headers;
-- ?buckets=5000
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"5000"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'job_id' AS job_id, json_array_length((:'r_body')::json -> 'points') AS points, :'r_response_headers' AS response_headers;
-- ?buckets=-7
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{"accept":"*/*"}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job_buckets('{"job_id":"job_2abc","buckets":"-7"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'job_id' AS job_id, json_array_length((:'r_body')::json -> 'points') AS points, :'r_response_headers' AS response_headers;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
