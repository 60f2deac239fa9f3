-- The floor: a plain query that reads the same rows and columns as a trace
-- does, once, and does as little as possible with them (counts, sums, a
-- max). No implementation of the trace can read the rows faster. It may use
-- the same indexes (index-only scans on both tables).
CREATE SCHEMA IF NOT EXISTS bench;

CREATE OR REPLACE FUNCTION bench.floor(job_id text) RETURNS bigint[]
LANGUAGE sql STABLE
AS $$
SELECT ARRAY[p.n, p.inputs, p.kinds, p.success, p.failed, p.latest, f.n, f.failed, f.latest]
FROM (SELECT count(*) AS n, count(input_id) AS inputs, count(kind) AS kinds,
             sum(success)::bigint AS success, sum(failed)::bigint AS failed,
             extract(epoch FROM max(created_at))::bigint AS latest
      FROM jobs.job_progress WHERE job_progress.job_id = floor.job_id) p,
     (SELECT count(*) AS n, count(*) FILTER (WHERE status = 'failed') AS failed,
             extract(epoch FROM max(completed_at))::bigint AS latest
      FROM jobs.job_inputs WHERE job_inputs.job_id = floor.job_id AND completed_at IS NOT NULL) f
$$;
