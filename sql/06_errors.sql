-- docs/contract.md §3: errors of the trace functions. Unknown job: PT404 with message
-- job "<id>" not found (PostgREST: HTTP 404); null job_id: 22004 (400);
-- other bad input: a clear message and a 22xxx SQLSTATE, never a crash.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('e06_job', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');

-- ===== Unknown job: PT404 =====
SELECT jobs.progress_traces('e06_nope', 50);
\echo :SQLSTATE
SELECT jobs.progress_traces('e06_nope');
\echo :SQLSTATE
-- ids no job can have; the id is shown as given, quotes and all
SELECT jobs.progress_traces('', 50);
\echo :SQLSTATE
SELECT jobs.progress_traces('E06_JOB', 50);
\echo :SQLSTATE
SELECT jobs.progress_traces('e06_job ', 50);
\echo :SQLSTATE
SELECT jobs.progress_traces('job "quoted" \ back', 50);
\echo :SQLSTATE
SELECT jobs.progress_traces(repeat('x', 20), 50);
\echo :SQLSTATE
-- the error is raised before buckets are looked at
SELECT jobs.progress_traces('e06_nope', -5);
\echo :SQLSTATE
SELECT jobs.progress_traces('e06_nope', NULL);
\echo :SQLSTATE
-- as rows too
SELECT * FROM jobs.progress_trace_points('e06_nope', 50);
\echo :SQLSTATE
-- a job that existed and was deleted
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('e06_gone', 't');
DELETE FROM jobs.jobs WHERE id = 'e06_gone';
SELECT jobs.progress_traces('e06_gone', 50);
\echo :SQLSTATE
-- The error's fields as a client (or PostgREST) reads them.
DO $$
DECLARE
    state text; msg text; detail text; hint text;
BEGIN
    PERFORM jobs.progress_traces('e06_nope', 50);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RAISE NOTICE 'sqlstate=% message=[%] detail=[%] hint=[%]', state, msg, detail, hint;
END $$;
-- PT404 can be caught by its code.
DO $$
BEGIN
    PERFORM jobs.progress_traces('e06_nope', 50);
EXCEPTION WHEN SQLSTATE 'PT404' THEN
    RAISE NOTICE 'caught PT404';
END $$;

-- ===== Null job_id: 22004 =====
SELECT jobs.progress_traces(NULL, 50);
\echo :SQLSTATE
SELECT jobs.progress_traces(NULL);
\echo :SQLSTATE
SELECT jobs.progress_traces(NULL, NULL);
\echo :SQLSTATE
SELECT jobs.progress_traces(NULL::text);
\echo :SQLSTATE
SELECT * FROM jobs.progress_trace_points(NULL, 50);
\echo :SQLSTATE
SELECT * FROM jobs.progress_trace_points(NULL);
\echo :SQLSTATE

-- ===== Bad arguments as PostgREST passes them (text cast to the
-- parameter types): 22xxx =====
SELECT jobs.progress_traces('e06_job', 'ten'::text::integer);
\echo :SQLSTATE
SELECT jobs.progress_traces('e06_job', '99999999999'::text::integer);
\echo :SQLSTATE
SELECT jobs.progress_traces('e06_job', '1.5'::text::integer);
\echo :SQLSTATE

-- ===== Totals that do not fit in 64 bits: 22003, not a wrong number =====
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('e06_job', 'in_1', 'processing'), ('e06_job', 'in_2', 'processing');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('e06_job', 'in_1', 'inference', '2026-04-14 10:01+00', '{"success": 9223372036854775807}'),
       ('e06_job', 'in_2', 'inference', '2026-04-14 10:05+00', '{"success": 1}');
-- fits up to 10:04, overflows from 10:05 on
SELECT jobs.progress_traces('e06_job', 10);
\echo :SQLSTATE
SELECT count(*) FROM jobs.progress_trace_points('e06_job', 10);
\echo :SQLSTATE
-- once in_2 restarts from 0 the sum fits again at every point (the
-- intermediate overflow at 10:05 still refuses the answer)
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('e06_job', 'in_2', 'inference', '2026-04-14 10:06+00', '{"success": 0}');
SELECT jobs.progress_traces('e06_job', 10);
\echo :SQLSTATE
-- a snapshot exactly at the maximum, alone, is fine
DELETE FROM jobs.job_progress WHERE job_id = 'e06_job' AND input_id = 'in_2';
SELECT p->'items' AS items
FROM json_array_elements(jobs.progress_traces('e06_job', 10)->'points') AS p
WHERE p->>'t' = '2026-04-14T10:10:00Z';
\echo :SQLSTATE
-- and the failed counter too
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('e06_job', 'in_2', 'inference', '2026-04-14 10:05+00', '{"failed": 9223372036854775807}'),
       ('e06_job', NULL, 'inference', '2026-04-14 10:05+00', '{"failed": 1}');
SELECT jobs.progress_traces('e06_job', 10);
\echo :SQLSTATE

-- ===== After errors the session works normally =====
DELETE FROM jobs.job_progress WHERE job_id = 'e06_job';
SELECT jobs.progress_traces('e06_job', 10)->'points'->-1 AS last_point;
\echo :SQLSTATE
-- inside a transaction, a failed trace in a savepoint leaves the rest intact
BEGIN;
SAVEPOINT s;
SELECT jobs.progress_traces('e06_nope', 10);
ROLLBACK TO SAVEPOINT s;
SELECT jobs.progress_traces('e06_job', 10)->>'job_id' AS job_id;
COMMIT;

DELETE FROM jobs.jobs WHERE id LIKE 'e06%';
