-- docs/contract.md §2.2-§2.9, the window: where the points sit (start, end, n, t_k), the
-- bucket size, how events outside the window count, live jobs that end at
-- now(), tiny and empty jobs, and how times are written.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- Helpers for reading a trace: its points as JSON text, and its header.
CREATE FUNCTION pg_temp.points(job text, buckets integer)
RETURNS TABLE (k bigint, point text) LANGUAGE sql AS $$
    SELECT e.k - 1, e.p::text
    FROM json_array_elements(jobs.progress_traces(job, buckets)->'points') WITH ORDINALITY AS e(p, k)
$$;
CREATE FUNCTION pg_temp.head(job text, buckets integer)
RETURNS TABLE (bucket_seconds text, latest_event_at text, points integer, first_t text, last_t text)
LANGUAGE sql AS $$
    SELECT j->>'bucket_seconds', j->>'latest_event_at', json_array_length(j->'points'),
           j->'points'->0->>'t', j->'points'->-1->>'t'
    FROM jobs.progress_traces(job, buckets) AS j
$$;

-- ===== Buckets: null means 100, clamped to [10, 1000] =====
-- A one-hour job: 100 buckets of 36 s by default.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_hour', 't', 'completed', '2026-04-14 09:55+00', '2026-04-14 10:00+00', '2026-04-14 11:00+00');
SELECT b AS requested, h.*
FROM unnest(ARRAY[NULL, 5, 10, 11, 50, 100, 999, 1000, 1001, 5000, 0, -1, -2147483648, 2147483647]::integer[])
     WITH ORDINALITY AS r(b, i),
     LATERAL pg_temp.head('w03_hour', b) AS h
ORDER BY i;
-- The default argument is 100 buckets.
SELECT j->>'bucket_seconds' AS bucket_seconds, json_array_length(j->'points') AS points
FROM jobs.progress_traces('w03_hour') AS j;

-- t_k = start + floor((k+1) * span / n): a span of 10.000007 s in 10
-- buckets puts the microseconds where the floor leaves them, and the last
-- point exactly at the end.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_floor', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00:00+00', '2026-04-14 10:00:10.000007+00');
SELECT * FROM pg_temp.head('w03_floor', 10);
SELECT k, point FROM pg_temp.points('w03_floor', 10);

-- ===== Times: RFC 3339 in UTC, fractional seconds only when non-zero,
-- without trailing zeros =====
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_frac', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00:00+00', '2026-04-14 10:00:01.25+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics)
VALUES ('w03_frac', 'inference', '2026-04-14 10:00:00.000001+00', '{"success": 1}'),
       ('w03_frac', 'inference', '2026-04-14 10:00:00.1+00', '{"success": 2}');
SELECT * FROM pg_temp.head('w03_frac', 10);
SELECT k, point FROM pg_temp.points('w03_frac', 10);
-- latest_event_at keeps its microseconds too.
DELETE FROM jobs.job_progress WHERE job_id = 'w03_frac' AND created_at = '2026-04-14 10:00:00.1+00';
SELECT latest_event_at FROM pg_temp.head('w03_frac', 10);
-- Session time zone and date style do not change the answer.
SET TimeZone = 'Asia/Kolkata';
SET DateStyle = 'SQL, DMY';
SELECT * FROM pg_temp.head('w03_frac', 10);
RESET TimeZone;
RESET DateStyle;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- The oldest and newest storable times: years 0001 to 9999.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_ages', 't', 'completed', '0001-01-01 00:00+00', NULL, '9999-12-31 23:59:59.999999+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics)
VALUES ('w03_ages', 'inference', '0001-01-01 00:00+00', '{"success": 1}');
SELECT * FROM pg_temp.head('w03_ages', 10);
SELECT k, point FROM pg_temp.points('w03_ages', 10);

