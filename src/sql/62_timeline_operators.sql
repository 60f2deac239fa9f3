-- The operators' functions for the timeline (docs/contract.md §11): check a
-- job's stored timeline against its definition, rebuild one job, build the
-- jobs still pending in resumable batches.
--
-- Operator-only, like pg_stat_statements_reset: EXECUTE is revoked from
-- PUBLIC, and they are SECURITY DEFINER so that the extension's owner can
-- grant them to a maintenance role that holds no rights on the tables
-- (check_timeline shows counts of every tenant's jobs; a rebuild takes a
-- job's write lock, which must not be open to every role that may read).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Every difference between the stored timeline of a job and its definition:
-- a row per timeline row missing, extra or with other values (stored or
-- expected null when missing on that side), and one row 'pending' when the
-- job's timeline is not built (its traces take the scan path). Empty when
-- they are equal. PT404 for a job that does not exist.
CREATE FUNCTION jobs.check_timeline(job_id text)
RETURNS TABLE (timeline text, kind text, at timestamptz, id text, stored numeric[], expected numeric[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    IF EXISTS (SELECT FROM jobs_internal.timeline_pending p WHERE p.job_id = check_timeline.job_id) THEN
        RETURN QUERY SELECT 'pending', NULL::text, NULL::timestamptz, NULL::text, NULL::numeric[], NULL::numeric[];
        RETURN;
    END IF;
    RETURN QUERY
    SELECT x.* FROM (
    SELECT 'kind', coalesce(s.kind, d.kind), coalesce(s.created_at, d.created_at), coalesce(s.id, d.id)::text,
           CASE WHEN s.id IS NOT NULL THEN ARRAY[s.success, s.failed] END,
           CASE WHEN d.id IS NOT NULL THEN ARRAY[d.success, d.failed] END
    FROM (SELECT t.kind, t.created_at, t.id, t.success, t.failed
          FROM jobs_internal.kind_timeline t WHERE t.job_id = check_timeline.job_id) s
    FULL JOIN jobs_internal.kind_timeline_of(check_timeline.job_id) d
        ON d.kind = s.kind AND d.created_at = s.created_at AND d.id = s.id
    WHERE (s.success, s.failed) IS DISTINCT FROM (d.success, d.failed)
    UNION ALL
    SELECT 'file', NULL, coalesce(s.completed_at, d.completed_at), coalesce(s.input_id, d.input_id),
           CASE WHEN s.input_id IS NOT NULL THEN ARRAY[s.completed, s.failed]::numeric[] END,
           CASE WHEN d.input_id IS NOT NULL THEN ARRAY[d.completed, d.failed]::numeric[] END
    FROM (SELECT t.completed_at, t.input_id, t.completed, t.failed
          FROM jobs_internal.file_timeline t WHERE t.job_id = check_timeline.job_id) s
    FULL JOIN jobs_internal.file_timeline_of(check_timeline.job_id) d
        ON d.completed_at = s.completed_at AND d.input_id = s.input_id
    WHERE (s.completed, s.failed) IS DISTINCT FROM (d.completed, d.failed)
    ) x (w, k, a, i, s, e)
    ORDER BY x.w, x.k COLLATE "C", x.a, x.i COLLATE "C";
END $$;

-- Rebuilds one job's timeline in place from its definition, under the job's
-- write lock (writers of the job wait; traces read the old timeline until
-- the caller commits), and takes the job off the pending list. Returns the
-- timeline rows written. PT404 for a job that does not exist.
CREATE FUNCTION jobs.rebuild_timeline(job_id text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_kinds bigint;
    v_files bigint;
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    DELETE FROM jobs_internal.kind_timeline t WHERE t.job_id = rebuild_timeline.job_id;
    DELETE FROM jobs_internal.file_timeline t WHERE t.job_id = rebuild_timeline.job_id;
    INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
    SELECT rebuild_timeline.job_id, d.kind, d.created_at, d.id, d.success, d.failed
    FROM jobs_internal.kind_timeline_of(rebuild_timeline.job_id) d;
    GET DIAGNOSTICS v_kinds = ROW_COUNT;
    INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
    SELECT rebuild_timeline.job_id, d.completed_at, d.input_id, d.completed, d.failed
    FROM jobs_internal.file_timeline_of(rebuild_timeline.job_id) d;
    GET DIAGNOSTICS v_files = ROW_COUNT;
    DELETE FROM jobs_internal.timeline_pending p WHERE p.job_id = rebuild_timeline.job_id;
    RETURN v_kinds + v_files;
END $$;

-- Builds pending jobs, in byte order of id, until the batch holds max_rows
-- progress rows and finished inputs (at least one job, however big), and
-- reports what it did and what is left, also as a NOTICE. One call is one
-- batch: the jobs it built stay locked until the caller commits, so an
-- operator runs it in its own transactions, again until jobs_left is 0;
-- it resumes wherever the last committed call stopped.
CREATE FUNCTION jobs.build_timelines(max_rows bigint DEFAULT 1000000)
RETURNS TABLE (jobs_built bigint, rows_built bigint, jobs_left bigint, rows_left bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_job record;
BEGIN
    IF max_rows IS NULL OR max_rows < 1 THEN
        RAISE EXCEPTION 'build_timelines: max_rows must be at least 1, got %', max_rows
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    jobs_built := 0; rows_built := 0; jobs_left := 0; rows_left := 0;
    FOR v_job IN
        SELECT p.job_id,
               (SELECT count(*) FROM jobs.job_progress x WHERE x.job_id = p.job_id)
               + (SELECT count(*) FROM jobs.job_inputs i WHERE i.job_id = p.job_id AND i.completed_at IS NOT NULL) AS n
        FROM jobs_internal.timeline_pending p
        ORDER BY p.job_id COLLATE "C"
    LOOP
        IF jobs_left = 0 AND (jobs_built = 0 OR rows_built + v_job.n <= max_rows) THEN
            PERFORM jobs.rebuild_timeline(v_job.job_id);
            jobs_built := jobs_built + 1;
            rows_built := rows_built + v_job.n;
        ELSE
            jobs_left := jobs_left + 1;
            rows_left := rows_left + v_job.n;
        END IF;
    END LOOP;
    RAISE NOTICE 'build_timelines: built % jobs (% rows); % jobs (% rows) left',
        jobs_built, rows_built, jobs_left, rows_left;
    RETURN NEXT;
END $$;

REVOKE EXECUTE ON FUNCTION jobs.check_timeline(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jobs.rebuild_timeline(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jobs.build_timelines(bigint) FROM PUBLIC;

COMMENT ON FUNCTION jobs.check_timeline(text) IS
    'Operators: every difference between a job''s stored timeline and its definition; empty when equal, one row ''pending'' when not built (contract §11).';
COMMENT ON FUNCTION jobs.rebuild_timeline(text) IS
    'Operators: rebuilds one job''s timeline in place under its write lock; returns the rows written (contract §11).';
COMMENT ON FUNCTION jobs.build_timelines(bigint) IS
    'Operators: builds pending jobs'' timelines, one batch of up to max_rows rows per call; reports what is left (contract §11).';
