-- docs/contract.md §7.6, §11: the maintenance triggers' live case (one row
-- at the tail, a small batch of progress rows at the tail, a small batch of
-- progress rows each of a stream of its own, late or not) runs in C
-- (src/glue/maintenance_fast_path.c); every other statement falls back to
-- the set-based jobs_internal.maintain_*_sets. Each step below shows which
-- path it took (the calls of the set-based functions in its transaction: 0
-- is the C path) and then that the timeline (jobs.check_timeline) and the
-- counts equal their definitions.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET track_functions = 'all';

-- Calls of the set-based functions not yet reported to the statistics:
-- each step reads them at its BEGIN and before its COMMIT (nothing is
-- reported inside a transaction).
CREATE FUNCTION pg_temp.set_based() RETURNS TABLE (progress bigint, inputs bigint) LANGUAGE sql AS $$
    SELECT coalesce(pg_stat_get_xact_function_calls('jobs_internal.maintain_progress_sets'::regproc), 0),
           coalesce(pg_stat_get_xact_function_calls('jobs_internal.maintain_inputs_sets'::regproc), 0)
$$;
-- Every difference of the fast-path jobs' timeline and counts from their
-- definitions: must stay empty.
CREATE FUNCTION pg_temp.differences() RETURNS TABLE (job text, what text) LANGUAGE sql AS $$
    SELECT j.id, 'timeline: ' || c::text FROM jobs.jobs j CROSS JOIN LATERAL jobs.check_timeline(j.id) c
    WHERE j.id LIKE 'fp\_%' AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending p WHERE p.job_id = j.id)
    UNION ALL
    SELECT coalesce(k.job_id, a.job_id), 'progress_counts ' || coalesce(k.kind, a.kind)
    FROM (SELECT * FROM jobs_internal.progress_counts WHERE job_id LIKE 'fp\_%' AND n <> 0) k
    FULL JOIN (SELECT job_id, kind, count(*) AS n FROM jobs.job_progress WHERE job_id LIKE 'fp\_%' GROUP BY 1, 2) a
      ON a.job_id = k.job_id AND a.kind = k.kind
    WHERE k.n IS DISTINCT FROM a.n
    UNION ALL
    SELECT coalesce(k.job_id, a.job_id), 'input_counts ' || coalesce(k.status, a.status)
    FROM (SELECT * FROM jobs_internal.input_counts WHERE job_id LIKE 'fp\_%' AND n <> 0) k
    FULL JOIN (SELECT job_id, port_name, status, count(*) AS n FROM jobs.job_inputs WHERE job_id LIKE 'fp\_%' GROUP BY 1, 2, 3) a
      ON a.job_id = k.job_id AND a.port_name IS NOT DISTINCT FROM k.port_name AND a.status = k.status
    WHERE k.n IS DISTINCT FROM a.n
    UNION ALL
    SELECT j.job_id, 'job_kinds ' || j.kind FROM (SELECT DISTINCT job_id, kind FROM jobs.job_progress WHERE job_id LIKE 'fp\_%') j
    WHERE NOT EXISTS (SELECT FROM jobs_internal.job_kinds k WHERE k.job_id = j.job_id AND k.kind = j.kind)
$$;
\set progress 'INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES'

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('fp_a', 't', 'running', '2026-04-14 10:00+00', '2026-04-14 10:00+00'),
       ('fp_pending', 't', 'running', '2026-04-14 10:00+00', '2026-04-14 10:00+00');
-- fp_pending's timeline is not kept (a job from before the timeline).
INSERT INTO jobs_internal.timeline_pending VALUES ('fp_pending');
SELECT jobs.add_inputs('fp_a', ARRAY['in_1', 'in_2', 'in_3', 'in_4', 'in_5', 'in_6']);
SELECT jobs.add_inputs('fp_pending', ARRAY['in_1', 'in_2']);

