-- docs/contract.md §11, the write side of the timeline: every write keeps
-- jobs_internal.kind_timeline and jobs_internal.file_timeline equal to their
-- definition (kind_timeline_of, file_timeline_of), which
-- jobs.check_timeline() compares; after every step below, :check lists the
-- differences of every job of this file and must be empty. Progress ids
-- depend on what other files stored, so rows are shown by time and stream.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- A job's kind timeline, row by row.
CREATE FUNCTION pg_temp.kinds(job text)
RETURNS TABLE (kind text, created_at text, input_id text, success numeric, failed numeric) LANGUAGE sql AS $$
    SELECT t.kind, to_char(t.created_at, 'HH24:MI:SS'), coalesce(p.input_id, '(job)'), t.success, t.failed
    FROM jobs_internal.kind_timeline t JOIN jobs.job_progress p ON p.id = t.id
    WHERE t.job_id = job ORDER BY t.kind COLLATE "C", t.created_at, t.id
$$;
-- A job's file timeline.
CREATE FUNCTION pg_temp.files(job text)
RETURNS TABLE (completed_at text, input_id text, completed bigint, failed bigint) LANGUAGE sql AS $$
    SELECT to_char(t.completed_at, 'HH24:MI:SS'), t.input_id, t.completed, t.failed
    FROM jobs_internal.file_timeline t WHERE t.job_id = job ORDER BY t.completed_at, t.input_id COLLATE "C"
$$;
-- Remembers a job's timeline rows (their tuple ids), then lists those a
-- later statement rewrote: what a write cost.
CREATE TEMP TABLE seen (id bigint, tid tid);
CREATE FUNCTION pg_temp.remember(job text) RETURNS void LANGUAGE sql AS $$
    DELETE FROM seen;
    INSERT INTO seen SELECT t.id, t.ctid FROM jobs_internal.kind_timeline t WHERE t.job_id = job;
$$;
CREATE FUNCTION pg_temp.rewritten(job text)
RETURNS TABLE (created_at text, input_id text, success numeric) LANGUAGE sql AS $$
    SELECT to_char(t.created_at, 'HH24:MI:SS'), coalesce(p.input_id, '(job)'), t.success
    FROM jobs_internal.kind_timeline t JOIN jobs.job_progress p ON p.id = t.id
    LEFT JOIN seen s ON s.id = t.id
    WHERE t.job_id = job AND s.tid IS DISTINCT FROM t.ctid ORDER BY t.created_at, t.id
$$;
\set check 'SELECT j.id, c.* FROM jobs.jobs j CROSS JOIN LATERAL jobs.check_timeline(j.id) c WHERE j.id LIKE ''tl\\_%'' ORDER BY 1, 2, 3, 4, 5;'

CREATE FUNCTION pg_temp.report(job text, input text, kind text, at text, success integer, failed integer DEFAULT 0)
RETURNS bigint LANGUAGE sql AS $$
    SELECT jobs.report_progress(ARRAY[job], ARRAY[input], ARRAY[kind], ARRAY[('2026-04-14 ' || at || '+00')::timestamptz],
                                ARRAY[jsonb_build_object('success', success, 'failed', failed)])
$$;

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('tl_a', 't', 'running', '2026-04-14 10:00+00', '2026-04-14 10:00+00'),
       ('tl_b', 't', 'running', '2026-04-14 10:00+00', '2026-04-14 10:00+00');
SELECT jobs.add_inputs('tl_a', ARRAY['in_1', 'in_2', 'in_3', 'in_4']);
SELECT jobs.add_inputs('tl_b', ARRAY['in_1', 'in_2']);

-- ===== Appends: each row after every row of its kind =====
SELECT pg_temp.report('tl_a', 'in_1', 'infer', '10:01', 2);
SELECT pg_temp.report('tl_a', 'in_2', 'infer', '10:02', 3, 1);
SELECT pg_temp.remember('tl_a');
SELECT pg_temp.report('tl_a', 'in_1', 'infer', '10:03', 5);
-- The append wrote its own row and nothing else.
SELECT * FROM pg_temp.rewritten('tl_a');
SELECT * FROM pg_temp.kinds('tl_a');
:check

-- ===== A late row between two snapshots of one stream =====
-- in_1 has 2 at 10:01 and 5 at 10:03; a snapshot of 4 at 10:02:30 arrives
-- late. Only the kind's rows in [10:02:30, 10:03) change: its own and
-- in_2's at 10:02:45; in_2's row at 10:02 and everything from 10:03 keep.
SELECT pg_temp.report('tl_a', 'in_2', 'infer', '10:04', 6, 1);
SELECT pg_temp.report('tl_a', 'in_2', 'infer', '10:02:45', 4, 1);
SELECT pg_temp.remember('tl_a');
SELECT pg_temp.report('tl_a', 'in_1', 'infer', '10:02:30', 4);
SELECT * FROM pg_temp.rewritten('tl_a');
-- A late row whose stream has no later snapshot changes the kind's rows
-- from it to the end: in_3 at 10:01:30 adds 7 to every later row.
SELECT pg_temp.remember('tl_a');
SELECT pg_temp.report('tl_a', 'in_3', 'infer', '10:01:30', 7);
SELECT * FROM pg_temp.rewritten('tl_a');
SELECT * FROM pg_temp.kinds('tl_a');
:check

