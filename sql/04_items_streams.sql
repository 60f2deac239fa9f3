-- docs/contract.md §1.6 and §2.7, items: progress reports are cumulative snapshots per stream
-- (input_id, kind); at each point a kind shows the sum over its streams of
-- each stream's latest snapshot counting there, latest = greatest
-- (created_at, id). Kinds appear from their first row, keys in byte order.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- Each point as "t | step | files | items", shorter than the JSON.
CREATE FUNCTION pg_temp.series(job text, buckets integer)
RETURNS TABLE (k bigint, t text, step text, items text) LANGUAGE sql AS $$
    SELECT e.k - 1, e.p->>'t', e.p->>'step', (e.p->'items')::text
    FROM json_array_elements(jobs.progress_traces(job, buckets)->'points') WITH ORDINALITY AS e(p, k)
$$;

-- All jobs below run 10:00 .. 10:10: 10 points, one per minute.

-- ===== Out-of-order arrival =====
-- Snapshots of one stream arrive out of time order: the one taken at 10:05
-- is stored first (lower id), then 10:02, then 10:04. Time order, not
-- arrival order, decides: 4 at 10:02..10:03, 7 at 10:04, 10 from 10:05.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('s04_order', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('s04_order', 'in_1', 'processing');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_order', 'in_1', 'inference', '2026-04-14 10:05+00', '{"success": 10, "failed": 3}');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_order', 'in_1', 'inference', '2026-04-14 10:02+00', '{"success": 4, "failed": 1}');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_order', 'in_1', 'inference', '2026-04-14 10:04+00', '{"success": 7, "failed": 2}');
SELECT * FROM pg_temp.series('s04_order', 10);

-- ===== Equal created_at: the greater id (stored later) wins =====
-- Two snapshots at 10:06:00 (the second corrects the first), three at
-- 10:08:30; reports at the same time as the window's point are in it.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_order', 'in_1', 'inference', '2026-04-14 10:06+00', '{"success": 20, "failed": 1}');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_order', 'in_1', 'inference', '2026-04-14 10:06+00', '{"success": 15, "failed": 2}');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_order', 'in_1', 'inference', '2026-04-14 10:08:30+00', '{"success": 30}'),
       ('s04_order', 'in_1', 'inference', '2026-04-14 10:08:30+00', '{"success": 31}'),
       ('s04_order', 'in_1', 'inference', '2026-04-14 10:08:30+00', '{"success": 29}');
SELECT * FROM pg_temp.series('s04_order', 10) WHERE k >= 5;
-- The winners by (created_at, id), as stored:
SELECT created_at, success, failed,
       id = max(id) OVER (PARTITION BY created_at) AS latest_at_its_time
FROM jobs.job_progress WHERE job_id = 's04_order' AND created_at >= '2026-04-14 10:06+00'
ORDER BY created_at, id;