-- ===== Short jobs: a window is at least one second, ending at end =====
-- Sub-second: finished 0.4 s after it started, so start = end - 1 s
-- (09:59:59.4, before started_at): 10 points 0.1 s apart. The report at
-- 09:59:59.45 counts from the first point, the one at 09:59:59.9 from the
-- point at 09:59:59.9 (at or before a point's time is in it), the input
-- finishing at the end only at the last point.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_subsec', 't', 'completed', '2026-04-14 09:59+00', '2026-04-14 10:00:00+00', '2026-04-14 10:00:00.4+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
VALUES ('w03_subsec', 'in_1', 'completed', '2026-04-14 10:00:00.4+00');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('w03_subsec', 'in_1', 'inference', '2026-04-14 09:59:59.45+00', '{"success": 1}'),
       ('w03_subsec', 'in_1', 'inference', '2026-04-14 09:59:59.9+00', '{"success": 2}'),
       ('w03_subsec', 'in_1', 'inference', '2026-04-14 09:59:59.900001+00', '{"success": 3}');
SELECT * FROM pg_temp.head('w03_subsec', 10);
SELECT k, point FROM pg_temp.points('w03_subsec', 10);

-- Zero length (finished when it started) and exactly one second.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_zero', 't', 'failed', '2026-04-14 09:59+00', '2026-04-14 10:00+00', '2026-04-14 10:00+00'),
       ('w03_onesec', 't', 'failed', '2026-04-14 09:59+00', '2026-04-14 10:00+00', '2026-04-14 10:00:01+00');
SELECT * FROM pg_temp.head('w03_zero', 10);
SELECT * FROM pg_temp.head('w03_onesec', 10);
-- 1000 buckets of a one-second window: 1 ms apart.
SELECT * FROM pg_temp.head('w03_onesec', 1000);

-- finished_at before started_at (bad clocks): still a one-second window
-- ending at finished_at.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_backwards', 't', 'cancelled', '2026-04-14 09:59+00', '2026-04-14 10:00:05+00', '2026-04-14 10:00:00+00');
SELECT * FROM pg_temp.head('w03_backwards', 10);

-- ===== Not started: start = created_at =====
-- A job cancelled before it started: the window runs from created_at.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_nostart', 't', 'cancelled', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00');
SELECT * FROM pg_temp.head('w03_nostart', 10);
SELECT k, point FROM pg_temp.points('w03_nostart', 10);
-- A pending job (not started, not finished): created_at .. now().
INSERT INTO jobs.jobs (id, tenant_id, status, created_at)
VALUES ('w03_pending', 't', 'pending', '2026-04-14 10:00+00');
SELECT (j->'points'->0->>'t')::timestamptz
         = '2026-04-14 10:00+00'::timestamptz
           + floor((extract(epoch FROM now()) - extract(epoch FROM '2026-04-14 10:00+00'::timestamptz)) * 1000000 / 100)
             * interval '1 microsecond' AS first_t_from_created_at,
       (j->'points'->-1->>'t')::timestamptz = now() AS last_t_is_now,
       j->'latest_event_at' AS latest_event_at
FROM jobs.progress_traces('w03_pending', 100) AS j;
-- A pending job created in the future (bad clocks): a one-second window
-- ending now.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at)
VALUES ('w03_future', 't', 'pending', '9999-01-01 00:00+00');
SELECT (j->'points'->0->>'t')::timestamptz = now() - interval '0.99 seconds' AS first_t,
       (j->'points'->-1->>'t')::timestamptz = now() AS last_t_is_now,
       j->>'bucket_seconds' AS bucket_seconds
FROM jobs.progress_traces('w03_future', 100) AS j;

