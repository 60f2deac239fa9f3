-- A trace of a large job can be cancelled by statement_timeout cleanly:
-- SQLSTATE 57014, nothing left behind, and the same session then computes
-- correct traces.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- The large job lives only in this transaction: 300 000 progress rows over
-- 100 inputs (writing them takes a few seconds; tracing them some hundreds
-- of milliseconds). Bulk-loaded as a replica would, without the per-row
-- validation triggers (the rows are valid; CHECKs and counters still apply).
BEGIN;
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('x07_big', 't', 'completed', '2026-04-14 09:00+00', '2026-04-14 09:00+00', '2026-04-14 10:00+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
SELECT 'x07_big', 'in_' || i, 'completed', '2026-04-14 09:00+00'::timestamptz + i * interval '30 seconds'
FROM generate_series(1, 100) AS i;
SET LOCAL session_replication_role = replica;
-- Row g belongs to input g % 100 + 1 and says "g / 100 done so far".
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'x07_big', 'in_' || (g % 100 + 1), 'inference',
       '2026-04-14 09:00+00'::timestamptz + g * interval '10 ms',
       jsonb_build_object('success', g / 100, 'failed', g % 7)
FROM generate_series(1, 300000) AS g;
SET LOCAL session_replication_role = origin;

-- Cancelled by statement_timeout, as JSON and as rows.
SAVEPOINT before_timeout;
SET LOCAL statement_timeout = '50ms';
SELECT length(jobs.progress_traces('x07_big', 1000)::text);
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT before_timeout;
SAVEPOINT before_timeout;
SET LOCAL statement_timeout = '50ms';
SELECT count(*) FROM jobs.progress_trace_points('x07_big', 1000);
\echo :SQLSTATE
ROLLBACK TO SAVEPOINT before_timeout;
SHOW statement_timeout;

-- The same session, no timeout: the big trace is complete and its last
-- point equals the totals computed directly from the rows (each stream's
-- latest snapshot, summed).
SELECT p->>'t' AS t, p->'step' AS step, p->'files' AS files, p->'items' AS items,
       (p->'items'->'inference'->>'success')::bigint = totals.success
         AND (p->'items'->'inference'->>'failed')::bigint = totals.failed AS equals_totals
FROM jobs.progress_traces('x07_big', 1000) AS j,
     LATERAL (SELECT j->'points'->-1 AS p) AS last,
     LATERAL (SELECT sum(success) AS success, sum(failed) AS failed
              FROM (SELECT DISTINCT ON (input_id) success, failed FROM jobs.job_progress
                    WHERE job_id = 'x07_big' ORDER BY input_id, created_at DESC, id DESC) s) AS totals;
ROLLBACK;

-- A small trace in the same session is exact.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('x07_small', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('x07_small', 'in_1', 'completed', '2026-04-14 10:04+00');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('x07_small', 'in_1', 'inference', '2026-04-14 10:02+00', '{"success": 3}'),
       ('x07_small', 'in_1', 'inference', '2026-04-14 10:04+00', '{"success": 7, "failed": 1}');
SELECT p::text AS point
FROM json_array_elements(jobs.progress_traces('x07_small', 10)->'points') AS p
WHERE p->>'t' IN ('2026-04-14T10:01:00Z', '2026-04-14T10:03:00Z', '2026-04-14T10:10:00Z');

-- Nothing of the large job remains.
SELECT count(*) AS big_jobs FROM jobs.jobs WHERE id = 'x07_big';

DELETE FROM jobs.jobs WHERE id LIKE 'x07%';

-- Clear the rolled-back rows away, so that later tests see a small table.
VACUUM ANALYZE jobs.jobs, jobs.job_inputs, jobs.job_progress;
