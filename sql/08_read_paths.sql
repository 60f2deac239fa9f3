-- traces.read_path (docs/contract.md §11.7): a trace read from the job's
-- timeline and one read from its rows are the same bytes, in every output
-- (JSON, rows, chart, long format), at any number of points and zoom; the
-- timeline is really what the default reads; a job whose timeline is not
-- built yet is read by the scan; a total past 2^63-1 fails the same way.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
\set ECHO none
\i test/fixtures/sample_job.sql
\set ECHO all

-- The write side's triggers keep the timeline (contract §11.2); the job's
-- timeline equals its definition.
SELECT j.id, c.* FROM jobs.jobs j, jobs.check_timeline(j.id) c;

SELECT boot_val, context FROM pg_settings WHERE name = 'traces.read_path';
SET traces.read_path = sideways;
SET traces.read_path = timeline;

-- Every output of one job, as text, under the read path in force; zooms
-- at offsets from `z0`.
CREATE FUNCTION pg_temp.answers(job text, z0 timestamptz) RETURNS TABLE (what text, answer text) LANGUAGE sql AS $$
    SELECT format('%s %s %s %s', o, b, zoom.f, zoom.t),
           CASE o
             WHEN 'json' THEN jobs.progress_traces(job, b, z.f, z.t)::text
             WHEN 'rows' THEN (SELECT string_agg(r::text, ';') FROM jobs.progress_trace_points(job, b, z.f, z.t) r)
             WHEN 'chart' THEN jobs.progress_chart(job, b, z.f, z.t)::text
             ELSE (SELECT string_agg(s::text, ';') FROM jobs.progress_series(job, b, z.f, z.t) s)
           END
    FROM unnest(ARRAY['json', 'rows', 'chart', 'series']) o,
         unnest(ARRAY[10, 50, 100, 1000]) b,
         (VALUES (NULL::interval, NULL::interval),
                 ('5 min', NULL),               -- from a time on: late events count
                 (NULL, '8 min 30 s'),          -- ends before the job: they do not
                 ('3 min 20 s', '3 min 20.5 s'),  -- under a second
                 ('12 min', '12 min 0.2 s')) zoom(f, t),
         LATERAL (SELECT z0 + zoom.f AS f, z0 + zoom.t AS t) z
$$;

CREATE TEMP TABLE via_timeline AS SELECT * FROM pg_temp.answers('job_2abc', '2026-04-14 10:00+00');
SET traces.read_path = scan;
CREATE TEMP TABLE via_scan AS SELECT * FROM pg_temp.answers('job_2abc', '2026-04-14 10:00+00');
SET traces.read_path = timeline;
SELECT count(*) AS answers, count(*) FILTER (WHERE t.answer IS DISTINCT FROM s.answer) AS differing
FROM via_timeline t FULL JOIN via_scan s USING (what);
-- The published answer itself (sql/02) under both paths.
SELECT (SELECT answer FROM via_timeline WHERE what = 'json 50  ') =
       jobs.progress_traces('job_2abc', 50)::text AS published_by_timeline;

-- The default really reads the timeline: without it the trace changes,
-- and it changes back when the job is marked as not built yet (scan).
BEGIN;
DELETE FROM jobs_internal.kind_timeline WHERE job_id = 'job_2abc';
SELECT jobs.progress_traces('job_2abc', 10)->'points'->-1 AS last_point_without_kind_timeline;
INSERT INTO jobs_internal.timeline_pending VALUES ('job_2abc');
SELECT jobs.progress_traces('job_2abc', 10)->'points'->-1 AS last_point_of_a_pending_job;
SELECT jobs.progress_traces('job_2abc', 50)::text = (SELECT answer FROM via_scan WHERE what = 'json 50  ')
    AS pending_reads_by_scan;
ROLLBACK;

-- A direct probe of the timeline applies no row-level security (contract
-- §11.7): where a policy would bind the role reading it, the trace reads the
-- rows instead. Here the job's tables are re-owned to a role that does not
-- own file_timeline, whose policy then binds it: the trace ignores the
-- (emptied) kind timeline and answers as the scan does.
BEGIN;
CREATE ROLE regress_s08_owner;
ALTER TABLE jobs.job_inputs OWNER TO regress_s08_owner;
ALTER TABLE jobs.job_progress OWNER TO regress_s08_owner;
GRANT USAGE ON SCHEMA jobs, jobs_internal TO regress_s08_owner;
GRANT SELECT ON jobs.jobs, jobs_internal.kind_timeline TO regress_s08_owner;
DELETE FROM jobs_internal.kind_timeline WHERE job_id = 'job_2abc';
SELECT jobs.progress_traces('job_2abc', 50)::text = (SELECT answer FROM via_scan WHERE what = 'json 50  ')
    AS read_by_scan_under_a_policy;
ROLLBACK;

