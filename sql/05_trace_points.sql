-- docs/contract.md §2.11: jobs.progress_trace_points returns the same series as the JSON
-- trace, one row per point, in order.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\set ECHO none
\i test/fixtures/sample_job.sql
\set ECHO all

-- A job with several kinds, streams per input and job-level, events
-- outside the window, ties and out-of-order arrival, to compare with.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('p05_mixed', 't', 'failed', '2026-04-14 10:00+00', '2026-04-14 10:00:07+00', '2026-04-14 10:13:07.5+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
VALUES ('p05_mixed', 'a', 'completed', '2026-04-14 10:03:00+00'),
       ('p05_mixed', 'b', 'failed', '2026-04-14 09:59+00'),
       ('p05_mixed', 'c', 'completed', '2026-04-14 10:20+00'),
       ('p05_mixed', 'd', 'processing', NULL),
       ('p05_mixed', 'r', 'reference', NULL);
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('p05_mixed', 'a', 'ocr', '2026-04-14 10:02+00', '{"success": 4}'),
       ('p05_mixed', 'a', 'ocr', '2026-04-14 10:01+00', '{"success": 2, "failed": 1}'),
       ('p05_mixed', 'a', 'embed', '2026-04-14 10:05:10.5+00', '{"success": 40}'),
       ('p05_mixed', 'c', 'ocr', '2026-04-14 09:00+00', '{"success": 1}'),
       ('p05_mixed', 'c', 'ocr', '2026-04-14 10:09+00', '{"success": 8, "failed": 2}'),
       ('p05_mixed', 'c', 'ocr', '2026-04-14 10:09+00', '{"success": 9, "failed": 2}'),
       ('p05_mixed', 'd', 'ocr', '2026-04-14 10:11+00', '{"success": 30}'),
       ('p05_mixed', 'd', 'ocr', '2026-04-14 10:12+00', '{"success": 0}'),
       ('p05_mixed', NULL, 'embed', '2026-04-14 10:06+00', '{"success": 1000, "failed": 7}'),
       ('p05_mixed', NULL, 'Upload', '2026-04-14 10:30+00', '{"success": 3}');

-- The rows of a small trace, as SQL sees them.
SELECT * FROM jobs.progress_trace_points('p05_mixed', 10);
-- The default is 100 points; buckets are clamped as for the JSON.
SELECT count(*) AS points FROM jobs.progress_trace_points('p05_mixed');
SELECT b AS requested, (SELECT count(*) FROM jobs.progress_trace_points('p05_mixed', b)) AS points
FROM unnest(ARRAY[NULL, 1, 10, 77, 1000, 1001]::integer[]) WITH ORDINALITY AS r(b, i) ORDER BY i;

-- Rows equal the JSON points, position by position: t, step, files and
-- items (compared as jsonb), for several jobs and bucket counts. Any
-- difference would be listed.
CREATE FUNCTION pg_temp.differences(job text, buckets integer)
RETURNS TABLE (k bigint, what text) LANGUAGE sql AS $$
    WITH r AS (SELECT p.* FROM jobs.progress_trace_points(job, buckets) WITH ORDINALITY AS p(t, step, files_completed, files_failed, items, ord)),
         j AS (SELECT e.p, e.ord FROM json_array_elements(jobs.progress_traces(job, buckets)->'points') WITH ORDINALITY AS e(p, ord))
    SELECT coalesce(r.ord, j.ord) - 1,
           CASE WHEN r.ord IS NULL THEN 'missing row'
                WHEN j.ord IS NULL THEN 'extra row'
                WHEN r.t <> (j.p->>'t')::timestamptz THEN 't'
                WHEN r.step <> (j.p->>'step')::bigint THEN 'step'
                WHEN r.files_completed <> (j.p->'files'->>'completed')::bigint THEN 'files_completed'
                WHEN r.files_failed <> (j.p->'files'->>'failed')::bigint THEN 'files_failed'
                WHEN r.items <> (j.p->'items')::jsonb THEN 'items'
           END
    FROM r FULL JOIN j ON r.ord = j.ord
    WHERE r.ord IS NULL OR j.ord IS NULL
       OR r.t <> (j.p->>'t')::timestamptz OR r.step <> (j.p->>'step')::bigint
       OR r.files_completed <> (j.p->'files'->>'completed')::bigint
       OR r.files_failed <> (j.p->'files'->>'failed')::bigint
       OR r.items <> (j.p->'items')::jsonb
$$;
SELECT job, b AS buckets,
       (SELECT count(*) FROM jobs.progress_trace_points(job, b)) AS points,
       (SELECT count(*) FROM pg_temp.differences(job, b)) AS differences
FROM unnest(ARRAY['job_2abc', 'p05_mixed']) AS job, unnest(ARRAY[NULL, 10, 50, 333, 1000]::integer[]) AS b
ORDER BY job, b NULLS FIRST;
SELECT * FROM pg_temp.differences('job_2abc', 50) UNION ALL SELECT * FROM pg_temp.differences('p05_mixed', 1000);

-- Rows come in time order, strictly increasing, each step = completed + failed.
SELECT bool_and(t > prev_t) AS increasing, bool_and(step = files_completed + files_failed) AS step_is_sum,
       bool_and(ord = rank) AS in_order
FROM (SELECT t, step, files_completed, files_failed, ord,
             lag(t) OVER (ORDER BY ord) AS prev_t, rank() OVER (ORDER BY t) AS rank
      FROM jobs.progress_trace_points('p05_mixed', 1000) WITH ORDINALITY AS p(t, step, files_completed, files_failed, items, ord)) s
WHERE prev_t IS NOT NULL OR ord = 1;

-- The published points, as rows.
SELECT * FROM jobs.progress_trace_points('job_2abc', 50)
WHERE t IN ('2026-04-14 10:02:30+00', '2026-04-14 10:03:00+00', '2026-04-14 10:15:00+00');

-- Usable like any table function: one call per job in a lateral join
-- (the final point of each job), and with LIMIT.
SELECT j.id, last.*
FROM jobs.jobs AS j,
     LATERAL (SELECT * FROM jobs.progress_trace_points(j.id, 10) ORDER BY t DESC LIMIT 1) AS last
WHERE j.id IN ('job_2abc', 'p05_mixed') ORDER BY j.id;
SELECT t FROM jobs.progress_trace_points('p05_mixed', 10) LIMIT 2;

-- One snapshot: rows written by the same statement (a data-modifying CTE)
-- are not seen by either function, nor partly: the trace is the data as the
-- statement found it.
WITH more AS (
    INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
    VALUES ('p05_mixed', 'e', 'completed', '2026-04-14 10:01+00') RETURNING id
), more_progress AS (
    INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
    VALUES ('p05_mixed', NULL, 'ocr', '2026-04-14 10:01+00', '{"success": 500}') RETURNING id
)
SELECT (SELECT count(*) FROM more) + (SELECT count(*) FROM more_progress) AS written,
       jobs.progress_traces('p05_mixed', 10)->'points'->-1 AS last_point_before,
       (SELECT row(step, items) FROM jobs.progress_trace_points('p05_mixed', 10) ORDER BY t DESC LIMIT 1) AS last_row_before;
-- The next statement sees them.
SELECT jobs.progress_traces('p05_mixed', 10)->'points'->-1 AS last_point_after;

-- Errors are the JSON function's (contract §3).
\set VERBOSITY default
SELECT * FROM jobs.progress_trace_points('p05_nope', 10);
\echo :SQLSTATE
SELECT * FROM jobs.progress_trace_points(NULL, 10);
\echo :SQLSTATE

DELETE FROM jobs.jobs WHERE id IN ('job_2abc', 'p05_mixed');
