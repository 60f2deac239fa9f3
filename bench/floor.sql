-- The floor: a plain query that reads the same rows and columns as a trace
-- does, once, and does as little as possible with them (counts, sums, a
-- max). No implementation of the trace can read the rows faster. It has the
-- same indexes (index-only scans on both tables), and a custom plan for each
-- job (force_custom_plan): the planner picks the cheapest way to read that
-- job's rows, which for a job holding most of the table is a sequential scan.
CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.floor(job_id text) RETURNS bigint[]
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
    RETURN (
    SELECT ARRAY[p.n, p.inputs, p.kinds, p.success, p.failed, p.latest, f.n, f.failed, f.latest]
    FROM (SELECT count(*) AS n, count(p.input_id) AS inputs, count(p.kind) AS kinds,
                 sum(p.success)::bigint AS success, sum(p.failed)::bigint AS failed,
                 extract(epoch FROM max(p.created_at))::bigint AS latest
          FROM jobs.job_progress p WHERE p.job_id = floor.job_id) p,
         (SELECT count(*) AS n, count(*) FILTER (WHERE i.status = 'failed') AS failed,
                 extract(epoch FROM max(i.completed_at))::bigint AS latest
          FROM jobs.job_inputs i WHERE i.job_id = floor.job_id AND i.completed_at IS NOT NULL) f);
END
$$;
