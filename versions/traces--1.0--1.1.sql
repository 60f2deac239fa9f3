-- traces 1.0 -> 1.1 (unreleased: collects every schema change until 1.1 is
-- tagged; see docs/versions.md). Run by ALTER EXTENSION traces UPDATE.

\echo Use "ALTER EXTENSION traces UPDATE TO '1.1'" to load this file. \quit

-- PTnnn errors keep client bytes out of HTTP status lines (src/sql/25_pt_errors.sql);
-- the write functions that raise them, as in src/sql/50_writes.sql.
-- Raises SQLSTATE code (PT400 to PT599) with message. When serving HTTP
-- (request.headers set, as PostgREST sets it) it raises SQLSTATE PGRST
-- instead, message {"code": code, "message": message} and detail
-- {"status": nnn, "headers": {}}: PostgREST answers nnn with its standard
-- reason phrase and the JSON as the body.
CREATE FUNCTION jobs.raise_error(code text, message text) RETURNS void
AS 'MODULE_PATHNAME', 'traces_raise_error'
LANGUAGE C VOLATILE;

-- An id as error messages show it: cut to 512 bytes (whole characters) and
-- followed by "…" when cut.
CREATE FUNCTION jobs.echoed_id(id text) RETURNS text
AS 'MODULE_PATHNAME', 'traces_echoed_id_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OR REPLACE FUNCTION jobs.require_visible_job(job_id text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = require_visible_job.job_id) THEN
        PERFORM jobs.raise_error('PT404', format('job "%s" not found', jobs.echoed_id(job_id)));
    END IF;
END $$;

