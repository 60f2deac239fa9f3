-- One BEFORE ROW trigger per table, "validate", applying every value rule
-- of a row in one call: the nulls, lengths, statuses and times of
-- 20_validation.sql, then the id alphabet of 22_id_alphabet.sql, then the
-- caps of the sibling fields of 23_sibling_fields.sql, in that order (a row
-- breaking several rules gets the first one's error, as when these were
-- three triggers fired in name order). On job_inputs and job_progress the
-- trigger is C and calls these functions only for a row that breaks a rule
-- (below): a row trigger's call is most of a single write's cost (issue 11's
-- write budget, docs/load.md §4).
--
-- On UPDATE the alphabet and the sibling caps apply only to the values the
-- statement changes, so a row stored before a rule (contract §7.5) can still
-- be started, finished or corrected. The clock rule and "a finished input
-- stays" (22_clock_and_finish_rules.sql) stay triggers of their own: their
-- WHEN clauses keep them from being called at all for an ordinary row, and
-- an operator lifts the second by disabling it (contract §10).
--
-- metrics are checked by jobs_internal.metric_count in the generated columns.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

CREATE FUNCTION jobs_internal.validate_job() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('job id', NEW.id);
    PERFORM jobs_internal.require_text('job tenant_id', NEW.tenant_id);
    PERFORM jobs_internal.require_text('job status', NEW.status);
    IF NEW.status <> ALL (jobs_internal.job_statuses()) THEN
        RAISE EXCEPTION 'job status "%" is not one of %', NEW.status,
            array_to_string(jobs_internal.job_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NEW.created_at IS NULL THEN
        RAISE EXCEPTION 'job created_at must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs_internal.require_time('job created_at', NEW.created_at);
    PERFORM jobs_internal.require_time('job started_at', NEW.started_at);
    PERFORM jobs_internal.require_time('job finished_at', NEW.finished_at);
    IF jobs_internal.is_terminal_job_status(NEW.status) AND NEW.finished_at IS NULL THEN
        RAISE EXCEPTION 'job "%" has terminal status "%" but no finished_at', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.is_terminal_job_status(NEW.status) AND NEW.finished_at IS NOT NULL THEN
        RAISE EXCEPTION 'job "%" has finished_at but status "%" is not terminal (%)', NEW.id, NEW.status,
            array_to_string(jobs_internal.terminal_job_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- OLD is null on INSERT: every id is checked.
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        PERFORM jobs_internal.require_id_alphabet('job id', NEW.id);
    END IF;
    IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
        PERFORM jobs_internal.require_id_alphabet('job tenant_id', NEW.tenant_id);
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION jobs_internal.validate_job_input() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input job_id', NEW.job_id);
    PERFORM jobs_internal.require_text('input id', NEW.id);
    PERFORM jobs_internal.require_input_state(NEW.id, NEW.status, NEW.completed_at);
    IF NEW.id IS DISTINCT FROM OLD.id THEN
        PERFORM jobs_internal.require_id_alphabet('input id', NEW.id);
    END IF;
    -- The sibling fields: null passes every one of these rules.
    IF NEW.port_name IS DISTINCT FROM OLD.port_name THEN
        PERFORM jobs_internal.require_optional_name('input port_name', NEW.port_name);
    END IF;
    IF NEW.file_id IS DISTINCT FROM OLD.file_id THEN
        PERFORM jobs_internal.require_optional_name('input file_id', NEW.file_id);
    END IF;
    IF NEW.data IS DISTINCT FROM OLD.data THEN
        PERFORM jobs_internal.require_jsonb_size('input data', NEW.data);
    END IF;
    IF NEW.error_message IS DISTINCT FROM OLD.error_message THEN
        PERFORM jobs_internal.require_message('input error_message', NEW.error_message);
    END IF;
    IF NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        PERFORM jobs_internal.require_time('input created_at', NEW.created_at);
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION jobs_internal.validate_job_progress() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('progress job_id', NEW.job_id);
    PERFORM jobs_internal.require_text('progress kind', NEW.kind);
    IF NEW.input_id IS NOT NULL THEN
        PERFORM jobs_internal.require_text('progress input_id', NEW.input_id);
    END IF;
    IF NEW.created_at IS NULL THEN
        RAISE EXCEPTION 'progress created_at must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs_internal.require_time('progress created_at', NEW.created_at);
    PERFORM jobs_internal.require_not_null('progress metrics', NEW.metrics);
    IF NEW.kind IS DISTINCT FROM OLD.kind THEN
        PERFORM jobs_internal.require_id_alphabet('progress kind', NEW.kind);
    END IF;
    IF NEW.message IS DISTINCT FROM OLD.message THEN
        PERFORM jobs_internal.require_message('progress message', NEW.message);
    END IF;
    IF NEW.payload IS DISTINCT FROM OLD.payload THEN
        PERFORM jobs_internal.require_jsonb_size('progress payload', NEW.payload);
    END IF;
    RETURN NEW;
END $$;

-- Not on an update of change_count alone: that is the write lock (45_write_lock.sql).
CREATE TRIGGER validate BEFORE INSERT OR UPDATE OF id, tenant_id, status, created_at, started_at, finished_at
    ON jobs.jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_job();

-- On the tables every write goes to, the trigger is C (src/glue/row_validation.c):
-- it passes a row that keeps every rule above without a PL/pgSQL call, and
-- hands any other to validate_job_input / validate_job_progress, which raise
-- the error. It then applies the clock rule (refuse_future_times) to the
-- columns its arguments name after the first ('input', 'progress': what
-- the messages call the row), as the trigger validate_clock did.
CREATE FUNCTION jobs_internal.validate_input_row() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'traces_validate_input_row';
CREATE FUNCTION jobs_internal.validate_progress_row() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'traces_validate_progress_row';

CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.job_inputs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_input_row('input', 'completed_at');
CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.job_progress
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_progress_row('progress', 'created_at');
