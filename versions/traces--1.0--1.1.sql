-- traces 1.0 -> 1.1 (unreleased: collects every schema change until 1.1 is
-- tagged; see docs/versions.md). Run by ALTER EXTENSION traces UPDATE.

\echo Use "ALTER EXTENSION traces UPDATE TO '1.1'" to load this file. \quit

-- ===== The internal schema (src/sql/01_internal_schema.sql) =====
CREATE SCHEMA jobs_internal;
COMMENT ON SCHEMA jobs_internal IS
    'Internal helpers of the traces extension (validation, tenancy, status rules); not an API: names and signatures may change between versions.';
-- USAGE to PUBLIC: see 01_internal_schema.sql.
GRANT USAGE ON SCHEMA jobs_internal TO PUBLIC;

-- ===== One list of statuses (src/sql/02_status_rules.sql) =====
CREATE FUNCTION jobs_internal.job_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{pending,admitted,running,completed,failed,preempted,cancelled}'::text[];
COMMENT ON FUNCTION jobs_internal.job_statuses() IS
    'Every status a job may have, in lifecycle order.';

CREATE FUNCTION jobs_internal.terminal_job_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{completed,failed,cancelled}'::text[];
COMMENT ON FUNCTION jobs_internal.terminal_job_statuses() IS
    'The statuses a job ends with; exactly these jobs have finished_at.';

CREATE FUNCTION jobs_internal.is_terminal_job_status(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN status = ANY (jobs_internal.terminal_job_statuses());
COMMENT ON FUNCTION jobs_internal.is_terminal_job_status(text) IS
    'True when a job with this status has ended (see terminal_job_statuses).';

CREATE FUNCTION jobs_internal.input_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{pending,processing,completed,failed,reference}'::text[];
COMMENT ON FUNCTION jobs_internal.input_statuses() IS
    'Every status an input may have; reference inputs are not work and never count.';

CREATE FUNCTION jobs_internal.finished_input_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{completed,failed}'::text[];
COMMENT ON FUNCTION jobs_internal.finished_input_statuses() IS
    'The statuses an input finishes with; exactly these inputs have completed_at.';

CREATE FUNCTION jobs_internal.is_finished_input_status(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN status = ANY (jobs_internal.finished_input_statuses());
COMMENT ON FUNCTION jobs_internal.is_finished_input_status(text) IS
    'True when an input with this status has finished (see finished_input_statuses).';

CREATE FUNCTION jobs_internal.or_list(items text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN cardinality(items) < 2 THEN items[1]
            ELSE array_to_string(items[1:cardinality(items) - 1], ', ') || ' or ' || items[cardinality(items)] END;
COMMENT ON FUNCTION jobs_internal.or_list(text[]) IS
    'Formats a list for an error message: ''a, b or c''.';

ALTER TABLE jobs.jobs
    DROP CONSTRAINT jobs_status_known,
    ADD CONSTRAINT jobs_status_known CHECK (status = ANY (jobs_internal.job_statuses())),
    DROP CONSTRAINT jobs_finished_at_iff_terminal,
    ADD CONSTRAINT jobs_finished_at_iff_terminal CHECK
        (jobs_internal.is_terminal_job_status(status) = (finished_at IS NOT NULL));
ALTER TABLE jobs.job_inputs
    DROP CONSTRAINT job_inputs_status_known,
    ADD CONSTRAINT job_inputs_status_known CHECK (status = ANY (jobs_internal.input_statuses())),
    DROP CONSTRAINT job_inputs_completed_at_iff_finished,
    ADD CONSTRAINT job_inputs_completed_at_iff_finished CHECK
        (jobs_internal.is_finished_input_status(status) = (completed_at IS NOT NULL));

CREATE OR REPLACE FUNCTION jobs.validate_job() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobs.require_text('job id', NEW.id);
    PERFORM jobs.require_text('job tenant_id', NEW.tenant_id);
    PERFORM jobs.require_text('job status', NEW.status);
    IF NEW.status <> ALL (jobs_internal.job_statuses()) THEN
        RAISE EXCEPTION 'job status "%" is not one of %', NEW.status,
            array_to_string(jobs_internal.job_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NEW.created_at IS NULL THEN
        RAISE EXCEPTION 'job created_at must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs.require_time('job created_at', NEW.created_at);
    PERFORM jobs.require_time('job started_at', NEW.started_at);
    PERFORM jobs.require_time('job finished_at', NEW.finished_at);
    IF jobs_internal.is_terminal_job_status(NEW.status) AND NEW.finished_at IS NULL THEN
        RAISE EXCEPTION 'job "%" has terminal status "%" but no finished_at', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.is_terminal_job_status(NEW.status) AND NEW.finished_at IS NOT NULL THEN
        RAISE EXCEPTION 'job "%" has finished_at but status "%" is not terminal (%)', NEW.id, NEW.status,
            array_to_string(jobs_internal.terminal_job_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION jobs.validate_job_input() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobs.require_text('input job_id', NEW.job_id);
    PERFORM jobs.require_text('input id', NEW.id);
    PERFORM jobs.require_text('input status', NEW.status);
    IF NEW.status <> ALL (jobs_internal.input_statuses()) THEN
        RAISE EXCEPTION 'input status "%" is not one of %', NEW.status,
            array_to_string(jobs_internal.input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs.require_time('input completed_at', NEW.completed_at);
    IF jobs_internal.is_finished_input_status(NEW.status) AND NEW.completed_at IS NULL THEN
        RAISE EXCEPTION 'input "%" has status "%" but no completed_at', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.is_finished_input_status(NEW.status) AND NEW.completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'input "%" has completed_at but status "%" is not finished (%)', NEW.id, NEW.status,
            array_to_string(jobs_internal.finished_input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN NEW;
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
    IF NOT jobs_internal.is_finished_input_status(status) THEN
        RAISE EXCEPTION 'an input finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.finished_input_statuses()), status
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
        RAISE EXCEPTION 'input "%" of job "%" not found', input_id, job_id USING ERRCODE = 'PT404';
    ELSIF v_input.status = status THEN
        RETURN false;
    END IF;
    RAISE EXCEPTION 'input "%" of job "%" is already %', input_id, job_id, v_input.status
        USING ERRCODE = 'PT409';
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
    IF NOT jobs_internal.is_terminal_job_status(status) THEN
        RAISE EXCEPTION 'a job finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.terminal_job_statuses()), status
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
    RAISE EXCEPTION 'job "%" is already %', job_id, v_status USING ERRCODE = 'PT409';
END $$;

