-- The sibling endpoints as deploy/nginx.conf calls them (contract §12.7).
-- PostgREST parses every GET query value as a filter first ("eq.x",
-- "in.(a)", "not.x"), so every value that is free text (the job id, a port
-- name, a kind, an input id, the list's keyset id) arrives as "/" followed
-- by the value, which no filter starts with (35_routed_traces.sql). The
-- statuses arrive as one comma-separated value (nginx folds the repeated
-- `status` into it), and order, limit and offset, which PostgREST reserves,
-- as p_order, p_limit and p_offset.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- "/" followed by the value → the value; null stays null; 22023 otherwise.
CREATE FUNCTION jobs_internal.unslash(what text, v text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF left(v, 1) <> '/' THEN
        RAISE EXCEPTION '% must be "/" followed by the value', what USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN substr(v, 2);
END $$;

-- The job id: as unslash, and never null (22004).
CREATE FUNCTION jobs_internal.unslash_job_id(slash_job_id text) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF slash_job_id IS NULL THEN
        RAISE EXCEPTION 'slash_job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN jobs_internal.unslash('slash_job_id', slash_job_id);
END $$;

CREATE FUNCTION jobs.input_progress_routed(slash_job_id text, slash_port_name text DEFAULT NULL,
                                           statuses text DEFAULT NULL, p_order text DEFAULT 'asc',
                                           p_limit integer DEFAULT 100, p_offset bigint DEFAULT 0,
                                           slash_after text DEFAULT NULL)
RETURNS json
LANGUAGE sql STABLE
RETURN jobs.input_progress(jobs_internal.unslash_job_id(slash_job_id),
                           jobs_internal.unslash('slash_port_name', slash_port_name),
                           array_remove(string_to_array(statuses, ','), ''),
                           p_order, p_limit, p_offset, jobs_internal.unslash('slash_after', slash_after));

CREATE FUNCTION jobs.input_progress_counts_routed(slash_job_id text, slash_port_name text DEFAULT NULL)
RETURNS json
LANGUAGE sql STABLE
RETURN jobs.input_progress_counts(jobs_internal.unslash_job_id(slash_job_id),
                                  jobs_internal.unslash('slash_port_name', slash_port_name));

CREATE FUNCTION jobs.progress_log_routed(slash_job_id text, slash_kind text DEFAULT NULL,
                                         slash_input_id text DEFAULT NULL, p_offset bigint DEFAULT 0,
                                         p_limit integer DEFAULT 100, after bigint DEFAULT NULL)
RETURNS json
LANGUAGE sql STABLE
RETURN jobs.progress_log(jobs_internal.unslash_job_id(slash_job_id), jobs_internal.unslash('slash_kind', slash_kind),
                         jobs_internal.unslash('slash_input_id', slash_input_id), p_offset, p_limit, after);

CREATE FUNCTION jobs.progress_summary_routed(slash_job_id text)
RETURNS json
LANGUAGE sql STABLE
RETURN jobs.progress_summary(jobs_internal.unslash_job_id(slash_job_id));
