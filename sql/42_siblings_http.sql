-- 42_siblings_http: the siblings (docs/contract.md §12) through PostgREST,
-- replaying the statements v12 and v16 run for the calls deploy/nginx.conf
-- makes (test/deploy/postgrest_siblings.sql): 200 with the job's version
-- ETag, 304 without a body, another tenant's job and a missing one the
-- same 404 in PGRST form, the folded statuses and the renamed reserved
-- parameters.
\set ECHO none
\i test/fixtures/http_preamble.sql
\i test/deploy/postgrest_v16.sql
\i test/deploy/postgrest_siblings.sql
\set ECHO all
\pset format aligned
\x off
\set SHOW_CONTEXT never
SELECT jobs_internal.job_version_tag('job_2abc') AS tag \gset

-- v12: the list's first page, 200 with the ETag.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/input_progress_routed', '{"accept":"application/json"}', '{}') \g /dev/null
EXECUTE pgrst_list('{"slash_job_id":"/job_2abc"}') \gset r_
COMMIT;
SELECT (:'r_body')::json ->> 'total' AS total, json_array_length((:'r_body')::json -> 'items') AS items,
       :'r_response_headers'::jsonb -> 0 ->> 'ETag' = :'tag' AS etag_is_version, :'r_response_headers'::jsonb -> 1 AS cache_control,
       :{?r_response_status} AS status_set;
-- A page by keyset with the folded statuses and the renamed order and limit.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/input_progress_routed', '{"accept":"application/json"}', '{}') \g /dev/null
EXECUTE pgrst_list_page('{"slash_job_id":"/job_2abc","statuses":"completed,failed","p_order":"desc","p_limit":"3","slash_after":"/in_08"}') \gset r_
COMMIT;
SELECT (SELECT string_agg(i -> 'input' ->> 'id' || '=' || (i ->> 'step'), ' ') FROM json_array_elements((:'r_body')::json -> 'items') i) AS page,
       (:'r_body')::json ->> 'limit' AS "limit";
-- The same with If-None-Match: 304, no body.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/input_progress_routed', json_build_object('if-none-match', :'tag')::text, '{}') \g /dev/null
EXECUTE pgrst_list_page('{"slash_job_id":"/job_2abc","statuses":"completed,failed","p_order":"desc","p_limit":"3","slash_after":"/in_08"}') \gset r_
COMMIT;
SELECT :'r_body' AS body, :'r_response_status' AS status;
-- Counts of a port, log page, summary (no validator).
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/input_progress_counts_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst_counts_port('{"slash_job_id":"/job_2abc","slash_port_name":"/eq.left"}') \gset r_
EXECUTE pgrst_log_page('{"slash_job_id":"/job_2abc","slash_kind":"/inference","p_limit":"2"}') \gset l_
COMMIT;
SELECT :'r_body' AS counts, json_array_length((:'l_body')::json -> 'entries') AS log_entries;
-- The summary sends no validator (its eta moves with now()).
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_summary_routed', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_summary('{"slash_job_id":"/job_2abc"}') \gset s_
COMMIT;
SELECT (:'s_body')::json ->> 'step' AS summary_step, :{?s_response_headers} AS summary_sets_headers,
       :{?s_response_status} AS summary_sets_status;
-- A status nginx folded as "unknown": 22023, which PostgREST answers 400.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/input_progress_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst_list_page('{"slash_job_id":"/job_2abc","statuses":"failed,unknown","p_order":"asc","p_limit":"3","slash_after":null}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- Another tenant's job and a missing job: the same PGRST 404, no ETag.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_other"}', 'GET', '/rpc/input_progress_routed', json_build_object('if-none-match', :'tag')::text, '{}') \g /dev/null
EXECUTE pgrst_list('{"slash_job_id":"/job_2abc"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_other"}', 'GET', '/rpc/progress_summary_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst_summary('{"slash_job_id":"/job_missing"}');
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;

-- v16: one parameter each.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/input_progress_routed', json_build_object('if-none-match', 'W/"other", ' || :'tag')::text, '{}') \g /dev/null
EXECUTE pgrst16_list_page('/job_2abc', 'failed', 'asc', '5', NULL) \gset r_
EXECUTE pgrst16_counts('/job_2abc') \gset c_
COMMIT;
SELECT :'r_body' AS list_body, :'r_response_status' AS list_status, :'c_body' AS counts_body;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_log_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst16_log_page('/job_2abc', '/inference', '1', NULL) \gset l_
EXECUTE pgrst16_summary('/job_2abc') \gset s_
COMMIT;
SELECT json_array_length((:'l_body')::json -> 'entries') AS log_entries, (:'s_body')::json -> 'counts' AS summary_counts;
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web"}', 'GET', '/rpc/progress_log_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst16_log_page('/job_2abc', NULL, '1', NULL);
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate, :'LAST_ERROR_MESSAGE' AS message;
-- A non-integer limit fails PostgREST's own cast: 22P02, before the function.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_log_routed', '{}', '{}') \g /dev/null
EXECUTE pgrst16_log_page('/job_2abc', NULL, 'ten', NULL);
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
\i test/fixtures/regress_roles_drop.sql