-- ===== Out-of-order snapshots, equal times broken by id =====
-- Stored 10:05 first, then 10:03:30, then two at 10:05 (the later id wins).
SELECT pg_temp.report('tl_a', 'in_4', 'infer', '10:05', 10);
SELECT pg_temp.report('tl_a', 'in_4', 'infer', '10:03:30', 1);
SELECT pg_temp.report('tl_a', 'in_4', 'infer', '10:05', 8);
SELECT pg_temp.report('tl_a', 'in_4', 'infer', '10:05', 9);
SELECT * FROM pg_temp.kinds('tl_a') WHERE created_at >= '10:03:30';
:check

-- ===== A retried input: its counters restart from 0 =====
SELECT pg_temp.report('tl_a', 'in_2', 'infer', '10:06', 1);
SELECT pg_temp.report('tl_a', 'in_2', 'infer', '10:07', 2);
SELECT * FROM pg_temp.kinds('tl_a') WHERE created_at >= '10:05';
:check

-- ===== Job-level (null input) streams, and a kind appearing late =====
SELECT pg_temp.report('tl_a', NULL, 'infer', '10:02:10', 100);
SELECT pg_temp.report('tl_a', NULL, 'infer', '10:08', 150);
SELECT pg_temp.report('tl_a', NULL, 'embed', '10:09', 1);
SELECT pg_temp.report('tl_a', 'in_1', 'embed', '10:00:30', 2);
SELECT * FROM pg_temp.kinds('tl_a') WHERE kind = 'embed' OR input_id = '(job)';
:check

-- ===== Backfilled old timestamps, in one statement, over several jobs =====
-- Rows before everything stored, interleaved with each other, shuffled.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT j, CASE WHEN g % 3 = 0 THEN NULL ELSE 'in_' || (1 + g % 2) END, CASE WHEN g % 4 = 0 THEN 'embed' ELSE 'infer' END,
       '2026-04-14 09:00+00'::timestamptz + make_interval(secs => (g * 37) % 600),
       jsonb_build_object('success', g, 'failed', g % 5)
FROM generate_series(1, 60) AS g, unnest(ARRAY['tl_a', 'tl_b']) AS j
ORDER BY md5(j || g);
SELECT count(*) FROM jobs_internal.kind_timeline WHERE job_id IN ('tl_a', 'tl_b');
:check

-- ===== Late rows after the job finished =====
SELECT jobs.finish_job('tl_b', 'completed', '2026-04-14 10:10+00');
SELECT pg_temp.report('tl_b', 'in_1', 'infer', '10:20', 500);
SELECT pg_temp.report('tl_b', 'in_2', 'infer', '09:05', 3);
:check

-- ===== Input completions: ranks in (completed_at, id in byte order) =====
SELECT jobs.finish_input('tl_a', 'in_2', 'completed', '2026-04-14 10:05+00');
SELECT jobs.finish_input('tl_a', 'in_3', 'failed', '2026-04-14 10:06+00');
-- A late completion, and one at the same instant (byte order of id).
SELECT jobs.finish_input('tl_a', 'in_4', 'completed', '2026-04-14 10:01+00');
SELECT jobs.finish_input('tl_a', 'in_1', 'completed', '2026-04-14 10:05+00');
SELECT * FROM pg_temp.files('tl_a');
:check
-- Inputs inserted finished, in one statement (as a restore does).
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
VALUES ('tl_b', 'in_9', 'failed', '2026-04-14 10:03+00'), ('tl_b', 'in_8', 'completed', '2026-04-14 10:03+00'),
       ('tl_b', 'in_7', 'reference', NULL);
SELECT * FROM pg_temp.files('tl_b');
:check

-- ===== UPDATE and DELETE of progress rows are maintained =====
-- Counters changed, a row moved in time, to another kind, stream and job.
UPDATE jobs.job_progress SET metrics = '{"success": 40}'
WHERE job_id = 'tl_a' AND input_id = 'in_1' AND created_at = '2026-04-14 10:02:30+00';
UPDATE jobs.job_progress SET created_at = '2026-04-14 10:09:30+00'
WHERE job_id = 'tl_a' AND input_id = 'in_4' AND created_at = '2026-04-14 10:03:30+00';
UPDATE jobs.job_progress SET kind = 'embed', input_id = NULL
WHERE job_id = 'tl_a' AND input_id = 'in_2' AND created_at = '2026-04-14 10:06+00';
UPDATE jobs.job_progress SET job_id = 'tl_b'
WHERE job_id = 'tl_a' AND input_id IS NULL AND created_at < '2026-04-14 09:03+00';
:check
DELETE FROM jobs.job_progress WHERE job_id = 'tl_a' AND input_id = 'in_1' AND created_at = '2026-04-14 10:01+00';
DELETE FROM jobs.job_progress WHERE job_id = 'tl_b' AND created_at < '2026-04-14 09:05+00';
SELECT * FROM pg_temp.kinds('tl_a') WHERE created_at >= '10:00';
:check

