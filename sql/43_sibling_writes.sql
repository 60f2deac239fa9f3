-- 43_sibling_writes: the write side of the sibling fields (docs/contract.md
-- §7.1, §7.3, §7.4, §7.5, §6): add_inputs' port_names, file_ids, data and
-- created_ats; report_progress's steps, messages, payloads and indexes;
-- finish_input's error_message; start_input. Each new field stored and shown
-- by jobs.input_progress and jobs.progress_log; each length and value error
-- with its SQLSTATE and DETAIL; duplicates by whole content; 1.0-style calls
-- unchanged, also for a role holding only 1.0's column grants.
\set ECHO none
\i test/fixtures/regress_roles.sql
\set ECHO all
\set SHOW_CONTEXT never
\set VERBOSITY default
SET TimeZone = 'UTC';
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at) VALUES
    ('w43', 'tenant_demo', 'running', '2026-04-14 09:00+00', '2026-04-14 09:00+00'),
    ('w43_other', 'tenant_other', 'running', '2026-04-14 09:00+00', '2026-04-14 09:00+00');
-- The worker of deploy/roles.sql adds no inputs: this test's worker may.
GRANT INSERT (job_id, id, status, port_name, file_id, data, created_at) ON jobs.job_inputs TO regress_worker_demo;
SET SESSION AUTHORIZATION regress_worker_demo;
SELECT now() AS t0 \gset
-- An input as input_progress shows it (a created_at since the test began as now()), and a log entry as
-- progress_log does (without its id and time), in id order.
-- Long values shown by their length.
CREATE FUNCTION pg_temp.short(t text) RETURNS text LANGUAGE sql
RETURN CASE WHEN length(t) > 300 THEN left(t, 80) || '… (' || length(t) || ' characters)' ELSE t END;
CREATE FUNCTION pg_temp.inputs(job text) RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(pg_temp.short(x.i ->> 'id' || ' ' || (x.i - 'id' || jsonb_build_object('created_at',
            CASE WHEN (x.i ->> 'created_at')::timestamptz >= :'t0' THEN to_jsonb('now()'::text) ELSE x.i -> 'created_at' END))::text),
            E'\n' ORDER BY x.i ->> 'id')
        FROM (SELECT (i -> 'input')::jsonb AS i
              FROM json_array_elements(jobs.input_progress(job, p_limit => 1000) -> 'items') i) x);
CREATE FUNCTION pg_temp.log(job text) RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(pg_temp.short(regexp_replace((e::jsonb - 'id')::text, '"created_at": "[^"]*"', '"created_at": …')),
                          E'\n' ORDER BY (e ->> 'id')::bigint)
        FROM json_array_elements(jobs.progress_log(job, p_limit => 1000) -> 'entries') e);

-- ===== add_inputs: every new field stored =====
BEGIN;
SELECT jobs.add_inputs('w43', '{a,b,c,a}', 'pending', port_names => '{in,in,NULL,other}',
                       file_ids => '{f-a,NULL,f-c,f-dup}', data => '{"{\"rows\": 1}",NULL,"[1, \"x\"]","{}"}',
                       created_ats => '{2026-04-14 09:01+00,2026-04-14 09:02+00,NULL,2026-04-14 09:03+00}');
-- The first "a" won (port "in", file "f-a"); a null created_at is now().
SELECT id, port_name, file_id, data, CASE WHEN created_at = now() THEN 'now()' ELSE created_at::text END AS created_at
FROM jobs.job_inputs WHERE job_id = 'w43' ORDER BY id;
COMMIT;
-- Ids that exist are skipped whatever their fields; the new one is added.
SELECT jobs.add_inputs('w43', '{a,d}', 'pending', port_names => '{changed,in}', file_ids => NULL,
                       data => '{NULL,"true"}', created_ats => '{2026-04-14 09:09+00,2026-04-14 09:04+00}');
