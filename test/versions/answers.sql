-- Everything the extension answers about the jobs in this database, one
-- line per answer, so that two databases (or one before and after an
-- update, a dump and a restore) can be compared with diff. Traces of live
-- jobs move with now(), so only terminal jobs' traces are printed; every
-- job's latest_event_at and conditional-request answers are.
--   psql -X -A -t -f answers.sql
SET search_path = pg_catalog;
SET TimeZone = 'UTC';
\pset footer off

-- The HTTP path as PostgREST drives it: the first request learns the ETag,
-- the second sends it back in If-None-Match and must get 304 and no body.
CREATE FUNCTION pg_temp.conditional(job text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    etag text;
    body json;
    status text;
BEGIN
    PERFORM set_config('request.method', 'GET', true);
    PERFORM set_config('request.headers', '{}', true);
    PERFORM set_config('response.headers', '', true);
    PERFORM set_config('response.status', '', true);
    body := jobs.progress_traces(job, 10);
    etag := (current_setting('response.headers')::json -> 0) ->> 'ETag';
    PERFORM set_config('request.headers', json_build_object('if-none-match', etag)::text, true);
    PERFORM set_config('response.headers', '', true);
    PERFORM set_config('response.status', '', true);
    body := jobs.progress_traces(job, 10);
    status := current_setting('response.status', true);
    -- The settings last until the end of the transaction: leave no
    -- If-None-Match behind for the traces printed after this (which one
    -- it would match depends on the order the jobs are read in).
    PERFORM set_config('request.headers', '{}', true);
    RETURN format('etag=%s then status=%s body=%s', etag, status, body);
END $$;

WITH answers(line) AS (
    SELECT format('latest %s %s', j.id, jobs.latest_event_at(j.id)) FROM jobs.jobs j
    UNION ALL
    SELECT format('conditional %s %s', j.id, pg_temp.conditional(j.id)) FROM jobs.jobs j
    UNION ALL
    SELECT format('trace %s %s %s', j.id, b, jobs.progress_traces(j.id, b))
    FROM jobs.jobs j, (VALUES (10), (100), (1000)) AS v(b)
    WHERE j.finished_at IS NOT NULL
    UNION ALL
    SELECT format('point %s %s', j.id, p)
    FROM jobs.jobs j, jobs.progress_trace_points(j.id, 37) p
    WHERE j.finished_at IS NOT NULL
    UNION ALL
    SELECT format('tenant %s %s %s', r.role_name, r.tenant_id, r.tenant_from_jwt) FROM jobs.tenant_roles r
    UNION ALL
    SELECT format('counts jobs=%s inputs=%s progress=%s', (SELECT count(*) FROM jobs.jobs),
                  (SELECT count(*) FROM jobs.job_inputs), (SELECT count(*) FROM jobs.job_progress))
)
SELECT line FROM answers ORDER BY line COLLATE "C";
