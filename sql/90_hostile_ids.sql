-- Hostile job and input ids: huge, empty, odd characters. Each gets a clear
-- error (SQLSTATE shown after every statement) or a correct answer; never a
-- crash, never a 5xx-class SQLSTATE (53, 54, 58, XX).
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- ===== Reading: ids no job has =====
SELECT jobs.progress_traces('', 10);
\echo :SQLSTATE
SELECT jobs.progress_traces(' ', 10);
\echo :SQLSTATE
SELECT jobs.progress_traces(E'\x01\x02\t\n', 10);
\echo :SQLSTATE
SELECT jobs.progress_traces('%s%n%d %x', 10);
\echo :SQLSTATE
SELECT jobs.progress_traces('x''); DROP TABLE jobs.jobs; --', 10);
\echo :SQLSTATE
SELECT jobs.progress_traces('{"job_id": null}', 10);
\echo :SQLSTATE
-- a megabyte of id: still a plain 404 (only the SQLSTATE shown)
\set VERBOSITY sqlstate
SELECT jobs.progress_traces(repeat('y', 1000000), 10);
SELECT * FROM jobs.progress_trace_points(repeat('y', 1000000), 10);
\set VERBOSITY default
\echo :SQLSTATE
SELECT jobs.latest_event_at(repeat('y', 1000000));

-- ===== Writing: ids refused with 22xxx =====
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('', 't');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES (NULL, 't');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('h90_x', '');
\echo :SQLSTATE

-- ===== Odd ids that are valid: stored, traced, escaped in JSON =====
-- The ids with control characters are rows stored before contract §7.5
-- refused them (as in a database updated from 1.0): the refusing triggers
-- are off while they go in, and these rows must stay readable. (The
-- "validate" triggers hold every value rule of a row; the CHECKs hold the
-- others while they are off.)
ALTER TABLE jobs.jobs DISABLE TRIGGER validate;
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at) VALUES
    (E'h90_"quoted"\\back\nline\ttab\x01', 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00'),
    ('h90_ジョブ🙂', 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00'),
    ('h90_</script><script>alert(1)</script>', 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00'),
    ('h90_%s%n', 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00'),
    -- the longest id allowed: 512 bytes
    ('h90_' || repeat('L', 508), 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00');
\echo :SQLSTATE
ALTER TABLE jobs.jobs ENABLE TRIGGER validate;
-- one byte more is refused, with 22001 rather than an index-size 54000
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, finished_at) VALUES
    ('h90_' || repeat('L', 509), 't', 'completed', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, finished_at) VALUES
    ('h90_big', repeat('T', 100000), 'completed', '2026-04-14 10:00+00', '2026-04-14 10:10+00');
\echo :SQLSTATE
ALTER TABLE jobs.job_inputs DISABLE TRIGGER validate;
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
SELECT j.id, i.id, 'completed', '2026-04-14 10:05+00'
FROM jobs.jobs j, (VALUES (E'in "q" \\ \x02'), ('入力'), (repeat('I', 512))) AS i(id)
WHERE j.id LIKE 'h90%';
\echo :SQLSTATE
ALTER TABLE jobs.job_inputs ENABLE TRIGGER validate;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT job_id, id, 'inference', '2026-04-14 10:04+00', '{"success": 2, "failed": 1}'
FROM jobs.job_inputs WHERE job_id LIKE 'h90%';
\echo :SQLSTATE
-- the job_id in the answer is the id, byte for byte, and the JSON parses
SELECT left(j.id, 12) AS id_prefix, length(j.id) AS id_length,
       (t::jsonb)->>'job_id' = j.id AS job_id_round_trips,
       (t::jsonb)->'points'->-1 AS last_point
FROM jobs.jobs j, jobs.progress_traces(j.id, 10) AS t
WHERE j.id LIKE 'h90%' ORDER BY j.id COLLATE "C";
\echo :SQLSTATE
-- control characters are escaped, not sent raw
SELECT jobs.progress_traces(E'h90_"quoted"\\back\nline\ttab\x01', 10)::text ~ '[\x01-\x1f]' AS raw_control_chars;
SELECT left(jobs.progress_traces(E'h90_"quoted"\\back\nline\ttab\x01', 10)::text, 62) AS head;
-- ===== Control characters refused at write time (contract §7.5): 22023 =====
INSERT INTO jobs.jobs (id, tenant_id) VALUES (E'h90_new\nline', 't');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES (E'h90_nel\u0085', 't');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id) VALUES ('h90_ok', E't\x7f');
\echo :SQLSTATE
INSERT INTO jobs.job_inputs (job_id, id) VALUES ('h90_%s%n', E'in\x1f');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics)
VALUES ('h90_%s%n', E'kind\t', '2026-04-14 10:04+00', '{}');
\echo :SQLSTATE
-- a row stored before the rule can still change (the job's own update)
UPDATE jobs.jobs SET finished_at = finished_at + interval '1 second'
WHERE id = E'h90_"quoted"\\back\nline\ttab\x01';
\echo :SQLSTATE
UPDATE jobs.jobs SET finished_at = finished_at - interval '1 second'
WHERE id = E'h90_"quoted"\\back\nline\ttab\x01';
-- the query docs/http.md gives to find such rows (ids shortened here)
SELECT in_table, left(job_id, 24) AS job_id, name FROM (
    SELECT 'jobs' AS in_table, id AS job_id, NULL::text AS name FROM jobs.jobs
    WHERE id ~ '[\u0001-\u001f\u007f-\u009f]' OR tenant_id ~ '[\u0001-\u001f\u007f-\u009f]'
    UNION ALL
    SELECT 'job_inputs', job_id, id FROM jobs.job_inputs WHERE id ~ '[\u0001-\u001f\u007f-\u009f]'
    UNION ALL
    SELECT DISTINCT 'job_progress', job_id, kind FROM jobs.job_progress WHERE kind ~ '[\u0001-\u001f\u007f-\u009f]'
) bad ORDER BY in_table, job_id COLLATE "C", name COLLATE "C";
-- the same rows through progress_trace_points
SELECT count(*) AS points, max(step) AS steps, max(files_completed) AS completed
FROM jobs.progress_trace_points('h90_ジョブ🙂', 10);
\echo :SQLSTATE
-- ids that differ only in case, trailing space or normalisation are other jobs
SELECT jobs.progress_traces('H90_%S%N', 10);
\echo :SQLSTATE
SELECT jobs.progress_traces('h90_%s%n ', 10);
\echo :SQLSTATE
\set VERBOSITY sqlstate
SELECT jobs.progress_traces('h90_' || repeat('L', 507), 10);
\set VERBOSITY default
\echo :SQLSTATE

DELETE FROM jobs.jobs WHERE id LIKE 'h90%';
