-- The trace (docs/contract.md §2), computed by the C++ engine. STABLE: every query the
-- function runs reads the calling statement's snapshot, so the whole answer
-- is one consistent view of the data.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- search_path: the queries inside run partly as the tables' owner (see
-- src/glue/owner_access.c), so nothing of the caller's may resolve in them.
-- jit: the planner's estimate for a big job's scan crosses jit_above_cost and
-- JIT compilation then costs more than the whole scan (measured 600-980 ms
-- with, 336-474 ms without, on a 1M-row job).
-- Not STRICT: a null job_id is an error (22004), a null buckets means 100.
-- "from"/"to": the zoom window of contract §2.13, null meaning the job's own bounds.
-- They trail with defaults so that every 1.0 call (positional or named) still
-- resolves; there is no overload (docs/versions.md).
CREATE FUNCTION jobs.progress_traces(job_id text, buckets integer DEFAULT 100,
                                     "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
RETURNS json
AS 'MODULE_PATHNAME', 'traces_progress_traces_zoom'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off;

CREATE FUNCTION jobs.progress_trace_points(job_id text, buckets integer DEFAULT 100,
                                           "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
AS 'MODULE_PATHNAME', 'traces_progress_trace_points_zoom'
LANGUAGE C STABLE ROWS 100
SET search_path = pg_catalog, pg_temp
SET jit = off;

-- Whether the caller can see a job: one probe of jobs_id_tenant_idx
-- (40_security.sql), the same work for another tenant's job as for a
-- missing one.
CREATE FUNCTION jobs_internal.job_visible(job_id text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN EXISTS (SELECT FROM jobs.jobs j WHERE j.id = job_visible.job_id);

-- The newest progress report or input finish of a job, null when none (or
-- not visible): two index probes. It is the trace's ETag (contract §4.3).
-- The job's visibility is checked first, so that a hidden job's rows are
-- never probed (their per-row policy check would take longer than finding
-- no rows for a missing job).
CREATE FUNCTION jobs.latest_event_at(job_id text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN jobs_internal.job_visible(latest_event_at.job_id) THEN greatest(
    (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = latest_event_at.job_id),
    (SELECT max(i.completed_at) FROM jobs.job_inputs i
      WHERE i.job_id = latest_event_at.job_id AND i.completed_at IS NOT NULL)) END;
