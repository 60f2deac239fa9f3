-- docs/contract.md §1.7: every rule the schema enforces refuses the bad row with a clear
-- message and a 22xxx SQLSTATE (23xxx for keys). One statement per rule;
-- :SQLSTATE is printed after each (00000 when the statement succeeded).
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- A valid job and inputs to attach rows to.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('c01_job', 'tenant_a', 'running', '2026-04-14 09:00+00', '2026-04-14 09:01+00');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_1', 'processing');
\echo :SQLSTATE

-- ===== jobs.jobs =====
-- status outside its set
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'done');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'Running');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', NULL);
\echo :SQLSTATE
-- terminal status without finished_at, for each terminal status
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'completed');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'failed');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'cancelled');
\echo :SQLSTATE
-- finished_at on a job that is not terminal (preempted is not terminal)
INSERT INTO jobs.jobs (id, tenant_id, status, finished_at) VALUES ('c01_bad', 't', 'running', '2026-04-14 10:00+00');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status, finished_at) VALUES ('c01_bad', 't', 'preempted', '2026-04-14 10:00+00');
\echo :SQLSTATE
-- the same rules on UPDATE
UPDATE jobs.jobs SET status = 'completed' WHERE id = 'c01_job';
\echo :SQLSTATE
UPDATE jobs.jobs SET finished_at = '2026-04-14 10:00+00' WHERE id = 'c01_job';
\echo :SQLSTATE
-- non-finite or unrepresentable timestamps
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('c01_bad', 't', 'infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, started_at) VALUES ('c01_bad', 't', '-infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status, finished_at) VALUES ('c01_bad', 't', 'failed', 'infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('c01_bad', 't', '10000-01-01 00:00+00');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('c01_bad', 't', '0001-12-31 23:59:59.999999+00 BC');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('c01_bad', 't', NULL);
\echo :SQLSTATE
-- ids and tenants
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('', 't');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES (NULL, 't');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('c01_bad', '');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('c01_bad', NULL);
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('c01_job', 't');
\echo :SQLSTATE
-- the limits that are accepted: first and last microsecond of years 1..9999
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('c01_edges', 't', 'cancelled', '0001-01-01 00:00+00', NULL, '9999-12-31 23:59:59.999999+00');
\echo :SQLSTATE

-- ===== jobs.job_inputs =====
-- status outside its set
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_bad', 'done');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_bad', NULL);
\echo :SQLSTATE
-- finished without completed_at (completed and failed)
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_bad', 'completed');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_bad', 'failed');
\echo :SQLSTATE
-- completed_at without being finished (pending, processing, reference)
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'pending', '2026-04-14 10:00+00');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'processing', '2026-04-14 10:00+00');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'reference', '2026-04-14 10:00+00');
\echo :SQLSTATE
-- the same rules on UPDATE
UPDATE jobs.job_inputs SET status = 'completed' WHERE job_id = 'c01_job' AND id = 'in_1';
\echo :SQLSTATE
-- non-finite completed_at
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'completed', 'infinity');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'failed', '-infinity');
\echo :SQLSTATE
-- ids, keys
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', '', 'pending');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_1', 'pending');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_nojob', 'in_1', 'pending');
\echo :SQLSTATE
-- accepted: a failed input has a finish time too; a reference input has none
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_2', 'failed', '2026-04-14 10:00+00');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_ref', 'reference');
\echo :SQLSTATE