SELECT id, port_name, file_id, data, created_at FROM jobs.job_inputs WHERE job_id = 'w43' AND id IN ('a', 'd') ORDER BY id;
-- A reference input carries its fields too.
SELECT jobs.add_inputs('w43', '{ref}', 'reference', port_names => '{lookup}', created_ats => '{2026-04-14 09:00+00}');
SELECT status, port_name, created_at FROM jobs.job_inputs WHERE job_id = 'w43' AND id = 'ref';

-- ===== start_input =====
SELECT jobs.start_input('w43', 'a') AS pending_to_processing, jobs.start_input('w43', 'a') AS repeat;
SELECT status FROM jobs.job_inputs WHERE job_id = 'w43' AND id = 'a';
SELECT jobs.start_input('w43', 'ref');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.start_input('w43', 'nope');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.start_input('w43_other', 'a');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.start_input('w43_missing', 'a');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.start_input(NULL, 'a');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.start_input('w43', NULL);
\echo :LAST_ERROR_SQLSTATE
-- It takes the job's lock and advances change_count, like every write.
SELECT change_count AS before FROM jobs.jobs WHERE id = 'w43' \gset
SELECT jobs.start_input('w43', 'b');
SELECT change_count - :before AS advanced FROM jobs.jobs WHERE id = 'w43';

-- ===== finish_input: error_message, first wins =====
SELECT jobs.finish_input('w43', 'b', 'failed', '2026-04-14 09:20+00', error_message => 'disk full');
SELECT jobs.finish_input('w43', 'b', 'failed', '2026-04-14 09:30+00', error_message => 'another message');
-- On completed it is allowed and stored as given.
SELECT jobs.finish_input('w43', 'a', 'completed', '2026-04-14 09:21+00', error_message => 'retried twice');
SELECT id, status, completed_at, error_message FROM jobs.job_inputs WHERE job_id = 'w43' AND id IN ('a', 'b') ORDER BY id;
-- Finished: start_input is a conflict.
SELECT jobs.start_input('w43', 'b');
\echo :LAST_ERROR_SQLSTATE
-- 4096 bytes pass, 4097 do not (22001), before the visibility check.
SELECT jobs.finish_input('w43', 'c', 'completed', '2026-04-14 09:22+00', error_message => repeat('é', 2048));
SELECT octet_length(error_message) FROM jobs.job_inputs WHERE job_id = 'w43' AND id = 'c';
SELECT jobs.finish_input('w43_other', 'c', 'completed', '2026-04-14 09:22+00', error_message => repeat('x', 4097));
\echo :LAST_ERROR_SQLSTATE

-- ===== report_progress: every new field stored =====
SELECT jobs.report_progress('{w43,w43,w43}', '{a,NULL,d}', '{k,k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:11+00,2026-04-14 09:12+00}',
                            '{"{\"success\": 1}","{\"success\": 2}","{}"}',
                            steps => '{1,NULL,3}', messages => '{"one",NULL,"three"}',
                            payloads => '{"{\"p\": 1}",NULL,"\"s\""}', indexes => '{10,NULL,-5}');
SELECT pg_temp.log('w43');
SELECT pg_temp.inputs('w43');

-- ===== §7.3: duplicates by whole content =====
-- The same report again: skipped. Another message, step, payload or index:
-- stored. Within a batch, an equal earlier element: skipped.
SELECT jobs.report_progress('{w43,w43,w43,w43,w43,w43}', '{a,a,a,a,a,a}', '{k,k,k,k,k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:10+00}',
                            '{"{\"success\": 1}","{\"success\": 1}","{\"success\": 1}","{\"success\": 1}","{\"success\": 1}","{\"success\": 1}"}',
                            steps => '{1,1,2,1,1,1}', messages => '{"one","other","one","one","one","other"}',
                            payloads => '{"{\"p\": 1}","{\"p\": 1}","{\"p\": 1}","{\"p\":1}","{\"p\": 1}","{\"p\": 1}"}',
                            indexes => '{10,10,10,10,11,10}');
