-- Two rules that keep one buggy worker from pinning a job (contract §7.5, §10):
--   * a time far in the future is refused: it would be the job's
--     latest_event_at (its ETag) for good, so every later poll would get 304
--     and the chart would never move again;
--   * a finished input keeps its status and time: "first finish wins" holds
--     for direct UPDATEs as it does for jobs.finish_input.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The setting traces.max_future_skew (src/glue/settings.c), null when off.
-- A C function, so that reading it loads the library, which defines the
-- setting as superuser-only and drops a value a worker set before.
CREATE FUNCTION jobs_internal.max_future_skew() RETURNS interval
LANGUAGE c STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_max_future_skew';

-- 22008 when t lies more than traces.max_future_skew after now().
CREATE FUNCTION jobs_internal.require_not_future(what text, t timestamptz) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_skew interval := jobs_internal.max_future_skew();
BEGIN
    IF t > now() + v_skew THEN
        RAISE EXCEPTION '% % UTC is more than % ahead of the server''s clock (% UTC)',
            what, t AT TIME ZONE 'UTC', v_skew, now() AT TIME ZONE 'UTC'
            USING ERRCODE = 'datetime_field_overflow',
                  HINT = 'traces.max_future_skew bounds how far in the future a written time may lie.';
    END IF;
END $$;

-- Row trigger: the times a row sets (on UPDATE, only those it changes) must
-- not lie in the future. Only for roles subject to row-level security, i.e.
-- tenants' writers: superusers and the tables' owner load and restore data
-- (pg_restore, imports, the test generators), which must not depend on the
-- day it is loaded. The WHEN clauses below call it only for a time after now().
CREATE FUNCTION jobs_internal.refuse_future_times() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_new jsonb := to_jsonb(NEW);
    v_old jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    v_column text;
BEGIN
    IF NOT row_security_active(TG_RELID) THEN
        RETURN NEW;
    END IF;
    FOREACH v_column IN ARRAY TG_ARGV[1:] LOOP
        IF v_old IS NULL OR v_new -> v_column IS DISTINCT FROM v_old -> v_column THEN
            PERFORM jobs_internal.require_not_future(TG_ARGV[0] || ' ' || v_column,
                                                     (v_new ->> v_column)::timestamptz);
        END IF;
    END LOOP;
    RETURN NEW;
END $$;

-- On job_inputs and job_progress the C validation trigger "validate" calls
-- it with its own arguments, after the value rules (24_row_validation.sql).
CREATE TRIGGER validate_clock BEFORE INSERT OR UPDATE OF created_at, started_at, finished_at ON jobs.jobs
    FOR EACH ROW WHEN (NEW.created_at > now() OR NEW.started_at > now() OR NEW.finished_at > now())
    EXECUTE FUNCTION jobs_internal.refuse_future_times('job', 'created_at', 'started_at', 'finished_at');

-- A finished input is never un-finished or re-timed, by any role: the write
-- API never does it (jobs.finish_input: first finish wins), and a direct
-- UPDATE must not either. An operator correcting data disables the trigger
-- for the correction: ALTER TABLE jobs.job_inputs DISABLE TRIGGER finished_input_stays.
CREATE FUNCTION jobs_internal.refuse_changing_finished_input() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- Through raise_error like every PTnnn of the extension (contract §3): ids
    -- cut as echoed, and the PGRST form when PostgREST serves the UPDATE.
    PERFORM jobs_internal.raise_error('PT409', format(
        'input "%s" of job "%s" is already %s, it keeps its status and completed_at',
        jobs_internal.echoed_id(OLD.id), jobs_internal.echoed_id(OLD.job_id), OLD.status));
    RETURN NULL;  -- not reached: raise_error always raises
END $$;

CREATE TRIGGER finished_input_stays BEFORE UPDATE ON jobs.job_inputs
    FOR EACH ROW WHEN (OLD.completed_at IS NOT NULL
                       AND (NEW.status IS DISTINCT FROM OLD.status OR NEW.completed_at IS DISTINCT FROM OLD.completed_at))
    EXECUTE FUNCTION jobs_internal.refuse_changing_finished_input();