-- The reader probes by a hash of (job, kind) and of the job (probe_key,
-- contract §11.1): rows of other pairs sharing the hash are walked over,
-- never taken. A collision made here: another job's rows carrying
-- job_2abc's keys, each just after one of job_2abc's rows in the probes'
-- order, so that every probe meets one first.
BEGIN;
ALTER TABLE jobs_internal.kind_timeline ALTER COLUMN probe_key DROP EXPRESSION;
ALTER TABLE jobs_internal.file_timeline ALTER COLUMN probe_key DROP EXPRESSION;
INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed, probe_key)
SELECT 's08_hash', 'x' || t.kind, t.created_at, t.id + 1000000, 999, 999, t.probe_key
FROM jobs_internal.kind_timeline t WHERE t.job_id = 'job_2abc';
INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed, probe_key)
SELECT 's08_hash', t.completed_at, t.input_id || '~', 999, 999, t.probe_key
FROM jobs_internal.file_timeline t WHERE t.job_id = 'job_2abc';
SELECT (SELECT count(*) FROM jobs_internal.kind_timeline WHERE job_id = 's08_hash') AS colliding_kind_rows,
       (SELECT count(*) FROM jobs_internal.file_timeline WHERE job_id = 's08_hash') AS colliding_file_rows;
SELECT count(*) FILTER (WHERE t.answer IS DISTINCT FROM s.answer) AS differing_despite_collisions
FROM pg_temp.answers('job_2abc', '2026-04-14 10:00+00') t JOIN via_scan s USING (what);
ROLLBACK;

-- The same job, another kind: rows of job_2abc's kind 'zz' carrying the key
-- of its kind 'inference', each just after one of its rows, so that a probe
-- that checked the job and not the kind would take one. The zz probes use
-- zz's own key and never meet them, so both paths still show zz's one row.
BEGIN;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_2abc', 'in_01', 'zz', '2026-04-14 10:02:30+00', '{"success": 7, "failed": 1}');
SET LOCAL traces.read_path = scan;
CREATE TEMP TABLE zz_scan AS SELECT * FROM pg_temp.answers('job_2abc', '2026-04-14 10:00+00');
SET LOCAL traces.read_path = timeline;
ALTER TABLE jobs_internal.kind_timeline ALTER COLUMN probe_key DROP EXPRESSION;
INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed, probe_key)
SELECT t.job_id, 'zz', t.created_at, t.id + 1000000, 999, 999, t.probe_key
FROM jobs_internal.kind_timeline t WHERE t.job_id = 'job_2abc' AND t.kind = 'inference';
SELECT count(*) AS colliding_rows_of_the_same_job FROM jobs_internal.kind_timeline t
WHERE t.job_id = 'job_2abc' AND t.kind = 'zz'
  AND t.probe_key = hashtextextended('inference', hashtextextended('job_2abc', 0));
SELECT count(*) AS answers, count(*) FILTER (WHERE t.answer IS DISTINCT FROM s.answer) AS differing_despite_collisions,
       count(*) FILTER (WHERE t.answer LIKE '%zz%') AS answers_showing_zz
FROM pg_temp.answers('job_2abc', '2026-04-14 10:00+00') t JOIN zz_scan s USING (what);
ROLLBACK;

-- A live job (its window ends at now()), with a kind appearing late and a
-- job-level stream: the same under both paths.
DELETE FROM jobs.jobs WHERE id = 's08_live';
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('s08_live', 't', 'running', now() - interval '1 hour', now() - interval '50 minutes');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES
    ('s08_live', 'a', 'completed', now() - interval '40 minutes'),
    ('s08_live', 'b', 'failed', now() - interval '40 minutes'),
    ('s08_live', 'c', 'processing', NULL);
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('s08_live', 'a', 'download', now() - interval '55 minutes', '{"success": 2}'),
    ('s08_live', 'a', 'download', now() - interval '30 minutes', '{"success": 5, "failed": 1}'),
    ('s08_live', NULL, 'download', now() - interval '20 minutes', '{"success": 7}'),
    ('s08_live', 'c', 'Upload', now() - interval '5 minutes', '{"success": 1}'),
    ('s08_live', 'c', 'Upload', now() - interval '5 minutes', '{"success": 3}');
BEGIN;  -- one now(): the live window ends there
CREATE TEMP TABLE live_timeline AS SELECT * FROM pg_temp.answers('s08_live', now() - interval '50 minutes');
SET traces.read_path = scan;
CREATE TEMP TABLE live_scan AS SELECT * FROM pg_temp.answers('s08_live', now() - interval '50 minutes');
SET traces.read_path = timeline;
COMMIT;
SELECT count(*) AS answers, count(*) FILTER (WHERE t.answer IS DISTINCT FROM s.answer) AS differing
FROM live_timeline t FULL JOIN live_scan s USING (what);

-- Totals past 2^63-1: the same 22003 under both paths; zoomed to before
-- the second stream, both answer.
DELETE FROM jobs.jobs WHERE id = 's08_huge';
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('s08_huge', 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('s08_huge', 'a', 'processing');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('s08_huge', 'a', 'k', '2026-04-14 10:01+00', '{"success": 9223372036854775807}'),
    ('s08_huge', NULL, 'k', '2026-04-14 10:06+00', '{"success": 1}');
SELECT jobs.progress_traces('s08_huge', 10);
SELECT jobs.progress_traces('s08_huge', 10, NULL, '2026-04-14 10:05+00')->'points'->-1 AS before_the_overflow;
SET traces.read_path = scan;
SELECT jobs.progress_traces('s08_huge', 10);
SELECT jobs.progress_traces('s08_huge', 10, NULL, '2026-04-14 10:05+00')->'points'->-1 AS before_the_overflow;
SET traces.read_path = timeline;

DELETE FROM jobs.jobs WHERE id IN ('s08_live', 's08_huge');