-- ===== UPDATE and DELETE of inputs =====
-- A finished input stays finished (PT409) unless an operator lifts the rule.
UPDATE jobs.job_inputs SET completed_at = '2026-04-14 10:00+00' WHERE job_id = 'tl_a' AND id = 'in_3';
BEGIN;
ALTER TABLE jobs.job_inputs DISABLE TRIGGER finished_input_stays;
UPDATE jobs.job_inputs SET completed_at = '2026-04-14 10:00+00' WHERE job_id = 'tl_a' AND id = 'in_3';
UPDATE jobs.job_inputs SET status = 'processing', completed_at = NULL WHERE job_id = 'tl_a' AND id = 'in_4';
ALTER TABLE jobs.job_inputs ENABLE TRIGGER finished_input_stays;
COMMIT;
SELECT * FROM pg_temp.files('tl_a');
:check
-- Deleting an input removes its rank and its progress (cascade).
DELETE FROM jobs.job_inputs WHERE job_id = 'tl_a' AND id = 'in_2';
SELECT * FROM pg_temp.files('tl_a');
:check

-- ===== TRUNCATE empties the timeline (rolled back: other files' jobs) =====
BEGIN;
TRUNCATE jobs.job_progress;
SELECT count(*) FROM jobs_internal.kind_timeline;
:check
ROLLBACK;

-- ===== Pending jobs: writes leave them, the scan path reads them =====
-- As after the update from 1.0: the job is listed pending, its timeline empty.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at) VALUES ('tl_old', 't', 'running', '2026-04-14 10:00+00');
INSERT INTO jobs_internal.timeline_pending VALUES ('tl_old');
SELECT jobs.add_inputs('tl_old', ARRAY['in_1']);
SELECT pg_temp.report('tl_old', 'in_1', 'infer', '10:01', 1);
SELECT jobs.finish_input('tl_old', 'in_1', 'completed', '2026-04-14 10:02+00');
SELECT (SELECT count(*) FROM jobs_internal.kind_timeline WHERE job_id = 'tl_old') AS kind_rows,
       (SELECT count(*) FROM jobs_internal.file_timeline WHERE job_id = 'tl_old') AS file_rows;
SELECT * FROM jobs.check_timeline('tl_old');
-- A second pending job; batches of at most 2 rows: one job per call here.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at) VALUES ('tl_old2', 't', 'running', '2026-04-14 10:00+00');
INSERT INTO jobs_internal.timeline_pending VALUES ('tl_old2');
SELECT pg_temp.report('tl_old2', NULL, 'infer', '10:01', 1);
SELECT pg_temp.report('tl_old2', NULL, 'infer', '10:02', 2);
SELECT pg_temp.report('tl_old2', NULL, 'infer', '10:03', 3);
SELECT * FROM jobs.build_timelines(2);
SELECT * FROM jobs_internal.timeline_pending WHERE job_id LIKE 'tl\_%';
SELECT * FROM jobs.build_timelines(2);
SELECT count(*) FROM jobs_internal.timeline_pending WHERE job_id LIKE 'tl\_%';
SELECT * FROM pg_temp.kinds('tl_old2');
:check
SELECT jobs.build_timelines(0);

-- ===== check_timeline reports a damaged timeline; rebuild_timeline repairs it =====
UPDATE jobs_internal.kind_timeline SET success = success + 1
WHERE job_id = 'tl_old2' AND created_at = '2026-04-14 10:02+00';
DELETE FROM jobs_internal.file_timeline WHERE job_id = 'tl_old';
SELECT timeline, kind, to_char(at, 'HH24:MI'), stored, expected FROM jobs.check_timeline('tl_old2');
SELECT timeline, kind, to_char(at, 'HH24:MI'), id, stored, expected FROM jobs.check_timeline('tl_old');
SELECT jobs.rebuild_timeline('tl_old2'), jobs.rebuild_timeline('tl_old');
:check
SELECT * FROM jobs.check_timeline('tl_missing');
SELECT jobs.rebuild_timeline('tl_missing');

-- ===== Deleting a job removes its timeline =====
DELETE FROM jobs.jobs WHERE id LIKE 'tl\_%';
SELECT (SELECT count(*) FROM jobs_internal.kind_timeline WHERE job_id LIKE 'tl\_%') AS kind_rows,
       (SELECT count(*) FROM jobs_internal.file_timeline WHERE job_id LIKE 'tl\_%') AS file_rows,
       (SELECT count(*) FROM jobs_internal.timeline_pending WHERE job_id LIKE 'tl\_%') AS pending;
