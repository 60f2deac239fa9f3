-- docs/contract.md §2 restated as plain SQL (a reference model written independently of
-- the engine) and compared with jobs.progress_traces on the published
-- example and on many generated jobs: live and finished, sub-second to days,
-- not started, events before/at/after points and outside the window, ties,
-- out-of-order arrival, restarts, job-level streams, several kinds.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- Microseconds since 1970 (exact: extract returns numeric).
CREATE FUNCTION pg_temp.us(t timestamptz) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$ SELECT extract(epoch FROM t) * 1000000 $$;

-- t + d microseconds, exactly (whole days, then the rest; UTC session).
CREATE FUNCTION pg_temp.plus_us(t timestamptz, d numeric) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT t + make_interval(days => div(d, 86400000000)::integer)
             + (mod(d, 86400000000))::bigint * interval '1 microsecond'
$$;

-- RFC 3339, UTC, fraction only when non-zero, trailing zeros trimmed.
CREATE FUNCTION pg_temp.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '') || 'Z'
$$;

-- The trace by the letter of contract §2, as jsonb. Counters are read from
-- metrics, not from the generated columns.
CREATE FUNCTION pg_temp.model(job text, buckets integer) RETURNS jsonb
LANGUAGE sql STABLE AS $$
WITH j AS (
    SELECT id, coalesce(started_at, created_at) AS start0,
           CASE WHEN status IN ('completed', 'failed', 'cancelled') THEN finished_at ELSE now() END AS end_at
    FROM jobs.jobs WHERE id = job
), w AS (
    SELECT id, end_at,
           CASE WHEN pg_temp.us(end_at) - pg_temp.us(start0) < 1000000
                THEN end_at - interval '1 second' ELSE start0 END AS start_at,
           CASE WHEN buckets IS NULL THEN 100 ELSE least(greatest(buckets, 10), 1000) END AS n
    FROM j
), win AS (
    SELECT w.*, pg_temp.us(end_at) - pg_temp.us(start_at) AS span FROM w
), pts AS (
    SELECT k, pg_temp.plus_us(start_at, floor((k + 1) * span / n)) AS t, end_at
    FROM win, generate_series(0, n - 1) AS k
), files AS (
    SELECT p.k,
           count(*) FILTER (WHERE i.status = 'completed') AS completed,
           count(*) FILTER (WHERE i.status = 'failed') AS failed
    FROM pts p LEFT JOIN jobs.job_inputs i
      ON i.job_id = job AND i.completed_at IS NOT NULL AND least(i.completed_at, p.end_at) <= p.t
    GROUP BY p.k
), latest AS (
    SELECT p.k, s.kind, sum(s.success) AS success, sum(s.failed) AS failed
    FROM pts p CROSS JOIN LATERAL (
        SELECT DISTINCT ON (r.input_id, r.kind) r.kind,
               coalesce((r.metrics->>'success')::numeric, 0) AS success,
               coalesce((r.metrics->>'failed')::numeric, 0) AS failed
        FROM jobs.job_progress r
        WHERE r.job_id = job AND least(r.created_at, p.end_at) <= p.t
        ORDER BY r.input_id, r.kind, r.created_at DESC, r.id DESC) s
    GROUP BY p.k, s.kind
), items AS (
    SELECT k, jsonb_object_agg(kind, jsonb_build_object('success', success, 'failed', failed)) AS items
    FROM latest GROUP BY k
)
SELECT jsonb_build_object(
    'job_id', win.id,
    'bucket_seconds', (win.span::float8 / win.n) / 1e6,
    'latest_event_at', (SELECT pg_temp.rfc3339(greatest(
                            (SELECT max(created_at) FROM jobs.job_progress WHERE job_id = job),
                            (SELECT max(completed_at) FROM jobs.job_inputs WHERE job_id = job)))),
    'points', (SELECT jsonb_agg(jsonb_build_object(
                        't', pg_temp.rfc3339(p.t),
                        'step', f.completed + f.failed,
                        'files', jsonb_build_object('completed', f.completed, 'failed', f.failed),
                        'items', coalesce(it.items, '{}'))
                      ORDER BY p.k)
               FROM pts p JOIN files f USING (k) LEFT JOIN items it USING (k)))
FROM win
$$;

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
    span numeric := pg_temp.us(we) - pg_temp.us(ws);
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
            st := (ARRAY['pending', 'admitted', 'running', 'preempted'])[1 + floor(random() * 4)];
            finished := NULL;
        ELSE
            st := (ARRAY['completed', 'failed', 'cancelled'])[1 + floor(random() * 3)];
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
        IF pg_temp.us(we) - pg_temp.us(ws) < 1000000 THEN ws := we - interval '1 second'; END IF;
        used := '{}';

        n_inputs := floor(random() * 7);
        FOR i IN 1..n_inputs LOOP
            st := (ARRAY['pending', 'processing', 'completed', 'completed', 'failed', 'reference'])[1 + floor(random() * 6)];
            t := CASE WHEN st IN ('completed', 'failed') THEN pg_temp.event_time(ws, we, n, used) END;
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
SELECT count(*) FILTER (WHERE status NOT IN ('completed', 'failed', 'cancelled')) > 0 AS live_jobs,
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
