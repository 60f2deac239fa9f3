-- 95_batch_values: phase 2 of the write path (docs/contract.md §7.2, §7.4).
-- Every value a call would store is checked before anything is read:
--   * a batch with a bad value and a hidden or missing job reports the bad
--     value (22xxx), not PT404;
--   * of several bad elements, the lowest in array order, and within an
--     element the first bad parameter in signature order;
--   * the message is the one a single row gets from the validation
--     triggers, with DETAIL `element <n> of the batch` (a rule's HINT kept);
--   * the one-row writes check their times before the visibility check;
--   * phase 3: the first missing job in byte order, then the first missing input.
\set ECHO none
\i test/fixtures/regress_roles.sql
\set ECHO all
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at) VALUES
    ('b95_job', 'tenant_demo', 'running', '2026-04-14 09:00+00', '2026-04-14 09:00+00'),
    ('b95_other', 'tenant_other', 'running', '2026-04-14 09:00+00', '2026-04-14 09:00+00');
INSERT INTO jobs.job_inputs (job_id, id) VALUES ('b95_job', 'in_1');
SET SESSION AUTHORIZATION regress_worker_demo;

-- ===== report_progress =====
-- Another tenant's job at element 2, a missing one at 3, a bad time at 5.
SELECT jobs.report_progress('{b95_job,b95_other,b95_missing,b95_job,b95_job}', '{NULL,NULL,NULL,NULL,NULL}',
                            '{k,k,k,k,k}', '{2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:11+00,infinity}',
                            '{"{}","{}","{}","{}","{}"}');
\echo :LAST_ERROR_SQLSTATE
-- Without the bad value: the hidden job, PT404 as before.
SELECT jobs.report_progress('{b95_job,b95_other}', '{NULL,NULL}', '{k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', '{"{}","{}"}');
\echo :LAST_ERROR_SQLSTATE
-- Phase 3: a missing job before a missing input, whatever their byte order.
SELECT jobs.report_progress('{b95_job,b95_zz_missing}', '{nope,NULL}', '{k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', '{"{}","{}"}');
SELECT jobs.report_progress('{b95_job,b95_job}', '{zz,nope}', '{k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', '{"{}","{}"}');
-- Two bad elements: an empty kind at 3, bad metrics at 2: element 2.
SELECT jobs.report_progress('{b95_other,b95_job,b95_job}', '{NULL,NULL,NULL}', '{k,k,""}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00,2026-04-14 09:10+00}',
                            '{"{}","{\"success\": -1}","{}"}');
\echo :LAST_ERROR_SQLSTATE
-- Within one element, the first bad parameter in signature order: the kind
-- (22001) before created_at and metrics.
SELECT jobs.report_progress('{b95_missing}', '{in_1}', ARRAY[repeat('k', 513)], '{0001-01-01 00:00+01}',
                            '{"[]"}');