-- ===== jobs.job_progress =====
-- kind empty or null
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', '', '2026-04-14 10:00+00', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', NULL, '2026-04-14 10:00+00', '{}');
\echo :SQLSTATE
-- metrics that are not an object
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '[1, 2]');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '"success"');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '7');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', 'null');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', NULL);
\echo :SQLSTATE
-- success / failed: negative, fractional, string, boolean, null, object, too large
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": -1}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"failed": -0.5}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": 1.5}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"failed": 2.000001}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": 1e-3}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": "3"}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"failed": true}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": null}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"failed": {"n": 1}}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": 9223372036854775808}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"failed": 1e19}');
\echo :SQLSTATE
-- non-finite created_at
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', 'infinity', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '-infinity', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', NULL, '{}');
\echo :SQLSTATE
-- foreign keys: unknown job, unknown input of a known job, input of another job
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_nojob', NULL, 'inference', '2026-04-14 10:00+00', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_nope', 'inference', '2026-04-14 10:00+00', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_edges', 'in_1', 'inference', '2026-04-14 10:00+00', '{}');
\echo :SQLSTATE
-- the same rules on UPDATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('c01_job', 'in_1', 'inference', '2026-04-14 10:00+00', '{"success": 1}');
\echo :SQLSTATE
UPDATE jobs.job_progress SET metrics = '{"success": -2}' WHERE job_id = 'c01_job';
\echo :SQLSTATE
UPDATE jobs.job_progress SET kind = '' WHERE job_id = 'c01_job';
\echo :SQLSTATE

-- Accepted: counters are read as integers; missing means 0; other keys are
-- ignored; integral values written as 2.0 or 1e3 are integers; the largest
-- 64-bit value fits; a job-level row has a null input_id.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('c01_job', 'in_1', 'inference', '2026-04-14 10:01+00', '{}'),
    ('c01_job', 'in_1', 'inference', '2026-04-14 10:02+00', '{"failed": 3, "latency_ms": 12.5, "note": "x", "success_rate": -1}'),
    ('c01_job', 'in_1', 'inference', '2026-04-14 10:03+00', '{"success": 2.0, "failed": 1e3}'),
    ('c01_job', 'in_1', 'inference', '2026-04-14 10:04+00', '{"success": 9223372036854775807, "failed": -0}'),
    ('c01_job', NULL, 'upload', '2026-04-14 10:05+00', '{"success": 0, "failed": 0}');
\echo :SQLSTATE
SELECT created_at, input_id, kind, metrics, success, failed
FROM jobs.job_progress WHERE job_id = 'c01_job' ORDER BY created_at;
SELECT jobs_internal.metric_count('{"success": 12}', 'success') AS success,
       jobs_internal.metric_count('{"success": 12}', 'failed') AS failed;
-- The id is assigned by the database.
INSERT INTO jobs.job_progress (id, job_id, kind, metrics) VALUES (1, 'c01_job', 'inference', '{}');
\echo :SQLSTATE

-- ===== The CHECK constraints behind the triggers =====
-- With the validation triggers not firing (a replica applying changes does
-- this), the CHECK constraints and the counters' generated columns still
-- refuse the same rows (foreign keys are triggers and are off here too).
-- Terse errors: the constraint's DETAIL would show a generated id.
\set VERBOSITY terse
SET session_replication_role = replica;
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'done');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status) VALUES ('c01_bad', 't', 'completed');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status, finished_at) VALUES ('c01_bad', 't', 'running', '2026-04-14 10:00+00');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, started_at) VALUES ('c01_bad', 't', 'infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('', 't');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_bad', 'done');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', 'in_bad', 'failed');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'reference', '2026-04-14 10:00+00');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('c01_job', 'in_bad', 'completed', '-infinity');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('c01_job', '', 'pending');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, kind, metrics) VALUES ('c01_job', '', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES ('c01_job', 'inference', 'infinity', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, kind, metrics) VALUES ('c01_job', 'inference', '{"success": -1}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, kind, metrics) VALUES ('c01_job', 'inference', '[]');
\echo :SQLSTATE
RESET session_replication_role;
\set VERBOSITY default

