-- The trace as deploy/nginx.conf asks for it (contract §4, docs/http.md).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- jobs.progress_traces for a job id carried as "/" followed by the id.
-- PostgREST first parses every GET query value as a filter: a job_id of
-- "eq.x", "in.(a)" or "not.x" becomes a filter or a 400 and never reaches
-- the function (docs/http.md, "What PostgREST does with each request"). No
-- filter starts with "/", so this one parameter reaches us whole for every
-- id. plpgsql, not SQL, so the wrong shape is a clear 22023.
CREATE FUNCTION jobs.progress_traces_routed(slash_job_id text, buckets integer DEFAULT 100)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF slash_job_id IS NULL THEN
        RAISE EXCEPTION 'slash_job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF left(slash_job_id, 1) <> '/' THEN
        RAISE EXCEPTION 'slash_job_id must be "/" followed by the job id'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN jobs.progress_traces(substr(slash_job_id, 2), buckets);
END $$;

COMMENT ON FUNCTION jobs.progress_traces_routed(text, integer) IS
    'jobs.progress_traces for the job id given as "/" followed by the id: the call deploy/nginx.conf makes, since PostgREST reads a GET value starting with an operator and a dot (eq., in., not.) as a filter, never one starting with "/".';
