-- The job at a glance, with its recent throughput and an ETA (contract
-- §12.6). No validator: eta moves with now().

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The trailing window of the throughput (contract §12.6): five minutes, long
-- enough that a steady job's rate does not jump with each finish, short
-- enough that the ETA follows a change of rate within five minutes.
CREATE FUNCTION jobs_internal.throughput_window() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN interval '300 seconds';

-- The throughput and eta of the summary, computed by the C++ core
-- (src/core/throughput.cpp): `"throughput":{…},"eta":…`. The rates are
-- written as the trace writes bucket_seconds; eta = now + remaining ×
-- window ÷ files, to the microsecond, null for a terminal job or when no
-- input finished in the window.
CREATE FUNCTION jobs_internal.throughput_json(window_start timestamptz, window_end timestamptz,
                                              now timestamptz, files bigint, items float8,
                                              remaining bigint, terminal boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'traces_throughput_json'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- The items of the trace's last point at `upto` (null: the job's end), as
-- {"<kind>":{"success":n,"failed":n},...} with kinds in byte order, and
-- their sum of success + failed. Read through the trace itself, so the
-- totals are the trace's by construction (contract §2.7, §2.13).
CREATE FUNCTION jobs_internal.items_at(job_id text, upto timestamptz, OUT items text, OUT total numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT '{' || coalesce(string_agg(jobs_internal.json_text(k.key) || ':{"success":' || (k.value ->> 'success')
                                      || ',"failed":' || (k.value ->> 'failed') || '}', ',' ORDER BY k.key COLLATE "C"), '') || '}',
           coalesce(sum((k.value ->> 'success')::numeric + (k.value ->> 'failed')::numeric), 0)
    FROM (SELECT p.items FROM jobs.progress_trace_points(items_at.job_id, 10, NULL, items_at.upto) p
          ORDER BY p.t DESC LIMIT 1) last
    CROSS JOIN LATERAL jsonb_each(last.items) k;
END;

CREATE FUNCTION jobs.progress_summary(job_id text)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    j jobs.jobs;
    c record;
    v_end timestamptz;
    v_start timestamptz;
    v_window_start timestamptz;
    v_files bigint;
    v_items_now record;
    v_items_before numeric := 0;
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    SELECT * INTO j FROM jobs.jobs WHERE id = progress_summary.job_id;
    SELECT * INTO c FROM jobs_internal.job_input_counts(job_id, NULL);
    -- The trace's window (contract §2.3).
    v_end := CASE WHEN jobs_internal.is_terminal_job_status(j.status) THEN j.finished_at ELSE now() END;
    v_start := least(coalesce(j.started_at, j.created_at), v_end - interval '1 second');
    -- The throughput window: the last five minutes of it, or all of it when
    -- shorter; what finished in it is step(end) - step(window start), i.e.
    -- the inputs whose min(completed_at, end) lies after the window's start.
    v_window_start := greatest(v_end - jobs_internal.throughput_window(), v_start);
    IF v_window_start = v_start THEN
        v_files := c.completed + c.failed;
    ELSE
        SELECT count(*) INTO v_files FROM jobs.job_inputs i
        WHERE i.job_id = progress_summary.job_id AND i.completed_at > v_window_start;
        SELECT t.total INTO v_items_before FROM jobs_internal.items_at(job_id, v_window_start) t;
    END IF;
    SELECT * INTO v_items_now FROM jobs_internal.items_at(job_id, NULL) t;
    RETURN ('{"job_id":' || jobs_internal.json_text(job_id)
            || ',"status":' || jobs_internal.json_text(j.status)
            || ',"window":{"start":' || jobs_internal.json_time(v_start) || ',"end":' || jobs_internal.json_time(v_end) || '}'
            || ',"latest_event_at":' || jobs_internal.json_time(jobs.latest_event_at(job_id))
            || ',"counts":{"pending":' || c.pending || ',"processing":' || c.processing
            || ',"completed":' || c.completed || ',"failed":' || c.failed || '}'
            || ',"step":' || (c.completed + c.failed)
            || ',"items":' || v_items_now.items
            || ',' || jobs_internal.throughput_json(v_window_start, v_end, now(), v_files,
                                                    greatest(v_items_now.total - v_items_before, 0)::float8,
                                                    c.pending + c.processing,
                                                    jobs_internal.is_terminal_job_status(j.status))
            || '}')::json;
END $$;
