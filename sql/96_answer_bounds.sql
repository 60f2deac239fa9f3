-- The bounds of an answer (docs/contract.md §3), whatever the stored rows: a
-- trace at the caps of §7.5 renders; an answer past 32 MiB of JSON is
-- refused with 54000 before it is built, one byte past the bound as well as
-- far past it; so is a trace of more kinds x points than the engine holds;
-- the same jobs answer with fewer buckets; and a cancel while a large
-- answer is made stops it there (57014, in the trace's CONTEXT, the same
-- under both read paths).
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Jobs from 09:00 to 10:00 (1000 points of 3.6 s). Their progress is
-- job-level reports, one per kind, bulk-loaded as a replica would (no
-- triggers): most of these jobs are past the write caps on purpose, as rows
-- stored before the caps existed, or by a superuser, may be. A replica's
-- load fires no trigger, the timeline's included: each load ends with the
-- rebuild an operator runs after one (contract §11.6).
CREATE FUNCTION pg_temp.add_job(job text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
  VALUES (job, 't', 'completed', '2026-04-14 09:00+00', '2026-04-14 09:00+00', '2026-04-14 10:00+00')
$$;
CREATE FUNCTION pg_temp.add_kinds(job text, kinds text[], at timestamptz, metrics jsonb) RETURNS void
LANGUAGE sql SET session_replication_role = replica AS $$
  INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
  SELECT job, NULL, k, at, metrics FROM unnest(kinds) AS k;
  SELECT jobs.rebuild_timeline(job);
$$;
CREATE FUNCTION pg_temp.copy_job(job text, copy text) RETURNS void
LANGUAGE sql SET session_replication_role = replica AS $$
  SELECT pg_temp.add_job(copy);
  INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
  SELECT copy, input_id, kind, created_at, metrics FROM jobs.job_progress WHERE job_id = job;
  SELECT jobs.rebuild_timeline(copy);
$$;

-- ===== At the caps: a 512-byte id, 100 kinds of 8192 bytes in all, every
-- counter 19 digits, every kind at every point, names that all need escaping:
-- rendered (the most a job within the caps can need is ~31.3 MB).
SELECT rpad('x94_caps_', 512, 'c') AS caps_id \gset
SELECT pg_temp.add_job(:'caps_id');
SELECT pg_temp.add_kinds(:'caps_id',
  array(SELECT rpad('k' || lpad(g::text, 3, '0'), 82 - (g > 92)::int, '"') FROM generate_series(1, 100) g),
  '2026-04-14 09:00+00', '{"success": 9223372036854775807, "failed": 9223372036854775807}');
SELECT count(*) AS kinds, sum(octet_length(kind)) AS kind_bytes
FROM (SELECT DISTINCT kind FROM jobs.job_progress WHERE job_id = :'caps_id') k;
SELECT length(j::text) AS json_bytes, length(j::text) < 32 * 1024 * 1024 AS under_bound,
       json_array_length(j->'points') AS points,
       (SELECT count(*) FROM json_object_keys(j->'points'->0->'items')) AS kinds_at_first_point
FROM jobs.progress_traces(:'caps_id', 1000) AS j;
SELECT count(*) AS rows, sum(length(items::text)) AS items_bytes
FROM jobs.progress_trace_points(:'caps_id', 1000);

-- ===== The exact bound: a job whose answer is 200 bytes short of 32 MiB
-- with a short id, then copies of it whose ids make the answer exactly
-- 32 MiB (answered) and one byte more (refused).
SELECT pg_temp.add_job('x94_edge');
SELECT pg_temp.add_kinds('x94_edge',
  array(SELECT rpad('k' || (1000 + g), 307 - (g <= 31)::int, 'x') FROM generate_series(1, 100) g),
  '2026-04-14 09:00+00', '{"success": 0}');
-- a kind seen only at the last point adds its bytes once
SELECT pg_temp.add_kinds('x94_edge', ARRAY[rpad('z', 510, 'x')], '2026-04-14 10:00+00', '{"success": 0}');
SELECT length(jobs.progress_traces('x94_edge', 1000)::text) AS base_bytes \gset
SELECT :base_bytes AS base_bytes, 32 * 1024 * 1024 - :base_bytes AS short_of_bound;
SELECT rpad('x94_edge', 8 + 32 * 1024 * 1024 - :base_bytes, '_') AS at_id,
       rpad('x94_edge', 9 + 32 * 1024 * 1024 - :base_bytes, '_') AS past_id \gset
SELECT pg_temp.copy_job('x94_edge', :'at_id');
SELECT pg_temp.copy_job('x94_edge', :'past_id');
SELECT length(jobs.progress_traces(:'at_id', 1000)::text) AS bytes_at_bound;
SELECT count(*) AS rows FROM jobs.progress_trace_points(:'at_id', 1000);
SELECT length(jobs.progress_traces(:'past_id', 1000)::text);
\echo :SQLSTATE
SELECT count(*) FROM jobs.progress_trace_points(:'past_id', 1000);
\echo :SQLSTATE
-- Every trace function is held to the same bound: the long format, the chart
-- (before its own bound of 16 MiB of SVG) and 1.1's zoomed signatures.
SELECT count(*) FROM jobs.progress_series(:'past_id', 1000);
\echo :SQLSTATE
SELECT length(jobs.progress_chart(:'past_id', 1000));
\echo :SQLSTATE
SELECT length(jobs.progress_traces(:'past_id', 1000, '2026-04-14 09:00+00', NULL)::text);
\echo :SQLSTATE
SELECT count(*) FROM jobs.progress_trace_points(:'past_id', 1000, NULL, '2026-04-14 10:00+00');
\echo :SQLSTATE
-- Refused before anything of its size was built, and readable with fewer buckets.
SELECT length(jobs.progress_traces(:'past_id', 999)::text) AS bytes_at_999_points;

-- ===== Far past the bound: the issue's attack, 2,000 kinds of 512 bytes.
-- 1000 points would hold 2 million kind-points: refused by the engine.
-- 100 points would be ~108 MB of JSON: refused by the size check.
-- 10 points is ~11 MB: answered.
SELECT pg_temp.add_job('x94_wide');
SELECT pg_temp.add_kinds('x94_wide', array(SELECT rpad('kind_' || g, 512, 'x') FROM generate_series(1, 2000) g),
                         '2026-04-14 09:00+00', '{"success": 1}');
SELECT length(jobs.progress_traces('x94_wide', 1000)::text);
\echo :SQLSTATE
SELECT count(*) FROM jobs.progress_trace_points('x94_wide', 1000);
\echo :SQLSTATE
SELECT count(*) FROM jobs.progress_series('x94_wide', 1000);
\echo :SQLSTATE
SELECT length(jobs.progress_chart('x94_wide', 1000));
\echo :SQLSTATE
SELECT length(jobs.progress_traces('x94_wide', 100)::text);
\echo :SQLSTATE
SELECT length(jobs.progress_traces('x94_wide', 10)::text) AS bytes_at_10_points;

-- The engine's bound exactly: 1048 kinds at 1000 points fit, 1049 do not.
SELECT pg_temp.add_job('x94_kinds');
SELECT pg_temp.add_kinds('x94_kinds', array(SELECT 'k' || g FROM generate_series(1, 1048) g),
                         '2026-04-14 09:59+00', '{"success": 1}');
SELECT json_array_length(jobs.progress_traces('x94_kinds', 1000)->'points') AS points;
SELECT pg_temp.add_kinds('x94_kinds', ARRAY['k1049'], '2026-04-14 09:59+00', '{"success": 1}');
SELECT json_array_length(jobs.progress_traces('x94_kinds', 1000)->'points') AS points;
\echo :SQLSTATE
SELECT json_array_length(jobs.progress_traces('x94_kinds', 1000 / 2)->'points') AS points;

-- ===== A cancel while the trace is made stops it there: its CONTEXT says
-- so, in one short line and the same whichever path reads the job
-- (contract §11.7), though it lands in different places: the timeline makes
-- 101 kinds x 1000 probes, the scan reads this job's 101 rows in about a
-- millisecond and then spends seconds making 1000 jsonb rows of 32 MiB in
-- all. No internal statement shows.
\set SHOW_CONTEXT errors
SET statement_timeout = '100ms';
SELECT count(*) FROM jobs.progress_trace_points(:'at_id', 1000);
\echo :SQLSTATE
SET traces.read_path = scan;
SELECT count(*) FROM jobs.progress_trace_points(:'at_id', 1000);
\echo :SQLSTATE
RESET traces.read_path;
-- As JSON the same answer takes only tens of milliseconds to write, so where
-- the timeout lands varies; what is fixed is that it is honoured.
\set SHOW_CONTEXT never
SET statement_timeout = '5ms';
SELECT jobs.progress_traces(:'at_id', 1000) IS NULL;
\echo :SQLSTATE
RESET statement_timeout;
-- the same session answers in full afterwards
SELECT length(jobs.progress_traces(:'at_id', 1000)::text) AS bytes_at_bound;

DELETE FROM jobs.jobs WHERE id LIKE 'x94%';
VACUUM ANALYZE jobs.jobs, jobs.job_inputs, jobs.job_progress;