CREATE OR REPLACE FUNCTION jobs.start_job(job_id text, started_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_job record;
BEGIN
    PERFORM jobs.require_visible_job(job_id);
    UPDATE jobs.jobs j SET status = 'running', started_at = start_job.started_at
    WHERE j.id = start_job.job_id AND j.started_at IS NULL AND j.finished_at IS NULL;
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT j.status, j.started_at INTO v_job FROM jobs.jobs j WHERE j.id = start_job.job_id;
    IF v_job.started_at IS NOT NULL THEN
        RETURN false;
    END IF;
    PERFORM jobs.raise_error('PT409', format('job "%s" is already %s, it cannot start',
                                             jobs.echoed_id(job_id), v_job.status));
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_input(job_id text, input_id text, status text,
                                  completed_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_input record;
BEGIN
    PERFORM jobs.require_visible_job(job_id);
    IF status IS NULL OR input_id IS NULL THEN
        RAISE EXCEPTION 'input_id and status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF status NOT IN ('completed', 'failed') THEN
        RAISE EXCEPTION 'an input finishes as completed or failed, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE jobs.job_inputs i SET status = finish_input.status, completed_at = finish_input.completed_at
    WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id
      AND i.completed_at IS NULL AND i.status <> 'reference';
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT i.status INTO v_input FROM jobs.job_inputs i
    WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id;
    IF NOT FOUND THEN
        PERFORM jobs.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs.echoed_id(input_id), jobs.echoed_id(job_id)));
    ELSIF v_input.status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs.raise_error('PT409', format('input "%s" of job "%s" is already %s',
                                             jobs.echoed_id(input_id), jobs.echoed_id(job_id), v_input.status));
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_job(job_id text, status text, finished_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_status text;
BEGIN
    PERFORM jobs.require_visible_job(job_id);
    IF status IS NULL THEN
        RAISE EXCEPTION 'status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF status NOT IN ('completed', 'failed', 'cancelled') THEN
        RAISE EXCEPTION 'a job finishes as completed, failed or cancelled, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE jobs.jobs j SET status = finish_job.status, finished_at = finish_job.finished_at
    WHERE j.id = finish_job.job_id AND j.finished_at IS NULL;
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT j.status INTO v_status FROM jobs.jobs j WHERE j.id = finish_job.job_id;
    IF v_status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs.raise_error('PT409', format('job "%s" is already %s', jobs.echoed_id(job_id), v_status));
END $$;

CREATE OR REPLACE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
                                     created_ats timestamptz[], metrics jsonb[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_len integer := cardinality(job_ids);
    v_missing record;
    v_count bigint;
BEGIN
    IF job_ids IS NULL OR input_ids IS NULL OR kinds IS NULL OR created_ats IS NULL OR metrics IS NULL THEN
        RAISE EXCEPTION 'report_progress: job_ids, input_ids, kinds, created_ats and metrics must not be null (use empty arrays)'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF cardinality(input_ids) <> v_len OR cardinality(kinds) <> v_len
       OR cardinality(created_ats) <> v_len OR cardinality(metrics) <> v_len THEN
        RAISE EXCEPTION 'report_progress: the arrays must have equal lengths (job_ids %, input_ids %, kinds %, created_ats %, metrics %)',
            v_len, cardinality(input_ids), cardinality(kinds), cardinality(created_ats), cardinality(metrics)
            USING ERRCODE = 'array_subscript_error';
    END IF;
    IF v_len = 0 THEN
        RETURN 0;
    END IF;
    IF array_position(job_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'progress job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF array_position(created_ats, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'progress created_at must not be null (it identifies the report)'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;

    -- Lock key space 'tr' (0x7472), then the first 32 bits of md5(job id).
    PERFORM pg_advisory_xact_lock(29810, ('x' || left(md5(j.id), 8))::bit(32)::integer)
    FROM (SELECT DISTINCT u.id FROM unnest(job_ids) AS u(id) ORDER BY u.id) j;

    -- Every job visible, every named input present: else PT404.
    SELECT u.job_id, u.input_id INTO v_missing
    FROM (SELECT DISTINCT u.job_id, u.input_id FROM unnest(job_ids, input_ids) AS u(job_id, input_id)) u
    WHERE NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id)
       OR (u.input_id IS NOT NULL
           AND NOT EXISTS (SELECT FROM jobs.job_inputs i WHERE i.job_id = u.job_id AND i.id = u.input_id))
    ORDER BY u.job_id, u.input_id NULLS FIRST
    LIMIT 1;
    IF FOUND THEN
        IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = v_missing.job_id) THEN
            PERFORM jobs.require_visible_job(v_missing.job_id);
        END IF;
        PERFORM jobs.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs.echoed_id(v_missing.input_id), jobs.echoed_id(v_missing.job_id)));
    END IF;

    -- The duplicate probes each use job_progress_stream_idx
    -- (job_id, input_id, kind, created_at): one branch per input_id nullness
    -- so that both are index conditions.
    INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
    SELECT r.job_id, r.input_id, r.kind, r.created_at, r.metrics
    FROM (SELECT DISTINCT ON (u.job_id, u.input_id, u.kind, u.created_at, u.metrics) u.*
          FROM unnest(job_ids, input_ids, kinds, created_ats, metrics)
               WITH ORDINALITY AS u(job_id, input_id, kind, created_at, metrics, n)
          ORDER BY u.job_id, u.input_id, u.kind, u.created_at, u.metrics, u.n) r
    WHERE CASE WHEN r.input_id IS NULL
               THEN NOT EXISTS (SELECT FROM jobs.job_progress p
                                WHERE p.job_id = r.job_id AND p.input_id IS NULL AND p.kind = r.kind
                                  AND p.created_at = r.created_at AND p.metrics = r.metrics)
               ELSE NOT EXISTS (SELECT FROM jobs.job_progress p
                                WHERE p.job_id = r.job_id AND p.input_id = r.input_id AND p.kind = r.kind
                                  AND p.created_at = r.created_at AND p.metrics = r.metrics)
          END
    ORDER BY r.n;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

-- The trace for nginx's routing (src/sql/35_routed_traces.sql).
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
