-- The job's progress reports, oldest first (contract §12.4). STABLE, run as
-- the caller, PT404 for a missing or hidden job, like the list.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Entries in (created_at, id) order, optionally one kind and/or one input.
-- `after` is the keyset: the id of the last entry of the previous page (same
-- filters); the page starts right after it, then skips p_offset. The range
-- is read in index order: job_progress_input_time_idx with an input,
-- job_progress_time_idx without. total comes from progress_counts (no
-- count of the job's rows), or counts the one input's reports. Its
-- validator is the list's (contract §12.5): every report advances it.
CREATE FUNCTION jobs.progress_log(job_id text, kind text DEFAULT NULL, input_id text DEFAULT NULL,
                                  p_offset bigint DEFAULT 0, p_limit integer DEFAULT 100,
                                  after bigint DEFAULT NULL)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    v_limit integer := jobs_internal.page_limit(p_limit);
    v_offset bigint := jobs_internal.page_offset(p_offset);
    v_after timestamptz;
    v_total bigint;
    v_entries text;
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    IF after IS NOT NULL THEN
        SELECT p.created_at INTO v_after FROM jobs.job_progress p
        WHERE p.id = after AND p.job_id = progress_log.job_id;
        IF NOT FOUND THEN
            PERFORM jobs_internal.raise_error('PT404', format('progress entry %s of job "%s" not found',
                after, jobs_internal.echoed_id(job_id)));
        END IF;
    END IF;
    IF jobs_internal.answer_not_modified(job_id) THEN
        RETURN NULL;
    END IF;
    IF input_id IS NOT NULL THEN
        SELECT count(*) INTO v_total FROM jobs.job_progress p
        WHERE p.job_id = progress_log.job_id AND p.input_id = progress_log.input_id
          AND (progress_log.kind IS NULL OR p.kind = progress_log.kind);
    ELSE
        SELECT coalesce(sum(c.n), 0) INTO v_total FROM jobs_internal.progress_counts c
        WHERE c.job_id = progress_log.job_id AND (progress_log.kind IS NULL OR c.kind = progress_log.kind);
    END IF;
    SELECT string_agg(jobs_internal.progress_json(e, true), ',' ORDER BY e.created_at, e.id) INTO v_entries
    FROM (SELECT p.* FROM jobs.job_progress p
          WHERE p.job_id = progress_log.job_id
            AND (progress_log.input_id IS NULL OR p.input_id = progress_log.input_id)
            AND (progress_log.kind IS NULL OR p.kind = progress_log.kind)
            AND (after IS NULL OR (p.created_at, p.id) > (v_after, after))
          ORDER BY p.created_at, p.id
          OFFSET v_offset LIMIT v_limit) e;
    RETURN ('{"job_id":' || jobs_internal.json_text(job_id) || ',"total":' || v_total
            || ',"offset":' || v_offset || ',"limit":' || v_limit
            || ',"entries":[' || coalesce(v_entries, '') || ']}')::json;
END $$;
