-- 29_http_error_status: no client-controlled byte in an HTTP status line
-- (contract §3). Through PostgREST (request.headers set) a PTnnn error is
-- raised as SQLSTATE PGRST: the message is the JSON body {"code", "message"}
-- and the detail {"status": nnn, "headers": {}}, so PostgREST writes its own
-- reason phrase. Plain SQL callers keep PTnnn and the message. Echoed ids
-- are cut to 512 bytes and "…". Replayed with both release lines'
-- statements, and through the write API.
\set ECHO none
\i test/deploy/replay_fixture.sql
\set ECHO all
\pset format unaligned
\x on
\set SHOW_CONTEXT never

-- An id carrying CR LF and a header, as the v12 statement receives it.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"x\r\nSet-Cookie: a=b"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate,
       (:'LAST_ERROR_MESSAGE')::json ->> 'code' AS code,
       (:'LAST_ERROR_MESSAGE')::json ->> 'message' = E'job "x\r\nSet-Cookie: a=b" not found' AS message_whole;
-- The same through v16's statement; another tenant's job is the same 404.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job(E'x\r\nSet-Cookie: a=b');
ROLLBACK;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job('job_other');
ROLLBACK;

-- NUL: the v12 json cannot carry it into text (22P05), nor can a v16 text
-- parameter (22021): PostgreSQL's 400, no id echoed.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job('{"job_id":"x\u0000y"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT convert_from('\x78007a'::bytea, 'UTF8');
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;

-- A 10 KB id: the body's message echoes 512 bytes of it and "…".
SELECT repeat('é', 5000) AS big \gset
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst16_rpc_job(:'big') \g /dev/null
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate,
       (:'LAST_ERROR_MESSAGE')::json ->> 'message' = 'job "' || repeat('é', 256) || '…" not found' AS cut_to_512_bytes;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", ""', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_traces', '{}', '{}') \g /dev/null
EXECUTE pgrst_rpc_job(json_build_object('job_id', :'big')) \g /dev/null
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, octet_length(:'LAST_ERROR_MESSAGE') < 600 AS short;

-- Plain SQL callers (no request.headers): PT404 and the message, the id cut
-- the same way; an id of 512 bytes is shown whole.
SELECT jobs.progress_traces(E'x\ny');
SELECT jobs.progress_traces(:'big') \g /dev/null
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate,
       :'LAST_ERROR_MESSAGE' = 'job "' || repeat('é', 256) || '…" not found' AS cut_to_512_bytes;
SELECT jobs_internal.echoed_id(repeat('a', 512)) = repeat('a', 512) AS whole_at_512,
       jobs_internal.echoed_id(repeat('a', 513)) = repeat('a', 512) || '…' AS cut_at_513,
       jobs_internal.echoed_id(repeat('€', 200)) = repeat('€', 170) || '…' AS cut_on_a_character;

-- The write API raises the same way: through PostgREST as PGRST with the
-- status (404, 409), directly as PTnnn.
SET ROLE regress_worker_demo;
BEGIN;
SELECT set_config('request.headers', '{"user-agent":"worker"}', true) IS NOT NULL AS serving_http;
SELECT jobs.finish_job(E'x\r\nSet-Cookie: a=b', 'completed');
ROLLBACK;
BEGIN;
SELECT set_config('request.headers', '{"user-agent":"worker"}', true) IS NOT NULL AS serving_http;
SELECT jobs.finish_input('job_2abc', 'in_01', 'failed');
ROLLBACK;
BEGIN;
SELECT set_config('request.headers', '{"user-agent":"worker"}', true) IS NOT NULL AS serving_http;
SELECT jobs.finish_input('job_2abc', :'big', 'failed') \g /dev/null
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate,
       (:'LAST_ERROR_MESSAGE')::json ->> 'message' = 'input "' || repeat('é', 256) || '…" of job "job_2abc" not found' AS cut_to_512_bytes;
SELECT jobs.finish_job(E'x\ny', 'completed');
SELECT jobs.finish_input('job_2abc', 'in_01', 'failed');
RESET ROLE;

-- The helper refuses what would not be a PTnnn error PostgREST maps.
SELECT jobs_internal.raise_error('PT200', 'fine');
SELECT jobs_internal.raise_error('22023', 'x');
SELECT jobs_internal.raise_error(NULL, 'x');
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
