-- 09_zoom: the zoom window of contract §2.13 on the published sample job
-- (09:50:00-10:15:00): cumulative values before "from", late events only at the
-- job's own end, refusals, and answers without from/to unchanged.
\set ECHO none
\i test/fixtures/sample_job.sql
\set ECHO all
SET TimeZone = 'UTC';

-- Without from/to, and with both null, the answer is the unzoomed one, byte for byte.
SELECT jobs.progress_traces('job_2abc', 50)::text = jobs.progress_traces('job_2abc', 50, NULL, NULL)::text AS same_json,
       jobs.progress_traces('job_2abc', 50)::text
         = jobs.progress_traces(job_id => 'job_2abc', buckets => 50, "from" => NULL)::text AS same_named;

-- The last 5 minutes in 10 points of 30 s: 10:10:30 ... 10:15:00. Values are
-- cumulative (the first point counts everything before 10:10:30), the last
-- point is the job's total.
SELECT t, step, files_completed, files_failed, items
FROM jobs.progress_trace_points('job_2abc', 10, '2026-04-14 10:10:00+00', NULL);

-- Ending before the job does: nothing after "to" counts, not even at the last point.
SELECT t, step, files_completed, files_failed, items
FROM jobs.progress_trace_points('job_2abc', 10, '2026-04-14 10:00:00+00', '2026-04-14 10:05:00+00');
SELECT (jobs.progress_traces('job_2abc', 10, NULL, '2026-04-14 10:03:00+00')::jsonb) - 'points' AS head;

-- A window wider than the job's is the job's; infinities are no bound.
SELECT jobs.progress_traces('job_2abc', 50, '2026-04-14 00:00:00+00', '2026-04-15 00:00:00+00')::text
     = jobs.progress_traces('job_2abc', 50)::text AS wider_is_whole,
       jobs.progress_traces('job_2abc', 50, '-infinity', 'infinity')::text
     = jobs.progress_traces('job_2abc', 50)::text AS infinities_are_whole;

-- A window shorter than a second is widened to end - 1 s.
SELECT min(t), max(t) FROM jobs.progress_trace_points('job_2abc', 10, '2026-04-14 10:05:00.5+00', '2026-04-14 10:05:00.6+00');

-- Refused with 22023: from >= to, a window outside the job, infinities the wrong way.
\set VERBOSITY sqlstate
SELECT jobs.progress_traces('job_2abc', 10, '2026-04-14 10:05:00+00', '2026-04-14 10:05:00+00');
\set VERBOSITY default
SELECT jobs.progress_traces('job_2abc', 10, '2026-04-14 10:06:00+00', '2026-04-14 10:05:00+00');
SELECT jobs.progress_traces('job_2abc', 10, '2026-04-14 11:00:00+00', NULL);
SELECT jobs.progress_traces('job_2abc', 10, '2026-04-14 10:15:00+00', NULL);
SELECT jobs.progress_trace_points('job_2abc', 10, NULL, '2026-04-14 09:50:00+00');
SELECT jobs.progress_traces('job_2abc', 10, 'infinity', NULL);
SELECT jobs.progress_traces('job_2abc', 10, NULL, '-infinity');
SELECT jobs.progress_traces('job_2abc', 10, '294276-12-31 23:59:59+00', NULL);
-- The job comes first: an unknown job is PT404 whatever the window.
SELECT jobs.progress_traces('job_nope', 10, '2026-04-14 10:06:00+00', '2026-04-14 10:05:00+00');

-- The long format (§2.15) zooms the same way: the last point, zoomed to 10:05.
SELECT "time", metric, value FROM jobs.progress_series('job_2abc', 10, NULL, '2026-04-14 10:05:00+00')
WHERE "time" = '2026-04-14 10:05:00+00' ORDER BY metric;
