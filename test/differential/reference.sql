-- An independent reference implementation of docs/contract.md §2, written straight from
-- its definitions in plain SQL and PL/pgSQL. It favours being obviously right
-- over being fast: every point k is computed from scratch, from the rows, with
-- no running state shared between points. It never calls a traces function;
-- it reads only the tables jobs.jobs, jobs.job_inputs and jobs.job_progress.
--
-- Load it after CREATE EXTENSION traces:  \i test/differential/reference.sql
-- It provides, in schema `reference`:
--   reference.progress_traces(job_id, buckets, from, to)       -> json (same shape, key order)
--   reference.progress_trace_points(job_id, buckets, from, to) -> the same series as rows
--   reference.progress_series(job_id, buckets, from, to)       -> the long format (§2.15)
--   reference.latest_event_at(job_id)                          -> timestamptz
-- from/to: the zoom window of docs/contract.md §2.13, null meaning none.

CREATE SCHEMA reference;

-- ---------------------------------------------------------------------------
-- Time in integer microseconds since the Unix epoch ("all times in µs").
-- extract(epoch ...) is numeric in PostgreSQL 15, so this is exact.
CREATE FUNCTION reference.us(t timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT
RETURN (extract(epoch FROM t) * 1000000)::bigint;

-- Back from microseconds to a timestamptz. Whole seconds and the remaining
-- microseconds are added separately so that every multiplication stays far
-- below 2^53 (interval * number is computed in double precision); the result
-- is then checked against the input, so a rounding here could never go
-- unnoticed.
CREATE FUNCTION reference.from_us(u bigint) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    t timestamptz := timestamptz '1970-01-01 00:00:00+00'
                     + div(u, 1000000)::float8 * interval '1 second'
                     + mod(u, 1000000)::float8 * interval '1 microsecond';
BEGIN
    IF reference.us(t) <> u THEN
        RAISE EXCEPTION 'reference.from_us(%) gave % (%)', u, t, reference.us(t);
    END IF;
    RETURN t;
END $$;

-- RFC 3339 in UTC: YYYY-MM-DDTHH:MM:SS, then '.' and the fraction only when
-- it is non-zero, without trailing zeros, then Z. The year is written the
-- ISO 8601 way (proleptic Gregorian, 1 BC = year 0000), four digits.
CREATE FUNCTION reference.rfc3339(t timestamptz) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    utc      timestamp := t AT TIME ZONE 'UTC';
    year     int := extract(year FROM utc)::int;   -- -1 for 1 BC
    fraction text := rtrim(to_char(utc, 'US'), '0');  -- 6 digits, zeros dropped
BEGIN
    IF year < 0 THEN
        year := year + 1;
    END IF;
    RETURN lpad(year::text, 4, '0')
        || to_char(utc, '-MM-DD"T"HH24:MI:SS')
        || CASE WHEN fraction = '' THEN '' ELSE '.' || fraction END
        || 'Z';
END $$;

-- A counter of `metrics`: missing means 0. The data is validated when
-- written; the check below only makes sure the reference reads what the
-- contract promises (a non-negative integer) and never silently rounds.
CREATE FUNCTION reference.metric(metrics jsonb, key text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    v numeric;
BEGIN
    IF NOT metrics ? key THEN
        RETURN 0;
    END IF;
    v := (metrics ->> key)::numeric;
    IF v IS NULL OR v < 0 OR v <> trunc(v) THEN
        RAISE EXCEPTION 'reference: metrics % has a bad %', metrics, key;
    END IF;
    RETURN v::bigint;
END $$;

-- ---------------------------------------------------------------------------
-- The window: n, start and end in microseconds.
--   n     = buckets clamped to [10, 1000]; null means 100
--   end   = finished_at for a terminal job, else now()
--   start = coalesce(started_at, created_at); if end - start < 1 s,
--           start = end - 1 s
-- Zoomed (§2.13): from >= to is refused; the view is [greatest(from, start),
-- least(to, end)], refused when empty, widened to one second like the job's;
-- late events count only when the view ends at the job's end (late).
-- Infinite bounds: -infinity as from and infinity as to are no bound; the
-- others fall outside every job.
CREATE FUNCTION reference.trace_window(job_id text, buckets integer,
                                       zoom_from timestamptz, zoom_to timestamptz,
                                       OUT n integer, OUT start_us bigint, OUT end_us bigint,
                                       OUT late boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    j jobs.jobs;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO j FROM jobs.jobs WHERE jobs.id = trace_window.job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job "%" not found', job_id USING ERRCODE = 'PT404';
    END IF;

    n := CASE WHEN buckets IS NULL THEN 100
              WHEN buckets < 10 THEN 10
              WHEN buckets > 1000 THEN 1000
              ELSE buckets END;
    IF j.status IN ('completed', 'failed', 'cancelled') THEN
        end_us := reference.us(j.finished_at);
    ELSE
        end_us := reference.us(now());
    END IF;
    start_us := reference.us(coalesce(j.started_at, j.created_at));
    IF end_us - start_us < 1000000 THEN
        start_us := end_us - 1000000;
    END IF;
    late := true;
    IF zoom_from = '-infinity' THEN zoom_from := NULL; END IF;
    IF zoom_to = 'infinity' THEN zoom_to := NULL; END IF;
    IF zoom_from IS NULL AND zoom_to IS NULL THEN
        RETURN;
    END IF;
    IF zoom_from >= zoom_to THEN
        RAISE EXCEPTION 'traces: "from" must be earlier than "to"' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF zoom_from = 'infinity' OR zoom_to = '-infinity'
       OR greatest(reference.us(zoom_from), start_us) >= least(reference.us(zoom_to), end_us) THEN
        RAISE EXCEPTION 'traces: the window from "from" to "to" does not overlap the job''s'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    late := zoom_to IS NULL OR reference.us(zoom_to) >= end_us;
    start_us := greatest(reference.us(zoom_from), start_us);
    end_us := least(reference.us(zoom_to), end_us);
    IF end_us - start_us < 1000000 THEN
        start_us := end_us - 1000000;
    END IF;
END $$;

-- The greatest of all progress created_at and input completed_at; null when
-- there is none (greatest() ignores nulls).
CREATE FUNCTION reference.latest_event_at(job_id text) RETURNS timestamptz
LANGUAGE sql STABLE
RETURN greatest(
    (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = latest_event_at.job_id),
    (SELECT max(i.completed_at) FROM jobs.job_inputs i WHERE i.job_id = latest_event_at.job_id));

-- The series, one row per point k, each point computed on its own:
--   t_k   = start + floor((k+1) * span / n)         (numeric: no overflow)
--   an event at u counts at k when min(u, end) <= t_k, or u <= t_k when
--           late events do not count (a zoom ending before the job, §2.13)
--   files = inputs of status completed / failed whose completed_at counts
--   items = per kind, the sum over its streams (input_id, kind) of the
--           latest row, by (created_at, id), among the stream's rows that
--           count at t_k; a kind with no counting row is absent.
-- items is json with its keys in byte order of kind.
CREATE FUNCTION reference.points(job_id text, buckets integer, zoom_from timestamptz, zoom_to timestamptz)
RETURNS TABLE (k integer, t_us bigint, files_completed bigint, files_failed bigint, items json)
LANGUAGE sql STABLE AS $$
    WITH w AS (
        SELECT * FROM reference.trace_window(job_id, buckets, zoom_from, zoom_to)
    ), pts AS MATERIALIZED (
        -- end_us: what an event's time is cut to; past the end of a zoom that
        -- ends early nothing is cut, and an event later than t_k never counts.
        SELECT g.k,
               w.start_us + div((g.k + 1)::numeric * (w.end_us - w.start_us), w.n)::bigint AS t_us,
               CASE WHEN w.late THEN w.end_us ELSE 9223372036854775807 END AS end_us
          FROM w, generate_series(0, w.n - 1) AS g(k)
    ), inputs AS MATERIALIZED (
        SELECT i.status, reference.us(i.completed_at) AS u
          FROM jobs.job_inputs i
         WHERE i.job_id = points.job_id AND i.status IN ('completed', 'failed')
    ), files AS (
        SELECT pts.k,
               count(inputs.u) FILTER (WHERE inputs.status = 'completed'
                                       AND least(inputs.u, pts.end_us) <= pts.t_us) AS completed,
               count(inputs.u) FILTER (WHERE inputs.status = 'failed'
                                       AND least(inputs.u, pts.end_us) <= pts.t_us) AS failed
          FROM pts LEFT JOIN inputs ON true
         GROUP BY pts.k
    ), progress AS MATERIALIZED (
        -- Text in byte order from here on: kind for the key order, both for
        -- fast grouping whatever the database's collation.
        SELECT p.id, p.input_id COLLATE "C" AS input_id, p.kind COLLATE "C" AS kind,
               p.created_at, reference.us(p.created_at) AS u,
               reference.metric(p.metrics, 'success') AS success,
               reference.metric(p.metrics, 'failed') AS failed
          FROM jobs.job_progress p
         WHERE p.job_id = points.job_id
    ), latest AS (
        -- per point and stream, the stream's latest row counting at the point
        SELECT DISTINCT ON (pts.k, pr.input_id, pr.kind)
               pts.k, pr.kind, pr.success, pr.failed
          FROM pts JOIN progress pr ON least(pr.u, pts.end_us) <= pts.t_us
         ORDER BY pts.k, pr.input_id, pr.kind, pr.created_at DESC, pr.id DESC
    ), per_kind AS (
        SELECT latest.k, latest.kind,
               sum(latest.success)::bigint AS success, sum(latest.failed)::bigint AS failed
          FROM latest
         GROUP BY latest.k, latest.kind
    ), items AS (
        SELECT per_kind.k,
               json_object_agg(per_kind.kind,
                               json_build_object('success', per_kind.success, 'failed', per_kind.failed)
                               ORDER BY per_kind.kind) AS items
          FROM per_kind
         GROUP BY per_kind.k
    )
    SELECT pts.k, pts.t_us, files.completed, files.failed, coalesce(items.items, '{}'::json)
      FROM pts
      JOIN files ON files.k = pts.k
      LEFT JOIN items ON items.k = pts.k
     ORDER BY pts.k
$$;

-- ---------------------------------------------------------------------------
-- The public shapes.

CREATE FUNCTION reference.progress_trace_points(job_id text, buckets integer DEFAULT 100,
                                                zoom_from timestamptz DEFAULT NULL,
                                                zoom_to timestamptz DEFAULT NULL)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
LANGUAGE sql STABLE AS $$
    SELECT reference.from_us(p.t_us), p.files_completed + p.files_failed,
           p.files_completed, p.files_failed, p.items::jsonb
      FROM reference.points(job_id, buckets, zoom_from, zoom_to) AS p
     ORDER BY p.k
$$;

-- Long format: per point, files then each kind in byte order (items' keys).
CREATE FUNCTION reference.progress_series(job_id text, buckets integer DEFAULT 100,
                                          zoom_from timestamptz DEFAULT NULL,
                                          zoom_to timestamptz DEFAULT NULL)
RETURNS TABLE ("time" timestamptz, metric text, value bigint)
LANGUAGE sql STABLE AS $$
    SELECT reference.from_us(p.t_us), m.metric, m.value
      FROM reference.points(job_id, buckets, zoom_from, zoom_to) AS p,
           LATERAL (SELECT 0 AS kind_ord, 0 AS sub, 'files.completed' AS metric, p.files_completed AS value
                    UNION ALL SELECT 0, 1, 'files.failed', p.files_failed
                    UNION ALL SELECT e.ord, s.sub, 'items.' || e.key || s.name, (e.value ->> s.field)::bigint
                      FROM json_each(p.items) WITH ORDINALITY AS e(key, value, ord),
                           (VALUES (0, '.success', 'success'), (1, '.failed', 'failed')) AS s(sub, name, field)
                   ) AS m
     ORDER BY p.k, m.kind_ord, m.sub
$$;

-- bucket_seconds = (span / n) / 1e6 in double precision, in that order.
CREATE FUNCTION reference.progress_traces(job_id text, buckets integer DEFAULT 100,
                                          zoom_from timestamptz DEFAULT NULL,
                                          zoom_to timestamptz DEFAULT NULL) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'job_id', job_id,
        'bucket_seconds', ((w.end_us - w.start_us)::float8 / w.n::float8) / 1e6::float8,
        'latest_event_at', reference.rfc3339(reference.latest_event_at(job_id)),
        'points', (SELECT json_agg(json_build_object(
                              't', reference.rfc3339(reference.from_us(p.t_us)),
                              'step', p.files_completed + p.files_failed,
                              'files', json_build_object('completed', p.files_completed,
                                                         'failed', p.files_failed),
                              'items', p.items)
                          ORDER BY p.k)
                     FROM reference.points(job_id, buckets, zoom_from, zoom_to) AS p))
      FROM reference.trace_window(job_id, buckets, zoom_from, zoom_to) AS w
$$;