-- ===== Progress =====
-- A new kind: the set-based path (the caps of §7.5).
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_1', 'infer', '2026-04-14 10:01+00', '{"success": 2}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- Rows of that kind at the tail, of another stream, of the null input, the
-- first row of a stream: the C path, one statement each.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_1', 'infer', '2026-04-14 10:02+00', '{"success": 5}');
:progress ('fp_a', 'in_2', 'infer', '2026-04-14 10:03+00', '{"success": 1, "failed": 1}');
:progress ('fp_a', NULL, 'infer', '2026-04-14 10:04+00', '{"success": 7}');
:progress ('fp_a', NULL, 'infer', '2026-04-14 10:05+00', '{"success": 9}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
-- Through the write API: the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
SELECT jobs.report_progress(ARRAY['fp_a'], ARRAY['in_2'], ARRAY['infer'], ARRAY['2026-04-14 10:06+00'::timestamptz],
                            ARRAY['{"success": 4, "failed": 2}'::jsonb]);
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- A late row (before the kind's last): the C path too (a statement whose
-- rows are each of a stream of its own; see the late rows below).
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_1', 'infer', '2026-04-14 10:03:30+00', '{"success": 6}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- Two rows at the tail in one statement: a small batch, the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_1', 'infer', '2026-04-14 10:07+00', '{"success": 8}'),
          ('fp_a', 'in_3', 'infer', '2026-04-14 10:07+00', '{"success": 1}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- A row with the same time as the kind's last (a larger id: at the tail).
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_3', 'infer', '2026-04-14 10:07+00', '{"success": 3}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- ===== Small batches (at most 16 rows) =====
-- A second kind (new: the set-based path).
:progress ('fp_a', 'in_1', 'load', '2026-04-14 10:07:10+00', '{"success": 1}');
-- Five rows of two known kinds at the tail, the same stream twice, the null
-- input twice, two rows with the same time (id order): the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_1', 'infer', '2026-04-14 10:08+00', '{"success": 9}'),
          ('fp_a', 'in_1', 'load', '2026-04-14 10:08+00', '{"success": 4, "failed": 1}'),
          ('fp_a', 'in_1', 'infer', '2026-04-14 10:08:30+00', '{"success": 12}'),
          ('fp_a', NULL, 'load', '2026-04-14 10:08+00', '{"failed": 2}'),
          ('fp_a', NULL, 'load', '2026-04-14 10:08:20+00', '{"success": 1, "failed": 3}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
-- Through the write API (kinds infer, load, infer, load, infer): the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
SELECT jobs.report_progress(ARRAY['fp_a', 'fp_a', 'fp_a', 'fp_a', 'fp_a'], ARRAY['in_2', 'in_2', 'in_3', NULL, 'in_2'],
                            ARRAY['infer', 'load', 'infer', 'load', 'infer'],
                            ARRAY['2026-04-14 10:09+00', '2026-04-14 10:09+00', '2026-04-14 10:09+00',
                                  '2026-04-14 10:09:10+00', '2026-04-14 10:09:20+00']::timestamptz[],
                            ARRAY['{"success": 6}', '{"success": 2}', '{"success": 5}', '{"success": 2, "failed": 4}',
                                  '{"success": 8, "failed": 1}']::jsonb[]);
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
-- A batch with one late row (before its kind's last), its two rows of two
-- streams: the C path. A batch with a new kind, a batch naming two jobs, a
-- batch of 17 rows: the set-based path, one call each.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_4', 'infer', '2026-04-14 10:09:30+00', '{"success": 1}'),
          ('fp_a', 'in_4', 'load', '2026-04-14 10:08:10+00', '{"success": 1}');
:progress ('fp_a', 'in_4', 'infer', '2026-04-14 10:09:40+00', '{"success": 2}'),
          ('fp_a', 'in_4', 'save', '2026-04-14 10:09:40+00', '{"success": 1}');
:progress ('fp_a', 'in_5', 'infer', '2026-04-14 10:09:50+00', '{"success": 1}'),
          ('fp_pending', 'in_2', 'infer', '2026-04-14 10:09:50+00', '{"success": 1}');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'fp_a', 'in_6', 'load', '2026-04-14 10:09:51+00'::timestamptz + i * interval '10 ms', jsonb_build_object('success', i)
FROM generate_series(1, 17) i;
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
-- A batch on a job whose timeline is not kept, one row before the others:
-- the counts only, the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_pending', 'in_1', 'infer', '2026-04-14 10:09:55+00', '{"success": 1}'),
          ('fp_pending', 'in_2', 'infer', '2026-04-14 10:00:01+00', '{"success": 1}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT count(*) AS timeline_rows FROM jobs_internal.kind_timeline WHERE job_id = 'fp_pending';
SELECT * FROM pg_temp.differences();
-- A job whose timeline is not kept: the counts only, the C path.
:progress ('fp_pending', 'in_1', 'infer', '2026-04-14 10:01+00', '{"success": 1}');
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_pending', 'in_1', 'infer', '2026-04-14 10:02+00', '{"success": 2}');
:progress ('fp_pending', 'in_1', 'infer', '2026-04-14 10:00:30+00', '{"success": 3}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT count(*) AS timeline_rows FROM jobs_internal.kind_timeline WHERE job_id = 'fp_pending';
-- Updates and deletes of progress: the set-based path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
UPDATE jobs.job_progress SET metrics = '{"success": 10}' WHERE job_id = 'fp_a' AND created_at = '2026-04-14 10:05+00';
DELETE FROM jobs.job_progress WHERE job_id = 'fp_a' AND created_at = '2026-04-14 10:02+00';
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
SELECT kind, to_char(created_at, 'HH24:MI:SS') AS at, success, failed
FROM jobs_internal.kind_timeline WHERE job_id = 'fp_a' ORDER BY created_at, id;

-- ===== Late rows, each of a stream of its own in its statement =====
-- Rows older than their kind's last timeline row, no two of one stream
-- (input, kind): the C path, which updates the kind's rows from each row to
-- its stream's next snapshot. A job of its own; the timeline is printed
-- after each step, and compared with its definition.
CREATE FUNCTION pg_temp.late_timeline() RETURNS TABLE (kind text, at text, success numeric, failed numeric,
                                                       definition text) LANGUAGE sql AS $$
    SELECT t.kind, to_char(t.created_at, 'HH24:MI:SS'), t.success, t.failed,
           CASE WHEN (d.success, d.failed) IS NOT DISTINCT FROM (t.success, t.failed) THEN 'same' ELSE 'DIFFERS' END
    FROM jobs_internal.kind_timeline t
    LEFT JOIN jobs_internal.kind_timeline_of('fp_late') d ON d.kind = t.kind AND d.created_at = t.created_at AND d.id = t.id
    WHERE t.job_id = 'fp_late'
    ORDER BY t.kind, t.created_at, t.id
$$;
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('fp_late', 't', 'running', '2026-04-14 10:00+00', '2026-04-14 10:00+00');
SELECT jobs.add_inputs('fp_late', ARRAY['in_1', 'in_2', 'in_3', 'in_4']);
-- Its kinds (new: the set-based path).
:progress ('fp_late', 'in_1', 'infer', '2026-04-14 10:00+00', '{"success": 1}'),
          ('fp_late', 'in_2', 'infer', '2026-04-14 10:01+00', '{"success": 2}'),
          ('fp_late', 'in_1', 'infer', '2026-04-14 10:02+00', '{"success": 3}'),
          ('fp_late', NULL, 'infer', '2026-04-14 10:03+00', '{"success": 1, "failed": 1}'),
          ('fp_late', 'in_2', 'infer', '2026-04-14 10:04+00', '{"success": 5}'),
          ('fp_late', 'in_3', 'infer', '2026-04-14 10:05+00', '{"success": 1}'),
          ('fp_late', 'in_1', 'infer', '2026-04-14 10:06+00', '{"success": 6}'),
          ('fp_late', 'in_1', 'load', '2026-04-14 10:00+00', '{"success": 1}'),
          ('fp_late', 'in_1', 'load', '2026-04-14 10:05+00', '{"success": 4}');
SELECT * FROM pg_temp.late_timeline();
-- One late row between two snapshots of its stream (in_1 at 10:00 and
-- 10:02): infer's row at 10:01 moves by its delta (+1), the row at 10:02
-- (the stream's next) and after do not.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_late', 'in_1', 'infer', '2026-04-14 10:00:30+00', '{"success": 2}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.late_timeline() WHERE kind = 'infer';
-- Late rows with no next snapshot of their stream (the stream's first row,
-- a row after its stream's last): to the kind's end. Two statements.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_late', 'in_3', 'load', '2026-04-14 10:02+00', '{"success": 2}');
:progress ('fp_late', 'in_2', 'infer', '2026-04-14 10:04:30+00', '{"success": 7}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.late_timeline();
-- Late job-level rows (the null input, a stream of its own): one before the
-- stream's snapshot at 10:03 (infer's 10:02 moves, 10:03 does not), one of
-- a kind with no job-level row (load, to its end).
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_late', NULL, 'infer', '2026-04-14 10:01:45+00', '{"success": 2, "failed": 3}');
:progress ('fp_late', NULL, 'load', '2026-04-14 10:01+00', '{"failed": 3}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.late_timeline();
-- Several streams in one statement, late with overlapping ranges (in_1 up
-- to 10:02, in_4 and the null load to the end, in_2 before its first row,
-- up to 10:01), one of them at the tail, two kinds.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_late', 'in_1', 'infer', '2026-04-14 10:01:10+00', '{"success": 4}'),
          ('fp_late', 'in_4', 'infer', '2026-04-14 10:01:20+00', '{"success": 2, "failed": 1}'),
          ('fp_late', 'in_2', 'infer', '2026-04-14 10:00:45+00', '{"success": 1}'),
          ('fp_late', NULL, 'load', '2026-04-14 10:04+00', '{"success": 3, "failed": 4}'),
          ('fp_late', 'in_3', 'infer', '2026-04-14 10:07+00', '{"success": 2}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.late_timeline();
SELECT * FROM pg_temp.differences();
-- Equal times, ordered by id: a late row at the time of a stored row of its
-- kind (after it: a larger id), two late rows of one time in one statement
-- at the time of a stored row of their kind (in ids' order, after it), the
-- second one's stream with no snapshot (to the end).
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_late', 'in_4', 'infer', '2026-04-14 10:02+00', '{"success": 5}');
:progress ('fp_late', 'in_2', 'load', '2026-04-14 10:01+00', '{"success": 2}'),
          ('fp_late', 'in_4', 'load', '2026-04-14 10:01+00', '{"success": 1, "failed": 2}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.late_timeline();
-- Through the write API (kinds infer, load, infer, load, infer), late: the
-- C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
SELECT jobs.report_progress(ARRAY['fp_late', 'fp_late', 'fp_late', 'fp_late', 'fp_late'],
                            ARRAY['in_3', 'in_1', 'in_2', NULL, NULL], ARRAY['infer', 'load', 'infer', 'load', 'infer'],
                            ARRAY['2026-04-14 10:03:30+00', '2026-04-14 10:03:30+00', '2026-04-14 10:01:30+00',
                                  '2026-04-14 10:00:30+00', '2026-04-14 10:08+00']::timestamptz[],
                            ARRAY['{"success": 3}', '{"success": 3}', '{"success": 3}', '{"failed": 1}',
                                  '{"success": 9, "failed": 9}']::jsonb[]);
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
-- A late row and another row of its stream in one statement, and a late
-- row with a new kind: the set-based path, one call each.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_late', 'in_1', 'infer', '2026-04-14 10:00:10+00', '{"success": 1}'),
          ('fp_late', 'in_1', 'infer', '2026-04-14 10:00:20+00', '{"success": 2}');
:progress ('fp_late', 'in_1', 'infer', '2026-04-14 10:00:15+00', '{"success": 1}'),
          ('fp_late', 'in_1', 'save', '2026-04-14 10:00:15+00', '{"success": 1}');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.late_timeline();
SELECT * FROM pg_temp.differences();
DELETE FROM jobs.jobs WHERE id = 'fp_late';

-- ===== Inputs =====
-- Adding one input, starting it, finishing it (the first finish of the
-- job, then at the tail), a start that changes nothing counted: the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
INSERT INTO jobs.job_inputs (job_id, id, port_name) VALUES ('fp_a', 'in_7', 'images');
UPDATE jobs.job_inputs SET status = 'processing' WHERE job_id = 'fp_a' AND id = 'in_7';
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 10:10+00' WHERE job_id = 'fp_a' AND id = 'in_7';
UPDATE jobs.job_inputs SET status = 'failed', completed_at = '2026-04-14 10:11+00' WHERE job_id = 'fp_a' AND id = 'in_1';
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 10:11+00' WHERE job_id = 'fp_a' AND id = 'in_2';
UPDATE jobs.job_inputs SET error_message = 'not yet' WHERE job_id = 'fp_a' AND id = 'in_3';
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- Through the write API: the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
SELECT jobs.finish_input('fp_a', 'in_3', 'completed', '2026-04-14 10:12+00');
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT * FROM pg_temp.differences();
-- A late finish (before the job's last), a finished input inserted, two
-- inputs in one statement, a finished input deleted: the set-based path,
-- one call each (the delete's cascade to job_progress removes no row: no
-- maintenance).
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 10:10:30+00' WHERE job_id = 'fp_a' AND id = 'in_4';
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES ('fp_a', 'in_8', 'failed', '2026-04-14 10:13+00');
UPDATE jobs.job_inputs SET status = 'processing' WHERE job_id = 'fp_a' AND id IN ('in_5', 'in_6');
DELETE FROM jobs.job_inputs WHERE job_id = 'fp_a' AND id = 'in_7';
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
-- A job whose timeline is not kept: counts only, the C path.
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 10:10+00' WHERE job_id = 'fp_pending' AND id = 'in_2';
SELECT progress - :b_progress AS progress_sets, inputs - :b_inputs AS inputs_sets FROM pg_temp.set_based();
COMMIT;
SELECT count(*) AS timeline_rows FROM jobs_internal.file_timeline WHERE job_id = 'fp_pending';
SELECT * FROM pg_temp.differences();
SELECT to_char(completed_at, 'HH24:MI:SS') AS at, input_id, completed, failed
FROM jobs_internal.file_timeline WHERE job_id = 'fp_a' ORDER BY completed_at, input_id COLLATE "C";

-- ===== The lock (§7.2) =====
-- Direct writes lock the job once per transaction, as the API does.
SELECT change_count AS before FROM jobs.jobs WHERE id = 'fp_a' \gset
BEGIN;
SELECT * FROM pg_temp.set_based() \gset b_
:progress ('fp_a', 'in_5', 'infer', '2026-04-14 10:20+00', '{"success": 1}');
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 10:20+00' WHERE job_id = 'fp_a' AND id = 'in_5';
:progress ('fp_a', 'in_6', 'infer', '2026-04-14 10:21+00', '{"success": 1}');
COMMIT;
SELECT change_count - :before AS advanced FROM jobs.jobs WHERE id = 'fp_a';
-- A statement naming several jobs locks each once.
SELECT change_count AS before FROM jobs.jobs WHERE id = 'fp_a' \gset
SELECT change_count AS before_pending FROM jobs.jobs WHERE id = 'fp_pending' \gset
:progress ('fp_a', 'in_6', 'infer', '2026-04-14 10:22+00', '{"success": 2}'),
          ('fp_pending', 'in_2', 'infer', '2026-04-14 10:22+00', '{"success": 2}'),
          ('fp_a', 'in_5', 'infer', '2026-04-14 10:22+00', '{"success": 2}');
SELECT id, change_count - CASE id WHEN 'fp_a' THEN :before ELSE :before_pending END AS advanced
FROM jobs.jobs WHERE id LIKE 'fp\_%' ORDER BY id;
-- A read-only transaction cannot take it (25006).
BEGIN READ ONLY;
SELECT jobs_internal.lock_jobs(ARRAY['fp_a']);
ROLLBACK;
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT jobs_internal.lock_jobs(NULL), jobs_internal.lock_jobs('{}');
SELECT * FROM pg_temp.differences();

DELETE FROM jobs.jobs WHERE id LIKE 'fp\_%';
