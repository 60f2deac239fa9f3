-- docs/contract.md §2 restated as plain SQL (a reference model written independently of
-- the engine) and compared with jobs.progress_traces on the published
-- example and on many generated jobs: live and finished, sub-second to days,
-- not started, events before/at/after points and outside the window, ties,
-- out-of-order arrival, restarts, job-level streams, several kinds.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- The reference model is the differential test's (written from contract §2
-- alone; it never calls a traces function): schema `reference`, dropped at
-- the end of this file.
\set ECHO none
\i test/differential/reference.sql
\set ECHO all

-- The model's trace as jsonb.
CREATE FUNCTION pg_temp.model(job text, buckets integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$ SELECT reference.progress_traces(job, buckets)::jsonb $$;

-- t + d microseconds, exactly.
CREATE FUNCTION pg_temp.plus_us(t timestamptz, d numeric) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT reference.from_us(reference.us(t) + d::bigint) $$;

-- What differs between an answer of the engine and the model's: 'same'
-- when nothing. bucket_seconds is compared as a double; items' keys must
-- come in byte order.
CREATE FUNCTION pg_temp.compare(e json, m jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(nullif(concat_ws(' ',
        CASE WHEN (e::jsonb - 'bucket_seconds' - 'points') <> (m - 'bucket_seconds' - 'points') THEN 'header' END,
        CASE WHEN (e->>'bucket_seconds')::float8 <> (m->>'bucket_seconds')::float8 THEN 'bucket_seconds' END,
        CASE WHEN (e->'points')::jsonb <> m->'points' THEN 'points' END,
        CASE WHEN EXISTS (
                SELECT FROM json_array_elements(e->'points') AS p
                WHERE ARRAY(SELECT json_object_keys(p->'items'))
                   <> ARRAY(SELECT k FROM json_object_keys(p->'items') AS k ORDER BY k COLLATE "C"))
             THEN 'key order' END), ''), 'same')
$$;
CREATE FUNCTION pg_temp.difference(job text, buckets integer) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT pg_temp.compare(jobs.progress_traces(job, buckets), pg_temp.model(job, buckets))
$$;

-- ===== The published example =====
\set ECHO none
\i test/fixtures/sample_job.sql
\set ECHO all
SELECT b AS buckets, pg_temp.difference('job_2abc', b) AS difference
FROM unnest(ARRAY[NULL, 10, 50, 1000]::integer[]) WITH ORDINALITY AS u(b, i) ORDER BY i;
-- (the model agrees with the published points)
SELECT m->'points'->25 AS model_point_10_03
FROM pg_temp.model('job_2abc', 50) AS m;

-- ===== Generated jobs =====
-- An event time for a window [ws, we] of n points: before it, exactly at a
-- point, one microsecond around a point, at its ends, after it, anywhere
-- inside, or (a tie) a time already used.
CREATE FUNCTION pg_temp.event_time(ws timestamptz, we timestamptz, n integer, used timestamptz[])
RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
    span numeric := reference.us(we) - reference.us(ws);
    r float8 := random();
    k integer := floor(random() * n);
    at_k timestamptz := pg_temp.plus_us(ws, floor((k + 1) * span / n));
BEGIN
    IF r < 0.08 THEN RETURN pg_temp.plus_us(ws, -1 - floor(random()::numeric * span * 0.3));
    ELSIF r < 0.16 THEN RETURN pg_temp.plus_us(we, 1 + floor(random()::numeric * span * 0.3));
    ELSIF r < 0.36 THEN RETURN at_k;
    ELSIF r < 0.44 THEN RETURN at_k + CASE WHEN random() < 0.5 THEN -1 ELSE 1 END * interval '1 microsecond';
    ELSIF r < 0.50 THEN RETURN CASE WHEN random() < 0.5 THEN ws ELSE we END;
    ELSIF r < 0.65 AND cardinality(used) > 0 THEN RETURN used[1 + floor(random() * cardinality(used))];
    ELSE RETURN pg_temp.plus_us(ws, floor(random()::numeric * (span + 1)));
    END IF;
END $$;

CREATE TEMP TABLE generated (id text PRIMARY KEY, buckets integer);
CREATE TEMP TABLE generated_rows (job_id text, input_id text, kind text, created_at timestamptz, metrics jsonb);
DO $$
DECLARE
    kinds constant text[] := ARRAY['inference', 'embed', 'B', '_x', 'a', 'ab'];
    bucket_choices constant integer[] := ARRAY[NULL, 5, 10, 13, 50, 100, 1000, 4000];
    -- The statuses in their one list's order (jobs_internal).
    terminal constant text[] := jobs_internal.terminal_job_statuses();
    live_statuses constant text[] := ARRAY(SELECT s FROM unnest(jobs_internal.job_statuses()) AS s
                                           WHERE NOT jobs_internal.is_terminal_job_status(s));
    job text; live boolean; st text; buckets integer; n integer;
    created timestamptz; started timestamptz; finished timestamptz;
    ws timestamptz; we timestamptz; used timestamptz[]; t timestamptz;
    n_inputs integer; input text; success integer; failed integer; m jsonb;
BEGIN
    PERFORM setseed(0.2026);
    FOR j IN 1..60 LOOP
        job := 'm08_' || j;
        live := random() < 0.2;
        created := '2026-04-14 00:00+00'::timestamptz + floor(random() * 86400e6) * interval '1 microsecond';
        started := CASE WHEN random() < 0.15 THEN NULL
                        ELSE created + floor(random() * 60e6) * interval '1 microsecond' END;
        IF live THEN
            st := live_statuses[1 + floor(random() * cardinality(live_statuses))];
            finished := NULL;
        ELSE
            st := terminal[1 + floor(random() * cardinality(terminal))];
            -- from 0.1 s to 3 days, log-uniform; sometimes before it started
            finished := coalesce(started, created)
                        + floor(exp(ln(1e5) + random() * (ln(2.6e11) - ln(1e5)))) * interval '1 microsecond';
            IF random() < 0.05 THEN finished := coalesce(started, created) - interval '3 seconds'; END IF;
        END IF;
        INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
        VALUES (job, 't', st, created, started, finished);
        buckets := bucket_choices[1 + floor(random() * cardinality(bucket_choices))];
        INSERT INTO generated VALUES (job, buckets);

        -- The window as contract §2.3 defines it, to aim events at its points.
        n := CASE WHEN buckets IS NULL THEN 100 ELSE least(greatest(buckets, 10), 1000) END;
        we := coalesce(finished, now());
        ws := coalesce(started, created);
        IF reference.us(we) - reference.us(ws) < 1000000 THEN ws := we - interval '1 second'; END IF;
        used := '{}';

        n_inputs := floor(random() * 7);
        FOR i IN 1..n_inputs LOOP
            st := (ARRAY['pending', 'processing', 'completed', 'completed', 'failed', 'reference'])[1 + floor(random() * 6)];
            t := CASE WHEN jobs_internal.is_finished_input_status(st) THEN pg_temp.event_time(ws, we, n, used) END;
            IF t IS NOT NULL THEN used := used || t; END IF;
            INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES (job, 'in_' || i, st, t);
        END LOOP;

        FOR r IN 1..floor(random() * 40) LOOP
            input := CASE WHEN n_inputs = 0 OR random() < 0.25 THEN NULL
                          ELSE 'in_' || (1 + floor(random() * n_inputs)) END;
            t := pg_temp.event_time(ws, we, n, used);
            used := used || t;
            success := CASE WHEN random() < 0.15 THEN 0 ELSE floor(random() * 1000) END;
            failed := floor(random() * 20);
            m := CASE floor(random() * 4)
                     WHEN 0 THEN jsonb_build_object('success', success)
                     WHEN 1 THEN jsonb_build_object('success', success, 'failed', failed, 'tokens', success * 31)
                     ELSE jsonb_build_object('success', success, 'failed', failed) END;
            INSERT INTO generated_rows
            VALUES (job, input, kinds[1 + floor(random() * cardinality(kinds))], t, m);
        END LOOP;
    END LOOP;
END $$;
-- Stored in random order: ids do not follow time.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT job_id, input_id, kind, created_at, metrics FROM generated_rows ORDER BY random();
-- Fresh statistics, so that the model's queries are planned for this data
-- whatever earlier tests left behind.
ANALYZE jobs.jobs, jobs.job_inputs, jobs.job_progress;

-- What the generated data covers.
SELECT count(*) FILTER (WHERE NOT jobs_internal.is_terminal_job_status(status)) > 0 AS live_jobs,
       count(*) FILTER (WHERE started_at IS NULL) > 0 AS not_started,
       count(*) FILTER (WHERE finished_at - coalesce(started_at, created_at) < interval '1 second') > 0 AS sub_second,
       count(*) FILTER (WHERE finished_at - coalesce(started_at, created_at) > interval '1 day') > 0 AS days_long
FROM jobs.jobs WHERE id LIKE 'm08%';
SELECT count(*) FILTER (WHERE r.input_id IS NULL) > 0 AS job_level_rows,
       count(DISTINCT r.kind) AS kinds,
       count(*) FILTER (WHERE r.created_at < coalesce(j.started_at, j.created_at)) > 0 AS before_start,
       count(*) FILTER (WHERE r.created_at > j.finished_at) > 0 AS after_end,
       bool_or(EXISTS (SELECT FROM jobs.job_progress o WHERE o.job_id = r.job_id AND o.id <> r.id
                         AND o.input_id IS NOT DISTINCT FROM r.input_id AND o.kind = r.kind
                         AND o.created_at = r.created_at)) AS ties_in_a_stream,
       bool_or(EXISTS (SELECT FROM jobs.job_progress o WHERE o.job_id = r.job_id
                         AND o.input_id IS NOT DISTINCT FROM r.input_id AND o.kind = r.kind
                         AND o.created_at < r.created_at AND o.id > r.id)) AS out_of_order,
       bool_or(EXISTS (SELECT FROM jobs.job_progress o WHERE o.job_id = r.job_id
                         AND o.input_id IS NOT DISTINCT FROM r.input_id AND o.kind = r.kind
                         AND o.created_at < r.created_at AND o.success > r.success)) AS counters_drop
FROM jobs.job_progress r JOIN jobs.jobs j ON j.id = r.job_id
WHERE r.job_id LIKE 'm08%';

-- The engine and the model agree on every generated job, at its own bucket
-- count and at two more (differences would be listed below the counts).
CREATE TEMP TABLE compared AS
SELECT id, b AS buckets, pg_temp.difference(id, b) AS difference
FROM generated, LATERAL (VALUES (generated.buckets), (10), (37)) AS v(b);
SELECT count(DISTINCT id) AS jobs, count(*) AS traces, count(*) FILTER (WHERE difference <> 'same') AS differing
FROM compared;
SELECT * FROM compared WHERE difference <> 'same' ORDER BY id, buckets;
DROP TABLE compared;

-- The comparison does see differences: an answer computed before a report
-- moved 1 microsecond past the 10:03:00 point no longer matches the model,
-- while a fresh answer does.
BEGIN;
CREATE TEMP TABLE before_move AS SELECT jobs.progress_traces('job_2abc', 50) AS e;
UPDATE jobs.job_progress SET created_at = '2026-04-14 10:03:00.000001+00'
WHERE job_id = 'job_2abc' AND input_id = 'in_01' AND created_at = '2026-04-14 10:02:41+00';
SELECT pg_temp.compare(e, pg_temp.model('job_2abc', 50)) AS old_answer,
       pg_temp.difference('job_2abc', 50) AS new_answer,
       jobs.progress_traces('job_2abc', 50)->'points'->25->'items' AS items_10_03
FROM before_move;
ROLLBACK;

DROP TABLE generated, generated_rows;
DELETE FROM jobs.jobs WHERE id LIKE 'm08%' OR id = 'job_2abc';
SET client_min_messages = warning;  -- the schema's nine functions go with it
DROP SCHEMA reference CASCADE;
RESET client_min_messages;