-- The CHECKs spell out the rules of valid_name, valid_time, the status lists
-- and the caps rather than calling them (a call is inlined each time a
-- statement prepares its constraints: docs/load.md). They must accept
-- exactly what those functions accept: every case below is written with the
-- triggers off, and each row lists a case where the CHECK and the function
-- disagree (none).
CREATE FUNCTION pg_temp.check_accepts(stmt text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    SET LOCAL session_replication_role = replica;
    EXECUTE stmt;
    RAISE EXCEPTION 'accepted' USING ERRCODE = 'P0001';  -- undoes the row
EXCEPTION
    WHEN check_violation THEN RETURN false;
    WHEN raise_exception THEN RETURN true;
END $$;
CREATE TEMP TABLE check_cases (rule text, stmt text, expected boolean);
INSERT INTO check_cases
SELECT 'job status ' || s || coalesce(' finished ' || f, ''),
       format('INSERT INTO jobs.jobs (id, tenant_id, status, finished_at) VALUES (''c01_eq'', ''t'', %L, %L)', s, f),
       s = ANY (jobs_internal.job_statuses()) AND jobs_internal.is_terminal_job_status(s) = (f IS NOT NULL)
FROM unnest(jobs_internal.job_statuses() || '{done,""}'::text[]) s, unnest(ARRAY[NULL, '2026-04-14 10:00+00']) f
UNION ALL
SELECT 'input status ' || s || coalesce(' completed ' || f, ''),
       format('INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES (''c01_job'', ''c01_eq'', %L, %L)', s, f),
       s = ANY (jobs_internal.input_statuses()) AND jobs_internal.is_finished_input_status(s) = (f IS NOT NULL)
FROM unnest(jobs_internal.input_statuses() || '{done,""}'::text[]) s, unnest(ARRAY[NULL, '2026-04-14 10:00+00']) f
UNION ALL
SELECT c || ' of ' || octet_length(v) || ' bytes', format(t, v), jobs_internal.valid_name(v)
FROM unnest(ARRAY['', 'a', repeat('x', 512), repeat('x', 513), repeat('é', 256), repeat('é', 257)]) v,
     (VALUES ('job id', 'INSERT INTO jobs.jobs (id, tenant_id) VALUES (%L, ''t'')'),
             ('job tenant_id', 'INSERT INTO jobs.jobs (id, tenant_id) VALUES (''c01_eq'', %L)'),
             ('input id', 'INSERT INTO jobs.job_inputs (job_id, id) VALUES (''c01_job'', %L)'),
             ('input port_name', 'INSERT INTO jobs.job_inputs (job_id, id, port_name) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('input file_id', 'INSERT INTO jobs.job_inputs (job_id, id, file_id) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('progress kind', 'INSERT INTO jobs.job_progress (job_id, kind) VALUES (''c01_job'', %L)'),
             ('progress input_id', 'INSERT INTO jobs.job_progress (job_id, input_id, kind) VALUES (''c01_job'', %L, ''k'')')) n (c, t)
UNION ALL
SELECT c || ' ' || v, format(t, v), jobs_internal.valid_time(v::timestamptz)
FROM unnest(ARRAY['0001-01-01 00:00:00+00', '0001-12-31 23:59:59.999999+00 BC', '9999-12-31 23:59:59.999999+00',
                  '10000-01-01 00:00:00+00', 'infinity', '-infinity']) v,
     (VALUES ('job created_at', 'INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES (''c01_eq'', ''t'', %L)'),
             ('job started_at', 'INSERT INTO jobs.jobs (id, tenant_id, started_at) VALUES (''c01_eq'', ''t'', %L)'),
             ('job finished_at', 'INSERT INTO jobs.jobs (id, tenant_id, status, finished_at) VALUES (''c01_eq'', ''t'', ''failed'', %L)'),
             ('input completed_at', 'INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES (''c01_job'', ''c01_eq'', ''failed'', %L)'),
             ('input created_at', 'INSERT INTO jobs.job_inputs (job_id, id, created_at) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('progress created_at', 'INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES (''c01_job'', ''k'', %L)')) n (c, t)
UNION ALL
SELECT c || ' of ' || n || ' bytes', format(t, repeat('x', n)), n <= jobs_internal.max_message_bytes()
FROM unnest(ARRAY[jobs_internal.max_message_bytes(), jobs_internal.max_message_bytes() + 1]) n,
     (VALUES ('input error_message', 'INSERT INTO jobs.job_inputs (job_id, id, error_message) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('progress message', 'INSERT INTO jobs.job_progress (job_id, kind, message) VALUES (''c01_job'', ''k'', %L)')) m (c, t)
UNION ALL
SELECT c || ' of ' || jobs_internal.jsonb_bytes(v) || ' bytes as text', format(t, v), jobs_internal.jsonb_bytes(v) <= jobs_internal.max_jsonb_bytes()
FROM unnest(ARRAY[to_jsonb(repeat('x', jobs_internal.max_jsonb_bytes() - 2)), to_jsonb(repeat('x', jobs_internal.max_jsonb_bytes() - 1))]) v,
     (VALUES ('input data', 'INSERT INTO jobs.job_inputs (job_id, id, data) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('progress payload', 'INSERT INTO jobs.job_progress (job_id, kind, payload) VALUES (''c01_job'', ''k'', %L)')) j (c, t);
SELECT count(*) AS cases, count(*) FILTER (WHERE expected) AS valid FROM check_cases;
SELECT rule, expected, pg_temp.check_accepts(stmt) AS accepted FROM check_cases
WHERE pg_temp.check_accepts(stmt) IS DISTINCT FROM expected ORDER BY rule;

-- The validation triggers of job_inputs and job_progress are C: they pass a
-- row only when every rule does and hand any other to the PL/pgSQL rules,
-- which raise (src/glue/row_validation.c). The same cases with the triggers
-- on, plus the alphabet of ids and kinds (no CHECK holds it): a row the
-- rules refuse must get their 22xxx, never pass the trigger to be caught by
-- a CHECK (23514) or get in; a row they accept must get in (the foreign
-- keys, which fire later, are not the question: 23503 counts as passed).
CREATE FUNCTION pg_temp.triggers_verdict(stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RAISE EXCEPTION 'accepted' USING ERRCODE = 'P0001';  -- undoes the row
EXCEPTION
    WHEN raise_exception OR foreign_key_violation THEN RETURN 'passed';
    WHEN check_violation THEN RETURN 'caught by a CHECK';
    WHEN data_exception THEN RETURN 'refused';  -- class 22
END $$;
INSERT INTO check_cases
SELECT c || ' with U+' || upper(lpad(to_hex(cp), 4, '0')), format(t, 'a' || chr(cp) || 'b'),
       ('a' || chr(cp) || 'b') !~ jobs_internal.control_characters()
FROM unnest(ARRAY[1, 9, 31, 32, 126, 127, 128, 133, 159, 160, 233, 8232, 65279]) cp,
     (VALUES ('input id', 'INSERT INTO jobs.job_inputs (job_id, id) VALUES (''c01_job'', %L)'),
             ('input port_name', 'INSERT INTO jobs.job_inputs (job_id, id, port_name) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('input file_id', 'INSERT INTO jobs.job_inputs (job_id, id, file_id) VALUES (''c01_job'', ''c01_eq'', %L)'),
             ('progress kind', 'INSERT INTO jobs.job_progress (job_id, kind) VALUES (''c01_job'', %L)')) n (c, t);
SELECT count(*) AS cases, count(*) FILTER (WHERE expected) AS valid FROM check_cases;
SELECT rule, expected, pg_temp.triggers_verdict(stmt) AS verdict FROM check_cases
WHERE pg_temp.triggers_verdict(stmt) <> CASE WHEN expected THEN 'passed' ELSE 'refused' END
  AND rule NOT LIKE 'job %'  -- jobs.jobs keeps its PL/pgSQL trigger
ORDER BY rule;

-- Nothing bad got in.
SELECT id, status FROM jobs.jobs WHERE id LIKE 'c01%' ORDER BY id;
SELECT job_id, id, status, completed_at FROM jobs.job_inputs WHERE job_id LIKE 'c01%' ORDER BY job_id, id;
SELECT count(*) AS progress_rows FROM jobs.job_progress WHERE job_id LIKE 'c01%';

DELETE FROM jobs.jobs WHERE id LIKE 'c01%';
