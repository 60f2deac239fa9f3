-- 29_series: the long format of contract §2.15 is the trace's points, row for row.
\set ECHO none
\i test/fixtures/sample_job.sql
\set ECHO all
SET TimeZone = 'UTC';

-- The first point's rows, in their order: files, then each kind.
SELECT "time", metric, value FROM jobs.progress_series('job_2abc', 50) LIMIT 3;
SELECT "time", metric, value FROM jobs.progress_series('job_2abc', 50) WHERE "time" = '2026-04-14 10:03:00+00';

-- Every row of progress_trace_points unnested, and nothing else.
CREATE TEMP VIEW expected_series AS
WITH p AS (SELECT * FROM jobs.progress_trace_points('job_2abc', 50))
SELECT t AS "time", 'files.completed' AS metric, files_completed AS value FROM p
UNION ALL SELECT t, 'files.failed', files_failed FROM p
UNION ALL SELECT t, 'items.' || k || '.success', (v ->> 'success')::bigint FROM p, jsonb_each(items) AS e(k, v)
UNION ALL SELECT t, 'items.' || k || '.failed', (v ->> 'failed')::bigint FROM p, jsonb_each(items) AS e(k, v);
SELECT (SELECT count(*) FROM expected_series) AS rows,
       (SELECT count(*) FROM (SELECT * FROM expected_series
                              EXCEPT ALL SELECT * FROM jobs.progress_series('job_2abc', 50)) d) AS missing,
       (SELECT count(*) FROM (SELECT * FROM jobs.progress_series('job_2abc', 50)
                              EXCEPT ALL SELECT * FROM expected_series) d) AS extra;

-- A Grafana panel's query, its $__timeFrom() and $__timeTo() written out.
SELECT "time", metric, value
FROM jobs.progress_series('job_2abc', 100, '2026-04-14T10:12:00Z', '2026-04-14T10:14:00Z')
WHERE metric LIKE 'files.%' ORDER BY "time" DESC, metric LIMIT 2;

-- The trace's errors.
SELECT * FROM jobs.progress_series(NULL);
SELECT * FROM jobs.progress_series('job_nope');
