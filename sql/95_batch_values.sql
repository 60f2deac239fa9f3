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

DELETE FROM jobs.jobs WHERE id LIKE 'b95\_%';
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