-- ===== Live jobs: end = now(), the transaction's time =====
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('w03_live', 't', 'running', '2026-04-14 09:00+00', '2026-04-14 09:30+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
VALUES ('w03_live', 'in_1', 'completed', '2026-04-14 09:50+00'),
       ('w03_live', 'in_2', 'processing', NULL);
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('w03_live', 'in_1', 'inference', '2026-04-14 09:40+00', '{"success": 5, "failed": 1}'),
       ('w03_live', 'in_2', 'inference', '2026-04-14 09:55+00', '{"success": 2}');
-- The last point is now() exactly, the first one span/n after started_at,
-- and bucket_seconds is (now - start)/n.
SELECT (j->'points'->-1->>'t')::timestamptz = now() AS last_t_is_now,
       (j->'points'->0->>'t')::timestamptz
         = '2026-04-14 09:30+00'::timestamptz
           + floor((extract(epoch FROM now()) - extract(epoch FROM '2026-04-14 09:30+00'::timestamptz)) * 1000000 / 20)
             * interval '1 microsecond' AS first_t,
       (j->>'bucket_seconds')::float8
         = ((extract(epoch FROM now()) - extract(epoch FROM '2026-04-14 09:30+00'::timestamptz)) * 1000000)::float8 / 20 / 1e6
         AS bucket_seconds,
       json_array_length(j->'points') AS points,
       j->>'latest_event_at' AS latest_event_at,
       j->'points'->-1->>'step' AS step,
       j->'points'->-1->'items' AS items
FROM jobs.progress_traces('w03_live', 20) AS j;
-- The rows function agrees.
SELECT t = now() AS last_t_is_now, step, files_completed, files_failed, items
FROM jobs.progress_trace_points('w03_live', 20) ORDER BY t DESC LIMIT 1;
-- A report from a worker whose clock runs ahead (after now) counts at the
-- last point only, and is the latest event.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('w03_live', 'in_2', 'inference', '9999-06-01 00:00+00', '{"success": 7}');
SELECT j->>'latest_event_at' AS latest_event_at,
       j->'points'->-2->'items' AS items_before_last, j->'points'->-1->'items' AS items_last
FROM jobs.progress_traces('w03_live', 20) AS j;
-- Within one transaction now() stands still: the same answer twice.
BEGIN;
CREATE TEMP TABLE first_answer AS SELECT jobs.progress_traces('w03_live', 20)::text AS j;
SELECT pg_sleep(0.05);
SELECT jobs.progress_traces('w03_live', 20)::text = j AS same_answer,
       (SELECT max(t) FROM jobs.progress_trace_points('w03_live', 20)) = now() AS points_end_now
FROM first_answer;
COMMIT;
DROP TABLE first_answer;

-- ===== No events at all =====
-- Nothing reported, no input finished (pending and reference inputs only):
-- latest_event_at is null, files 0 and items {} at every point.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_empty', 't', 'failed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status)
VALUES ('w03_empty', 'in_1', 'pending'), ('w03_empty', 'in_ref', 'reference');
SELECT j->'latest_event_at' AS latest_event_at, json_array_length(j->'points') AS points
FROM jobs.progress_traces('w03_empty', 10) AS j;
SELECT k, point FROM pg_temp.points('w03_empty', 10);
SELECT jobs.latest_event_at('w03_empty');

-- ===== Events before start and after end =====
-- Window 10:00 .. 10:10, 10 points one minute apart.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('w03_outside', 't', 'completed', '2026-04-14 09:58+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
VALUES ('w03_outside', 'early', 'completed', '2026-04-14 09:00+00'),    -- before the job was created
       ('w03_outside', 'edge', 'failed', '2026-04-14 10:05+00'),        -- exactly at t_4
       ('w03_outside', 'after_edge', 'completed', '2026-04-14 10:05:00.000001+00'), -- just after: t_5
       ('w03_outside', 'at_end', 'completed', '2026-04-14 10:10+00'),   -- exactly at the end
       ('w03_outside', 'late', 'failed', '2026-04-14 11:00+00');        -- after the end
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('w03_outside', 'early', 'inference', '2026-04-14 08:00+00', '{"success": 10}'),
       ('w03_outside', 'edge', 'inference', '2026-04-14 10:05+00', '{"success": 1, "failed": 1}'),
       ('w03_outside', 'late', 'inference', '2026-04-14 10:30+00', '{"success": 4}'),
       ('w03_outside', 'late', 'inference', '2026-04-14 10:40+00', '{"success": 5, "failed": 2}');
SELECT * FROM pg_temp.head('w03_outside', 10);
SELECT k, point FROM pg_temp.points('w03_outside', 10);
-- The last point equals the job's totals.
SELECT (j->'points'->-1->'files'->>'completed')::int
         = (SELECT count(*) FROM jobs.job_inputs WHERE job_id = 'w03_outside' AND status = 'completed') AS completed_total,
       (j->'points'->-1->'files'->>'failed')::int
         = (SELECT count(*) FROM jobs.job_inputs WHERE job_id = 'w03_outside' AND status = 'failed') AS failed_total
FROM jobs.progress_traces('w03_outside', 10) AS j;

DELETE FROM jobs.jobs WHERE id LIKE 'w03%';
