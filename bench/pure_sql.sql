-- The best pure-SQL formulation of SPEC §2 we could write: the alternative a
-- user would pick instead of the extension, and the benchmark's yardstick.
-- It uses the same tables and indexes as the extension (the stream index
-- gives the window functions their order, so nothing is sorted):
-- * one pass over the job's progress rows, in index order; lag() over each
--   (input_id, kind) stream turns cumulative snapshots into deltas;
-- * the bucket of a time is arithmetic (no join against the points): the
--   smallest k with min(u, end) <= t_k is ceil(d*n/span) - 1 for d = u - start,
--   clamped to [0, n-1];
-- * deltas are summed per (kind, bucket), then prefix-summed over the points
--   with a running sum() window.
-- Limits, as a pure-SQL trade-off: offsets are taken through float8 seconds
-- (exact to the microsecond for job lifetimes under ~70 years) and the
-- products d*n in bigint. It returns null for a job it cannot see instead of
-- raising PT404.

CREATE SCHEMA IF NOT EXISTS bench_sql;

-- RFC 3339 in UTC, fractional seconds only when non-zero, no trailing zeros.
CREATE OR REPLACE FUNCTION bench_sql.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
       || coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '')
       || 'Z';

-- Microseconds from `start` to `u`, exact while |u - start| < ~70 years.
CREATE OR REPLACE FUNCTION bench_sql.offset_us(u timestamptz, start timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN round(date_part('epoch', u - start) * 1e6::float8)::bigint;

-- The first point at which an event at `u` counts (SPEC §2).
CREATE OR REPLACE FUNCTION bench_sql.bucket(u timestamptz, start timestamptz, span bigint, n integer)
RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN least(n - 1, greatest(0,
           (bench_sql.offset_us(u, start) * n + span - 1) / span - 1))::integer;

CREATE OR REPLACE FUNCTION bench_sql.progress_traces(job_id text, buckets integer DEFAULT 100)
RETURNS json LANGUAGE sql STABLE
AS $$
WITH job AS (
    SELECT j.id, e.n, e.ends, least(coalesce(j.started_at, j.created_at), e.ends - interval '1 second') AS starts
    FROM jobs.jobs j,
         LATERAL (SELECT CASE WHEN j.status IN ('completed', 'failed', 'cancelled')
                              THEN j.finished_at ELSE now() END AS ends,
                         coalesce(least(greatest(buckets, 10), 1000), 100) AS n) e
    WHERE j.id = progress_traces.job_id
),
win AS (
    SELECT id, n, starts, ends, bench_sql.offset_us(ends, starts) AS span FROM job
),
points AS (
    SELECT k, starts + ((k + 1) * span / n) * interval '1 microsecond' AS t
    FROM win, generate_series(0, n - 1) AS k
),
-- Cumulative snapshots -> per-stream changes, in stream order (index order).
changes AS (
    SELECT p.kind,
           bench_sql.bucket(p.created_at, win.starts, win.span, win.n) AS k,
           p.success - coalesce(lag(p.success) OVER s, 0) AS ds,
           p.failed - coalesce(lag(p.failed) OVER s, 0) AS df
    FROM jobs.job_progress p, win
    WHERE p.job_id = progress_traces.job_id
    WINDOW s AS (PARTITION BY p.input_id, p.kind ORDER BY p.created_at, p.id)
),
kind_deltas AS (
    SELECT kind, k, sum(ds) AS ds, sum(df) AS df FROM changes GROUP BY kind, k
),
kind_series AS (
    SELECT f.kind, pt.k,
           sum(coalesce(d.ds, 0)) OVER c AS success,
           sum(coalesce(d.df, 0)) OVER c AS failed
    FROM (SELECT kind, min(k) AS first FROM kind_deltas GROUP BY kind) f
    JOIN points pt ON pt.k >= f.first
    LEFT JOIN kind_deltas d ON d.kind = f.kind AND d.k = pt.k
    WINDOW c AS (PARTITION BY f.kind ORDER BY pt.k)
),
items AS (
    SELECT k, json_object_agg(kind, json_build_object('success', success::bigint, 'failed', failed::bigint)
                              ORDER BY kind COLLATE "C") AS items
    FROM kind_series GROUP BY k
),
file_deltas AS (
    SELECT bench_sql.bucket(i.completed_at, win.starts, win.span, win.n) AS k,
           count(*) FILTER (WHERE i.status = 'completed') AS completed,
           count(*) FILTER (WHERE i.status = 'failed') AS failed
    FROM jobs.job_inputs i, win
    WHERE i.job_id = progress_traces.job_id AND i.completed_at IS NOT NULL
    GROUP BY 1
),
files AS (
    SELECT pt.k, pt.t,
           sum(coalesce(d.completed, 0)) OVER c AS completed,
           sum(coalesce(d.failed, 0)) OVER c AS failed
    FROM points pt LEFT JOIN file_deltas d ON d.k = pt.k
    WINDOW c AS (ORDER BY pt.k)
)
SELECT json_build_object(
    'job_id', win.id,
    'bucket_seconds', (win.span::float8 / win.n) / 1e6::float8,
    'latest_event_at', bench_sql.rfc3339(greatest(
        (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = progress_traces.job_id),
        (SELECT max(i.completed_at) FROM jobs.job_inputs i
          WHERE i.job_id = progress_traces.job_id AND i.completed_at IS NOT NULL))),
    'points', (SELECT json_agg(json_build_object(
                   't', bench_sql.rfc3339(f.t),
                   'step', (f.completed + f.failed)::bigint,
                   'files', json_build_object('completed', f.completed::bigint, 'failed', f.failed::bigint),
                   'items', coalesce(it.items, '{}'::json)) ORDER BY f.k)
               FROM files f LEFT JOIN items it ON it.k = f.k))
FROM win
$$;
