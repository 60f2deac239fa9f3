-- The best pure-SQL formulation of docs/contract.md §2 we could write: the alternative a
-- user would pick instead of the extension, and the benchmark's yardstick.
-- It reads the same tables through the same indexes as the extension, and
-- was tuned on the benchmark's data (docs/benchmark.md has the measurements):
-- * PL/pgSQL only to compute the window once (start, span, the n point
--   times) into variables: the big query then runs as a custom plan with
--   constants (a plain SQL function got generic plans: a sequential scan of
--   job_inputs, and a join against the window for every progress row);
-- * one pass over the job's progress rows in stream-index order (no sort);
--   lag() over each (input_id, kind) stream turns cumulative snapshots into
--   changes (a partitioned window was faster than one window over all rows
--   comparing lag(input_id), lag(kind));
-- * the first point an event counts at is width_bucket() over the array of
--   t_k + 1 µs: exact, and 3-4× cheaper per row than the arithmetic
--   ceil((u - start) * n / span) - 1, which needs an interval, a float or
--   numeric conversion and several operators per row;
-- * changes are summed per (kind, point), then prefix-summed over the points
--   with a running sum() window; JSON is built only for the n points.
-- It returns null for a job it cannot see instead of raising PT404.

CREATE SCHEMA IF NOT EXISTS bench_sql;

-- RFC 3339 in UTC, fractional seconds only when non-zero, no trailing zeros.
-- Year 0 (1 BC, reachable as the start of a window ending in year 1) is
-- written astronomically, as RFC 3339 does; to_char would write 0001.
CREATE OR REPLACE FUNCTION bench_sql.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN t >= '0001-01-01 00:00:00+00' THEN to_char(t AT TIME ZONE 'UTC', 'YYYY')
            ELSE lpad((extract(year FROM t AT TIME ZONE 'UTC')::integer + 1)::text, 4, '0') END
       || to_char(t AT TIME ZONE 'UTC', '-MM-DD"T"HH24:MI:SS')
       || coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '')
       || 'Z';

CREATE OR REPLACE FUNCTION bench_sql.progress_traces(job_id text, buckets integer DEFAULT 100)
RETURNS json LANGUAGE plpgsql STABLE
-- Plan every call for its job: after five calls PL/pgSQL may otherwise
-- settle on a generic plan, estimated for an average job.
SET plan_cache_mode = force_custom_plan
AS $fn$
#variable_conflict use_column
DECLARE
    job    jobs.jobs;
    n      integer := CASE WHEN buckets IS NULL THEN 100 ELSE least(greatest(buckets, 10), 1000) END;
    ends   timestamptz;
    starts timestamptz;
    span   bigint;
    points timestamptz[];
    firsts timestamptz[];
BEGIN
    SELECT * INTO job FROM jobs.jobs j WHERE j.id = progress_traces.job_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    ends := CASE WHEN job.status IN ('completed', 'failed', 'cancelled') THEN job.finished_at ELSE now() END;
    starts := least(coalesce(job.started_at, job.created_at), ends - interval '1 second');
    span := (extract(epoch FROM ends - starts) * 1000000)::bigint;
    -- t_k = start + floor((k+1) * span / n)
    points := ARRAY(SELECT starts + floor((k + 1)::numeric * span / n)::float8 * interval '1 microsecond'
                     FROM generate_series(0, n - 1) AS k ORDER BY k);
    -- An event at u counts from the first k with u <= t_k, i.e. after every
    -- t_j < u: width_bucket over t_j + 1 µs (j < n-1) counts exactly those.
    firsts := ARRAY(SELECT t + interval '1 microsecond' FROM unnest(points[1:n - 1]) AS t);
    RETURN (
    WITH changes AS (
        SELECT p.kind, width_bucket(p.created_at, firsts) AS k,
               p.success - lag(p.success, 1, 0::bigint) OVER s AS ds,
               p.failed - lag(p.failed, 1, 0::bigint) OVER s AS df
        FROM jobs.job_progress p
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
        JOIN generate_series(0, n - 1) AS pt(k) ON pt.k >= f.first
        LEFT JOIN kind_deltas d ON d.kind = f.kind AND d.k = pt.k
        WINDOW c AS (PARTITION BY f.kind ORDER BY pt.k)
    ),
    items AS (
        SELECT k, json_object_agg(kind, json_build_object('success', success::bigint, 'failed', failed::bigint)
                                  ORDER BY kind COLLATE "C") AS items
        FROM kind_series GROUP BY k
    ),
    file_deltas AS (
        SELECT width_bucket(i.completed_at, firsts) AS k,
               count(*) FILTER (WHERE i.status = 'completed') AS completed,
               count(*) FILTER (WHERE i.status = 'failed') AS failed
        FROM jobs.job_inputs i
        WHERE i.job_id = progress_traces.job_id AND i.completed_at IS NOT NULL
        GROUP BY 1
    ),
    files AS (
        SELECT pt.k, pt.t,
               sum(coalesce(d.completed, 0)) OVER c AS completed,
               sum(coalesce(d.failed, 0)) OVER c AS failed
        FROM (SELECT (o - 1)::integer AS k, t FROM unnest(points) WITH ORDINALITY AS u(t, o)) AS pt
        LEFT JOIN file_deltas d ON d.k = pt.k
        WINDOW c AS (ORDER BY pt.k)
    )
    SELECT json_build_object(
        'job_id', job.id,
        'bucket_seconds', (span::float8 / n) / 1e6::float8,
        'latest_event_at', bench_sql.rfc3339(greatest(
            (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = progress_traces.job_id),
            (SELECT max(i.completed_at) FROM jobs.job_inputs i
              WHERE i.job_id = progress_traces.job_id AND i.completed_at IS NOT NULL))),
        'points', (SELECT json_agg(json_build_object(
                       't', bench_sql.rfc3339(f.t),
                       'step', (f.completed + f.failed)::bigint,
                       'files', json_build_object('completed', f.completed::bigint, 'failed', f.failed::bigint),
                       'items', coalesce(it.items, '{}'::json)) ORDER BY f.k)
                   FROM files f LEFT JOIN items it ON it.k = f.k)));
END
$fn$;
