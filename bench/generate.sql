-- The benchmark's data generator: one terminal job with `inputs` input files
-- and `progress` progress rows of `kinds` kinds, written set-based through
-- the real tables (validation triggers, generated columns and foreign keys
-- all fire, as in production). Deterministic: the same arguments always give
-- the same rows, so every run and both implementations see the same job.
--
--   SELECT bench.generate_job('job_L', 1000000, 5000000, 3);
--
-- Shape of the data (the cases docs/contract.md §2 distinguishes, at scale):
-- * inputs: 96% completed, 3% failed, 1% reference (never counted); a few
--   finish before the job started (count from the first point) or after it
--   finished (count at the last point). One in four is on port "images",
--   the others on "texts" (the siblings' port filter, bench/siblings.py).
-- * progress: cumulative snapshots per (input_id, kind) stream. Row g belongs
--   to input ((g-1) mod inputs)+1 in round (g-1) div inputs, and round s of
--   input i is of kind (i+s) mod kinds, so streams hold 1-2 snapshots each at
--   5 rows per input; values grow along a stream, except that one input in
--   211 restarts from a lower value (a retried input).
-- * 1% of rows are job-level (input_id null), several per second so that
--   created_at ties are broken by id.
-- * 2% of rows arrive late: they are inserted after all the others, so their
--   id is greater than that of later snapshots of the same stream.

CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.generate_job(job text, inputs integer, progress bigint,
                                              kinds integer DEFAULT 3)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    created  constant timestamptz := '2026-04-14 08:00:00+00';
    started  constant timestamptz := created + interval '2 minutes';
    duration constant bigint := 2 * 3600 * 1000000::bigint;  -- µs from start to finish
    kind_names constant text[] := '{inference,embedding,moderation,ocr,translation,summary}';
BEGIN
    IF kinds NOT BETWEEN 1 AND 6 THEN
        RAISE EXCEPTION 'kinds must be between 1 and 6' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
    VALUES (job, 'bench', 'completed', created, started,
            started + make_interval(secs => duration / 1e6));

    INSERT INTO jobs.job_inputs (job_id, id, port_name, status, completed_at)
    SELECT job, 'in_' || lpad(i::text, 7, '0'), CASE WHEN i % 4 = 0 THEN 'images' ELSE 'texts' END, st,
           CASE WHEN st = 'reference' THEN NULL
                WHEN i % 1000 = 3 THEN created                      -- before start
                WHEN i % 1000 = 7 THEN started + make_interval(secs => duration / 1e6 + 60) -- after end
                ELSE started + make_interval(secs => (duration * i / inputs * 0.98 + (i::bigint * 7919) % 5000000) / 1e6)
           END
    FROM generate_series(1, inputs) AS i,
         LATERAL (SELECT CASE WHEN i % 100 = 0 THEN 'reference'
                              WHEN i % 33 = 1 THEN 'failed'
                              ELSE 'completed' END AS st) AS s;

    INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
    SELECT job,
           CASE WHEN job_level THEN NULL ELSE 'in_' || lpad(i::text, 7, '0') END,
           kind_names[1 + (CASE WHEN job_level THEN g / 100 ELSE i + s END) % kinds],
           CASE WHEN job_level
                -- whole seconds: several job-level rows share a created_at
                THEN date_trunc('second', started + make_interval(secs => (duration * g / progress) / 1e6))
                ELSE started + make_interval(secs => (duration * g / progress) / 1e6)
           END,
           CASE WHEN job_level THEN jsonb_build_object('success', g / 100, 'failed', g / 1000)
                WHEN f = 0 THEN jsonb_build_object('success', ok, 'tokens', ok * 100)
                ELSE jsonb_build_object('success', ok, 'failed', f, 'tokens', ok * 100)
           END
    FROM generate_series(1, progress) AS g,
         LATERAL (SELECT g % 100 = 0 AS job_level,
                         (((g - 1) % inputs) + 1)::integer AS i,
                         ((g - 1) / inputs)::integer AS s) AS a,
         LATERAL (SELECT CASE WHEN i % 211 = 0 AND s / kinds = 1 THEN 1
                              ELSE (s / kinds + 1) * (3 + i % 17) END AS ok,
                         (s / kinds) * (i % 3) AS f) AS b
    -- late arrivals last: their ids exceed those of later snapshots
    ORDER BY (g * 2654435761) % 50 = 0, g;
END $$;