-- ===== A retried input restarts from 0 =====
-- in_2 reaches 50/2, is retried at 10:03 and reports from 0 again: the
-- totals drop, as the snapshots say. in_3 keeps counting meanwhile.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('s04_retry', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
VALUES ('s04_retry', 'in_2', 'completed', '2026-04-14 10:07+00'),
       ('s04_retry', 'in_3', 'completed', '2026-04-14 10:05+00');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_retry', 'in_2', 'inference', '2026-04-14 10:00:30+00', '{"success": 30, "failed": 0}'),
       ('s04_retry', 'in_2', 'inference', '2026-04-14 10:01:30+00', '{"success": 50, "failed": 2}'),
       ('s04_retry', 'in_2', 'inference', '2026-04-14 10:03+00', '{"success": 0, "failed": 0}'),
       ('s04_retry', 'in_2', 'inference', '2026-04-14 10:05:30+00', '{"success": 12, "failed": 0}'),
       ('s04_retry', 'in_2', 'inference', '2026-04-14 10:07+00', '{"success": 40, "failed": 1}'),
       ('s04_retry', 'in_3', 'inference', '2026-04-14 10:01+00', '{"success": 5}'),
       ('s04_retry', 'in_3', 'inference', '2026-04-14 10:04+00', '{"success": 9}');
SELECT * FROM pg_temp.series('s04_retry', 10);

-- ===== Job-level streams: null input_id, one stream per kind =====
-- All null-input rows of a kind form ONE stream (its latest row counts,
-- 9 not 5+9); a job-level `inference` stream adds to the per-input ones.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('s04_joblevel', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('s04_joblevel', 'in_1', 'processing');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_joblevel', NULL, 'upload', '2026-04-14 10:01+00', '{"success": 5}'),
       ('s04_joblevel', NULL, 'upload', '2026-04-14 10:03+00', '{"success": 9, "failed": 1}'),
       ('s04_joblevel', NULL, 'inference', '2026-04-14 10:02+00', '{"success": 100}'),
       ('s04_joblevel', 'in_1', 'inference', '2026-04-14 10:02+00', '{"success": 3}'),
       ('s04_joblevel', 'in_1', 'inference', '2026-04-14 10:04+00', '{"success": 6}'),
       ('s04_joblevel', NULL, 'inference', '2026-04-14 10:05+00', '{"success": 150, "failed": 4}');
SELECT * FROM pg_temp.series('s04_joblevel', 10);

-- ===== Several kinds =====
-- Kinds are case-sensitive names; keys come in byte order (B < Z < _ < a),
-- not in the database's collation, and a kind is absent until its first
-- row counts, even when that row says 0/0.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('s04_kinds', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('s04_kinds', 'in_1', 'processing');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('s04_kinds', 'in_1', 'inference', '2026-04-14 10:01+00', '{"success": 1}'),
       ('s04_kinds', 'in_1', 'a', '2026-04-14 10:02+00', '{"success": 2}'),
       ('s04_kinds', NULL, 'Z', '2026-04-14 10:03+00', '{"success": 3}'),
       ('s04_kinds', 'in_1', '_pre', '2026-04-14 10:04+00', '{"success": 0, "failed": 0}'),
       ('s04_kinds', 'in_1', 'B', '2026-04-14 10:05+00', '{"failed": 5}'),
       ('s04_kinds', 'in_1', 'infer', '2026-04-14 10:06+00', '{"success": 6}'),
       ('s04_kinds', NULL, 'b', '2026-04-14 10:07+00', '{"success": 7}'),
       ('s04_kinds', 'in_1', 'post-process', '2026-04-14 10:20+00', '{"success": 8}');
SELECT k, t, items FROM pg_temp.series('s04_kinds', 10);
-- The key order of the last point's items, as sent:
SELECT array_agg(key) AS keys
FROM jobs.progress_traces('s04_kinds', 10) AS j, json_object_keys(j->'points'->-1->'items') AS key;
-- ... which is byte order, not the order of a linguistic collation:
SELECT array_agg(kind ORDER BY kind COLLATE "C") AS byte_order
FROM (SELECT DISTINCT kind FROM jobs.job_progress WHERE job_id = 's04_kinds') d;

-- Streams of different kinds of one input are independent, and so are the
-- same kind of different inputs: each contributes its own latest snapshot.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('s04_grid', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('s04_grid', 'x', 'processing'), ('s04_grid', 'y', 'processing');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 's04_grid', i, kind, '2026-04-14 10:00+00'::timestamptz + m * interval '1 minute',
       jsonb_build_object('success', m * 10 + (i = 'y')::int + (kind = 'embed')::int * 1000, 'failed', m)
FROM unnest(ARRAY['x', 'y']) AS i, unnest(ARRAY['ocr', 'embed']) AS kind, generate_series(1, 9, 4) AS m;
SELECT k, t, items FROM pg_temp.series('s04_grid', 10);

DELETE FROM jobs.jobs WHERE id LIKE 's04%';