SELECT step, message, payload, "index" FROM jobs.job_progress
WHERE job_id = 'w43' AND input_id = 'a' ORDER BY id;
-- A 1.0-style report equal in the five fields to a stored row that has a
-- message is not a duplicate (a null message differs); sent twice, once stored.
SELECT jobs.report_progress('{w43}', '{a}', '{k}', '{2026-04-14 09:10+00}', '{"{\"success\": 1}"}');
SELECT jobs.report_progress('{w43}', '{a}', '{k}', '{2026-04-14 09:10+00}', '{"{\"success\": 1}"}');
-- Arrays of nulls are null arrays: that 1.0-style row is a duplicate.
SELECT jobs.report_progress('{w43}', '{a}', '{k}', '{2026-04-14 09:10+00}', '{"{\"success\": 1}"}',
                            '{NULL}', '{NULL}', '{NULL}', '{NULL}');
SELECT count(*) FROM jobs.job_progress WHERE job_id = 'w43' AND input_id = 'a';

-- ===== phase 1: lengths (2202E), the first offender in signature order =====
SELECT jobs.add_inputs('w43', '{x,y}', port_names => '{p}');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.add_inputs('w43', '{x,y}', file_ids => '{p,q}', data => '{}', created_ats => '{NULL,NULL,NULL}');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.report_progress('{w43}', '{a}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}', steps => '{1,2}');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.report_progress('{w43}', '{a}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}', messages => '{}');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.report_progress('{w43}', '{a}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}', payloads => '{}', indexes => '{1,2}');
\echo :LAST_ERROR_SQLSTATE
-- The five first arrays' rule comes first, with 1.0's message.
SELECT jobs.report_progress('{w43}', '{}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}', indexes => '{1,2}');
\echo :LAST_ERROR_SQLSTATE
-- Lengths before the batch cap; an empty batch with empty trailing arrays is fine.
SELECT jobs.report_progress('{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}');

-- ===== phase 2: values, DETAIL element <n>, before visibility =====
-- port_name and file_id: ids' rules (empty 22023, 513 bytes 22001, control characters 22023).
SELECT jobs.add_inputs('w43_other', '{x,y,z}', port_names => ARRAY['in', 'in', '']);
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.add_inputs('w43_other', '{x,y}', port_names => '{in,in}', file_ids => ARRAY['f', repeat('f', 513)]);
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.add_inputs('w43_other', '{x,y}', file_ids => ARRAY[E'f\tg', NULL]);
\echo :LAST_ERROR_SQLSTATE
-- data: 64 KiB of JSON text pass, one byte more does not (22023).
SELECT jobs.add_inputs('w43', '{big}', data => ARRAY[to_jsonb(repeat('x', 65534))]);
SELECT jobs_internal.jsonb_bytes(data) FROM jobs.job_inputs WHERE job_id = 'w43' AND id = 'big';
SELECT jobs.add_inputs('w43_other', '{x,y}', data => ARRAY[NULL, to_jsonb(repeat('x', 65535))]);
\echo :LAST_ERROR_SQLSTATE
-- created_at: a valid time.
SELECT jobs.add_inputs('w43_other', '{x,y}', created_ats => '{2026-04-14 09:00+00,infinity}');
\echo :LAST_ERROR_SQLSTATE
-- Of two bad elements the lower; within one, the first bad parameter in signature order.
SELECT jobs.add_inputs('w43_other', '{x,y,z}', port_names => ARRAY[NULL, NULL, ''], file_ids => ARRAY[NULL, '', NULL]);
SELECT jobs.add_inputs('w43_other', '{x}', port_names => ARRAY[''], created_ats => '{infinity}');
-- message: 4096 bytes (22001); payload: 64 KiB (22023).
SELECT jobs.report_progress('{w43_other,w43}', '{NULL,NULL}', '{k,k}', '{2026-04-14 09:10+00,2026-04-14 09:10+00}',
                            '{"{}","{}"}', messages => ARRAY[NULL, repeat('m', 4097)]);
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.report_progress('{w43,w43_other}', '{NULL,NULL}', '{k,k}', '{2026-04-14 09:10+00,2026-04-14 09:10+00}',
                            '{"{}","{}"}', payloads => ARRAY[to_jsonb(repeat('x', 65535)), NULL]);