\echo :LAST_ERROR_SQLSTATE
-- A control character in a kind (22023), a null metrics (22004).
SELECT jobs.report_progress('{b95_job,b95_job}', '{NULL,NULL}', ARRAY['k', E'a\tb'],
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', '{"{}","{}"}');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.report_progress('{b95_missing,b95_job}', '{NULL,NULL}', '{k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', ARRAY['{}', NULL]::jsonb[]);
\echo :LAST_ERROR_SQLSTATE
-- A time too far ahead for a tenant's writer: the clock rule's message
-- (the server's clock masked) and hint.
CREATE FUNCTION pg_temp.error_of(call text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    EXECUTE call;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                            v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
    RETURN concat_ws(E'\n', v_state, regexp_replace(v_message, '\(.*\)$', '(now)'),
                     nullif(v_detail, ''), nullif(v_hint, ''));
END $$;
SELECT pg_temp.error_of($$SELECT jobs.report_progress('{b95_other,b95_job}', '{NULL,NULL}', '{k,k}',
                            '{2026-04-14 09:10+00,9999-12-31 00:00+00}', '{"{}","{}"}')$$);
-- The same bad rows inserted directly: the triggers' messages, no DETAIL.
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES ('b95_job', 'k', 'infinity', '{}');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES ('b95_job', 'k', '2026-04-14 09:10+00', '{"success": -1}');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES ('b95_job', E'a\tb', '2026-04-14 09:10+00', '{}');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES ('b95_job', 'k', '2026-04-14 09:10+00', NULL);
-- Good values: stored as before.
SELECT jobs.report_progress('{b95_job,b95_job}', '{NULL,in_1}', '{k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', '{"{}","{\"success\": 1}"}');

-- ===== add_inputs =====
-- A hidden job, a control character at element 3, a null id at element 4.
SELECT jobs.add_inputs('b95_other', ARRAY['a', 'b', E'c\nd', NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.add_inputs('b95_missing', ARRAY['a', NULL, '']);
\echo :LAST_ERROR_SQLSTATE
-- The batch's status is part of every element: element 1 names it.
SELECT jobs.add_inputs('b95_missing', ARRAY['a', ''], 'done');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.add_inputs('b95_missing', ARRAY['a'], 'completed');
\echo :LAST_ERROR_SQLSTATE

-- ===== The one-row writes: their times before the visibility check =====
SELECT jobs.start_job('b95_other', 'infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT jobs.finish_input('b95_missing', 'in_1', 'completed', '10000-01-01 00:00+00');
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.error_of($$SELECT jobs.finish_job('b95_other', 'completed', '9999-12-31 00:00+00')$$);
SELECT jobs.finish_job('b95_other', 'completed', '2026-04-14 10:00+00');
\echo :LAST_ERROR_SQLSTATE
RESET SESSION AUTHORIZATION;
-- An empty batch stores nothing and checks nothing but the job.
SELECT jobs.add_inputs('b95_job', '{}', 'done');
SELECT jobs.add_inputs('b95_job', ARRAY['in_2', 'in_2']);
-- The superuser loads data as it is: no clock rule (as the trigger).
SELECT jobs.report_progress('{b95_job}', '{NULL}', '{k}', '{9999-12-31 00:00+00}', '{"{}"}');

-- ===== The filters of phase 2 (47_batch_values.sql) =====
-- The checks run only when the filter finds an element it does not pass, so
-- a value the filter passes must be one every check passes. Over edge values
-- of each field (the other fields valid), as a tenant's writer (the clock
-- rule on) and as the superuser: no case passes its filter and fails its
-- checks (no row "t | t"); the counts show that both sides are reached.
CREATE FUNCTION pg_temp.refused(call text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE call;
    RETURN false;
EXCEPTION WHEN data_exception THEN
    RETURN true;
END $$;
CREATE TEMP TABLE filter_progress (kind text, created_at timestamptz, metrics jsonb, message text, payload jsonb);
INSERT INTO filter_progress
SELECT v, '2026-04-14 09:10+00', '{}', NULL, NULL
FROM unnest(ARRAY['k', '', NULL, repeat('x', 512), repeat('x', 513), repeat('é', 256), repeat('é', 257),
                  E'a\x01', 'a' || chr(127), 'a' || chr(159), 'a' || chr(160), 'a b/%"'' ']) v;
INSERT INTO filter_progress
SELECT 'k', v, '{}', NULL, NULL
FROM unnest(ARRAY['2026-04-14 09:10+00', 'infinity', '-infinity', '0001-01-01 00:00+00',
                  '0001-01-01 00:00+00'::timestamptz - interval '1 microsecond', '9999-12-31 23:59:59.999999+00',
                  now(), now() + interval '1 second', now() + interval '1 year']::timestamptz[]) v;
INSERT INTO filter_progress
SELECT 'k', '2026-04-14 09:10+00', v, NULL, NULL
FROM unnest(ARRAY['{}', '{"success": 5}', '{"success": 5.0}', '{"success": 1e2}', '{"success": -1}',
                  '{"success": "5"}', '{"success": null}', '{"success": 999999999999999999}',
                  '{"success": 9223372036854775807}', '{"success": 9223372036854775808}', '{"failed": 1.5}',
                  '{"failed": 0, "success": 0}', '{"other": "x"}', '[]', '5', 'null', NULL]::jsonb[]) v;
INSERT INTO filter_progress
SELECT 'k', '2026-04-14 09:10+00', '{}', v, NULL
FROM unnest(ARRAY[NULL, '', repeat('m', 4096), repeat('m', 4097), repeat('é', 2048), repeat('é', 2049)]) v;
INSERT INTO filter_progress
SELECT 'k', '2026-04-14 09:10+00', '{}', NULL, v
FROM unnest(ARRAY[NULL, '{}', 'null', to_jsonb(repeat('p', 65534)), to_jsonb(repeat('p', 65535))]) v;
CREATE TEMP TABLE filter_inputs (input_id text, status text, port_name text, file_id text, data jsonb, created_at timestamptz);
INSERT INTO filter_inputs
SELECT v, 'pending', NULL, NULL, NULL, NULL
FROM unnest(ARRAY['i', '', NULL, repeat('x', 512), repeat('x', 513), E'a\x1f', 'a' || chr(127)]) v;
INSERT INTO filter_inputs
SELECT 'i', v, NULL, NULL, NULL, NULL
FROM unnest(ARRAY['pending', 'processing', 'reference', 'completed', 'failed', 'done', '', NULL]) v;
INSERT INTO filter_inputs
SELECT 'i', 'pending', v, w, NULL, NULL
FROM unnest(ARRAY[NULL, 'p', '', repeat('x', 513), E'p\x1f'], ARRAY['f', NULL, E'f\n', '', repeat('é', 257)]) u(v, w);
INSERT INTO filter_inputs
SELECT 'i', 'pending', NULL, NULL, v, NULL
FROM unnest(ARRAY[NULL, '{}', to_jsonb(repeat('p', 65534)), to_jsonb(repeat('p', 65535))]) v;
INSERT INTO filter_inputs
SELECT 'i', 'pending', NULL, NULL, NULL, v
FROM unnest(ARRAY[NULL, '2026-04-14 09:10+00', 'infinity', now() + interval '1 year']::timestamptz[]) v;
CREATE TEMP TABLE filter_times (tbl regclass, t timestamptz, message text);
INSERT INTO filter_times
SELECT tbl, t, NULL
FROM unnest(ARRAY['jobs.jobs', 'jobs.job_inputs']::regclass[]) tbl,
     unnest(ARRAY[NULL, '2026-04-14 09:10+00', 'infinity', '10000-01-01 00:00+00', now(),
                  now() + interval '1 second', now() + interval '1 year']::timestamptz[]) t
UNION ALL
SELECT 'jobs.job_inputs', '2026-04-14 09:10+00', v
FROM unnest(ARRAY[NULL, repeat('m', 4096), repeat('m', 4097)]) v;
GRANT SELECT ON filter_progress, filter_inputs, filter_times TO PUBLIC;
CREATE TEMP VIEW filter_agreement AS
SELECT 'progress' AS filter,
       jobs_internal.progress_element_passes(kind, created_at, metrics, message, payload) AS passes,
       pg_temp.refused(format('SELECT jobs_internal.check_progress_element(%L, %L, %L, %L, %L)',
                              kind, created_at, metrics, message, payload)) AS refused
FROM filter_progress
UNION ALL
SELECT 'inputs', jobs_internal.input_element_passes(input_id, status, port_name, file_id, data, created_at),
       pg_temp.refused(format('SELECT jobs_internal.check_input_element(%L, %L, %L, %L, %L, %L)',
                              input_id, status, port_name, file_id, data, created_at))
FROM filter_inputs
UNION ALL
SELECT 'one-row', jobs_internal.write_time_passes(tbl, t) AND jobs_internal.message_passes(message),
       pg_temp.refused(format('SELECT jobs_internal.require_write_time(''t'', %L, %L), jobs_internal.require_message(''m'', %L)',
                              tbl, t, message))
FROM filter_times;
GRANT SELECT ON filter_agreement TO PUBLIC;
SELECT filter, passes, refused, count(*) FROM filter_agreement GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SET SESSION AUTHORIZATION regress_worker_demo;
SELECT filter, passes, refused, count(*) FROM filter_agreement GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
RESET SESSION AUTHORIZATION;
-- Every write function plans its statements generically (50_writes.sql:
-- planning them on every call was most of a single write's cost).
SELECT p.oid::regprocedure, p.proconfig
FROM pg_proc p
WHERE p.pronamespace = 'jobs'::regnamespace
  AND p.proname IN ('add_inputs', 'start_job', 'start_input', 'finish_input', 'finish_job', 'report_progress')
ORDER BY 1::text;

DELETE FROM jobs.jobs WHERE id LIKE 'b95\_%';
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