\echo :LAST_ERROR_SQLSTATE
-- metrics (element 2) before message (element 2), message before payload.
SELECT jobs.report_progress('{w43,w43}', '{NULL,NULL}', '{k,k}', '{2026-04-14 09:10+00,2026-04-14 09:10+00}',
                            '{"{}","[]"}', messages => ARRAY[NULL, repeat('m', 4097)]);
SELECT jobs.report_progress('{w43}', '{NULL}', '{k}', '{2026-04-14 09:10+00}',
                            '{"{}"}', messages => ARRAY[repeat('m', 4097)], payloads => ARRAY[to_jsonb(repeat('x', 65535))]);
-- At the caps exactly: stored.
SELECT jobs.report_progress('{w43}', '{NULL}', '{k}', '{2026-04-14 09:13+00}', '{"{}"}',
                            messages => ARRAY[repeat('m', 4096)], payloads => ARRAY[to_jsonb(repeat('x', 65534))]);
SELECT octet_length(message), jobs_internal.jsonb_bytes(payload) FROM jobs.job_progress
WHERE job_id = 'w43' AND created_at = '2026-04-14 09:13+00';

-- ===== 1.0-style calls, for a role with only 1.0's column grants =====
RESET SESSION AUTHORIZATION;
CREATE ROLE regress_worker_v10;
INSERT INTO jobs.tenant_roles (role_name, tenant_id) VALUES ('regress_worker_v10', 'tenant_demo');
GRANT USAGE ON SCHEMA jobs TO regress_worker_v10;
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO regress_worker_v10;
GRANT UPDATE (change_count) ON jobs.jobs TO regress_worker_v10;
GRANT INSERT (job_id, id, status), UPDATE (status, completed_at) ON jobs.job_inputs TO regress_worker_v10;
GRANT INSERT (job_id, input_id, kind, created_at, metrics) ON jobs.job_progress TO regress_worker_v10;
SET SESSION AUTHORIZATION regress_worker_v10;
BEGIN;
SELECT jobs.add_inputs('w43', '{v10,v10,e}'), jobs.add_inputs('w43', '{v10}');
SELECT id, created_at = now() AS created_now FROM jobs.job_inputs WHERE job_id = 'w43' AND id IN ('v10', 'e') ORDER BY id;
COMMIT;
SELECT jobs.report_progress('{w43,w43}', '{v10,v10}', '{k,k}', '{2026-04-14 09:14+00,2026-04-14 09:14+00}',
                            '{"{\"success\": 3}","{\"success\": 3}"}');
SELECT jobs.start_input('w43', 'v10'), jobs.finish_input('w43', 'v10', 'completed', '2026-04-14 09:15+00'),
       jobs.finish_input('w43', 'v10', 'completed', '2026-04-14 09:16+00');
-- The new fields need their column grants.
SELECT jobs.report_progress('{w43}', '{v10}', '{k}', '{2026-04-14 09:14+00}', '{"{}"}', steps => '{1}');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.finish_input('w43', 'e', 'failed', '2026-04-14 09:15+00', error_message => 'no');
\echo :LAST_ERROR_SQLSTATE
SELECT id, status, port_name, file_id, data, error_message
FROM jobs.job_inputs WHERE job_id = 'w43' AND id IN ('v10', 'e') ORDER BY id;
SELECT input_id, kind, metrics, step, message, payload, "index"
FROM jobs.job_progress WHERE job_id = 'w43' AND input_id = 'v10';
RESET SESSION AUTHORIZATION;

-- The siblings show it all.
SELECT pg_temp.inputs('w43');
SELECT pg_temp.log('w43');

DELETE FROM jobs.jobs WHERE id IN ('w43', 'w43_other');
DELETE FROM jobs.tenant_roles WHERE role_name = 'regress_worker_v10';
DROP OWNED BY regress_worker_v10;
DROP ROLE regress_worker_v10;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
