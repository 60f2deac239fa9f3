-- traces 1.0 -> 1.1 (unreleased: collects every schema change until 1.1 is
-- tagged; see docs/versions.md). Run by ALTER EXTENSION traces UPDATE.

\echo Use "ALTER EXTENSION traces UPDATE TO '1.1'" to load this file. \quit

-- ===== UTF8 databases only, checked before anything changes (src/sql/00_encoding.sql) =====
DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'traces requires a UTF8 database; database "%" has encoding %',
            pg_catalog.current_database(), pg_catalog.getdatabaseencoding()
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Create the database with ENCODING ''UTF8'' (from template0) and install traces there.';
    END IF;
END $$;

-- ===== The internal schema (src/sql/01_internal_schema.sql) =====
CREATE SCHEMA jobs_internal;
COMMENT ON SCHEMA jobs_internal IS
    'Internal helpers of the traces extension (validation, tenancy, status rules); not an API: names and signatures may change between versions.';
-- USAGE to PUBLIC: every role that writes or reads runs these helpers (see
-- 01_internal_schema.sql).
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

-- ===== Helpers leave the public schema =====
-- The constraints, generated columns, policies and triggers that use them
-- refer to them by oid and follow; SQL-standard bodies (RETURN ...) do too.
-- PL/pgSQL bodies are text, so those that name a moved helper are replaced
-- below.
ALTER FUNCTION jobs.metric_count(jsonb, text) SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.valid_time(timestamptz) SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.valid_name(text) SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.require_time(text, timestamptz) SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.require_text(text, text) SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.validate_job() SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.validate_job_input() SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.validate_job_progress() SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.current_tenant() SET SCHEMA jobs_internal;
ALTER FUNCTION jobs.require_visible_job(text) SET SCHEMA jobs_internal;

-- ===== The CHECKs spelled out =====
-- The rules of valid_name, valid_time and the status lists written into
-- each CHECK rather than called: a CHECK calling a SQL function inlines it
-- every time a statement prepares its constraints, which was a third of the
-- job lock's cost (docs/load.md). The same rows pass (sql/01_constraints
-- compares them with the functions); one ALTER per table, so each table is
-- scanned once (job_progress's are replaced with its new columns, below).
ALTER TABLE jobs.jobs
    DROP CONSTRAINT jobs_ids_valid,
    ADD CONSTRAINT jobs_ids_valid CHECK (id <> '' AND octet_length(id) <= 512 AND tenant_id <> '' AND octet_length(tenant_id) <= 512),
    DROP CONSTRAINT jobs_status_known,
    ADD CONSTRAINT jobs_status_known CHECK
        (status IN ('pending', 'admitted', 'running', 'completed', 'failed', 'preempted', 'cancelled')),
    DROP CONSTRAINT jobs_finished_at_iff_terminal,
    ADD CONSTRAINT jobs_finished_at_iff_terminal CHECK
        ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
    DROP CONSTRAINT jobs_times_valid,
    ADD CONSTRAINT jobs_times_valid CHECK
        (created_at >= '0001-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00'
         AND started_at >= '0001-01-01 00:00:00+00' AND started_at < '10000-01-01 00:00:00+00'
         AND finished_at >= '0001-01-01 00:00:00+00' AND finished_at < '10000-01-01 00:00:00+00');
ALTER TABLE jobs.job_inputs
    DROP CONSTRAINT job_inputs_id_valid,
    ADD CONSTRAINT job_inputs_id_valid CHECK (id <> '' AND octet_length(id) <= 512),
    DROP CONSTRAINT job_inputs_status_known,
    ADD CONSTRAINT job_inputs_status_known CHECK
        (status IN ('pending', 'processing', 'completed', 'failed', 'reference')),
    DROP CONSTRAINT job_inputs_completed_at_iff_finished,
    ADD CONSTRAINT job_inputs_completed_at_iff_finished CHECK
        ((status IN ('completed', 'failed')) = (completed_at IS NOT NULL)),
    DROP CONSTRAINT job_inputs_completed_at_valid,
    ADD CONSTRAINT job_inputs_completed_at_valid CHECK (completed_at >= '0001-01-01 00:00:00+00' AND completed_at < '10000-01-01 00:00:00+00');

-- ===== PL/pgSQL bodies naming moved helpers or status lists =====
CREATE OR REPLACE FUNCTION jobs_internal.require_time(what text, t timestamptz) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF NOT jobs_internal.valid_time(t) THEN
        -- Shown in UTC whatever the session's time zone, like the bounds.
        RAISE EXCEPTION '% must be a finite time between years 1 and 9999 (UTC), got %', what,
            CASE WHEN isfinite(t) THEN (t AT TIME ZONE 'UTC')::text || ' UTC' ELSE t::text END
            USING ERRCODE = 'datetime_field_overflow';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION jobs_internal.require_text(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION '% must not be null', what USING ERRCODE = 'null_value_not_allowed';
    ELSIF v = '' THEN
        RAISE EXCEPTION '% must not be empty', what USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.valid_name(v) THEN
        RAISE EXCEPTION '% must be at most 512 bytes long, got %', what, octet_length(v)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION jobs_internal.validate_job() RETURNS trigger
LANGUAGE plpgsql AS $$
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
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION jobs_internal.validate_job_input() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobs_internal.require_text('input job_id', NEW.job_id);
    PERFORM jobs_internal.require_text('input id', NEW.id);
    PERFORM jobs_internal.require_text('input status', NEW.status);
    IF NEW.status <> ALL (jobs_internal.input_statuses()) THEN
        RAISE EXCEPTION 'input status "%" is not one of %', NEW.status,
            array_to_string(jobs_internal.input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.require_time('input completed_at', NEW.completed_at);
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

CREATE OR REPLACE FUNCTION jobs_internal.validate_job_progress() RETURNS trigger
LANGUAGE plpgsql AS $$
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
    IF NEW.metrics IS NULL THEN
        RAISE EXCEPTION 'progress metrics must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION jobs_internal.require_visible_job(job_id text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = require_visible_job.job_id) THEN
        PERFORM jobs_internal.raise_error('PT404', format('job "%s" not found', jobs_internal.echoed_id(job_id)));
    END IF;
END $$;

CREATE OR REPLACE FUNCTION jobs.create_job(job_id text, created_at timestamptz DEFAULT now(),
                                status text DEFAULT 'pending', started_at timestamptz DEFAULT NULL,
                                tenant_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := coalesce(create_job.tenant_id, jobs_internal.current_tenant());
    v_count bigint;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'role "%" acts for no tenant: cannot create job "%"', current_user, job_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO jobs.jobs AS j (id, tenant_id, status, created_at, started_at)
    VALUES (job_id, v_tenant, status, created_at, started_at)
    ON CONFLICT (id) DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count = 1 THEN
        RETURN true;
    END IF;
    IF EXISTS (SELECT FROM jobs.jobs j WHERE j.id = create_job.job_id AND j.tenant_id = v_tenant) THEN
        RETURN false;
    END IF;
    RAISE EXCEPTION 'job "%" already exists', job_id USING ERRCODE = 'unique_violation';
END $$;

CREATE OR REPLACE FUNCTION jobs.add_inputs(job_id text, input_ids text[], status text DEFAULT 'pending')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count bigint;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF input_ids IS NULL THEN
        RAISE EXCEPTION 'input_ids must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF cardinality(input_ids) > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'add_inputs: a call adds at most % inputs, got % (job "%")',
            jobs_internal.max_batch_elements(), cardinality(input_ids), job_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    INSERT INTO jobs.job_inputs (job_id, id, status)
    SELECT add_inputs.job_id, i.id, add_inputs.status
    FROM (SELECT DISTINCT u.id FROM unnest(input_ids) AS u(id)) i
    ORDER BY i.id
    ON CONFLICT ON CONSTRAINT job_inputs_pkey DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

CREATE OR REPLACE FUNCTION jobs.start_job(job_id text, started_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_job record;
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.jobs j SET status = 'running', started_at = start_job.started_at
    WHERE j.id = start_job.job_id AND j.started_at IS NULL AND j.finished_at IS NULL;
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT j.status, j.started_at INTO v_job FROM jobs.jobs j WHERE j.id = start_job.job_id;
    IF v_job.started_at IS NOT NULL THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('job "%s" is already %s, it cannot start',
                                             jobs_internal.echoed_id(job_id), v_job.status));
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_input(job_id text, input_id text, status text,
                                  completed_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_input record;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF status IS NULL OR input_id IS NULL THEN
        RAISE EXCEPTION 'input_id and status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT jobs_internal.is_finished_input_status(status) THEN
        RAISE EXCEPTION 'an input finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.finished_input_statuses()), status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.job_inputs i SET status = finish_input.status, completed_at = finish_input.completed_at
    WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id
      AND i.completed_at IS NULL AND i.status <> 'reference';
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT i.status INTO v_input FROM jobs.job_inputs i
    WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id;
    IF NOT FOUND THEN
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(input_id), jobs_internal.echoed_id(job_id)));
    ELSIF v_input.status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('input "%s" of job "%s" is already %s',
                                             jobs_internal.echoed_id(input_id), jobs_internal.echoed_id(job_id), v_input.status));
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_job(job_id text, status text, finished_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_status text;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF status IS NULL THEN
        RAISE EXCEPTION 'status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT jobs_internal.is_terminal_job_status(status) THEN
        RAISE EXCEPTION 'a job finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.terminal_job_statuses()), status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.jobs j SET status = finish_job.status, finished_at = finish_job.finished_at
    WHERE j.id = finish_job.job_id AND j.finished_at IS NULL;
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT j.status INTO v_status FROM jobs.jobs j WHERE j.id = finish_job.job_id;
    IF v_status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('job "%s" is already %s', jobs_internal.echoed_id(job_id), v_status));
END $$;

-- ===== Zoom, the chart, the long format (src/sql/30_traces.sql, 35_charts.sql) =====
-- Zoom (contract §2.13): the trace functions gain trailing "from"/"to" parameters.
-- A parameter cannot be added in place, so each function is dropped and created
-- again with a new identity (OID): grants made on it since are gone (the extension
-- grants none) and a view of the user's built on it blocks the update until it is
-- dropped. 1.0's C entry points stay in the library for databases not yet updated.
DROP FUNCTION jobs.progress_traces(text, integer);
CREATE FUNCTION jobs.progress_traces(job_id text, buckets integer DEFAULT 100,
                                     "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
RETURNS json
AS 'MODULE_PATHNAME', 'traces_progress_traces_zoom'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off;

DROP FUNCTION jobs.progress_trace_points(text, integer);
CREATE FUNCTION jobs.progress_trace_points(job_id text, buckets integer DEFAULT 100,
                                           "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
AS 'MODULE_PATHNAME', 'traces_progress_trace_points_zoom'
LANGUAGE C STABLE ROWS 100
SET search_path = pg_catalog, pg_temp
SET jit = off;

-- The chart (contract §2.14) and the long format (§2.15).
CREATE DOMAIN jobs."image/svg+xml" AS text;

CREATE FUNCTION jobs.progress_chart(job_id text, buckets integer DEFAULT 100,
                                    "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL,
                                    width integer DEFAULT 800, panel_height integer DEFAULT 160)
RETURNS jobs."image/svg+xml"
AS 'MODULE_PATHNAME', 'traces_progress_chart'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off;

CREATE FUNCTION jobs.progress_series(job_id text, buckets integer DEFAULT 100,
                                     "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
RETURNS TABLE ("time" timestamptz, metric text, value bigint)
AS 'MODULE_PATHNAME', 'traces_progress_series'
LANGUAGE C STABLE ROWS 1000
SET search_path = pg_catalog, pg_temp
SET jit = off;

-- ===== The write path (src/sql/22_clock_and_finish_rules.sql, 45_write_lock.sql, 50_writes.sql) =====
-- Contract §7.2: the job row is the write lock, advanced by change_count;
-- the validation trigger of jobs.jobs skips an update of change_count alone.
ALTER TABLE jobs.jobs ADD COLUMN change_count bigint NOT NULL DEFAULT 0;
DROP TRIGGER validate ON jobs.jobs;
-- Not on an update of change_count alone: that is the write lock (45_write_lock.sql).
CREATE TRIGGER validate BEFORE INSERT OR UPDATE OF id, tenant_id, status, created_at, started_at, finished_at
    ON jobs.jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_job();
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

CREATE TRIGGER validate_clock BEFORE INSERT OR UPDATE OF created_at, started_at, finished_at ON jobs.jobs
    FOR EACH ROW WHEN (NEW.created_at > now() OR NEW.started_at > now() OR NEW.finished_at > now())
    EXECUTE FUNCTION jobs_internal.refuse_future_times('job', 'created_at', 'started_at', 'finished_at');
CREATE TRIGGER validate_clock BEFORE INSERT OR UPDATE OF completed_at ON jobs.job_inputs
    FOR EACH ROW WHEN (NEW.completed_at > now())
    EXECUTE FUNCTION jobs_internal.refuse_future_times('input', 'completed_at');
CREATE TRIGGER validate_clock BEFORE INSERT OR UPDATE OF created_at ON jobs.job_progress
    FOR EACH ROW WHEN (NEW.created_at > now())
    EXECUTE FUNCTION jobs_internal.refuse_future_times('progress', 'created_at');

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

-- Locks the jobs (those the caller can see) in byte order of id and
-- advances their change_count; jobs this transaction already updated are
-- locked already and left alone. 25006 in a read-only transaction, 42501
-- without UPDATE (change_count) on jobs.jobs. C (src/glue/write_lock.c):
-- one kept plan of that one statement, run as the caller.
CREATE FUNCTION jobs_internal.lock_jobs(job_ids text[]) RETURNS void
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_lock_jobs';

-- Statement trigger on job_inputs and job_progress: the jobs written (an
-- UPDATE's new and old rows, a DELETE's old rows; a job being deleted is no
-- longer visible to its cascades, which lock nothing). C, reading the
-- transition tables itself: the same statement as lock_jobs for the
-- distinct job ids, without a nested call (docs/load.md, "What a write
-- runs"). Not SECURITY DEFINER: the lock is taken as the writer (§7.2).
CREATE FUNCTION jobs_internal.lock_written_jobs() RETURNS trigger
LANGUAGE C SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_lock_written_jobs';

-- Triggers fire in name order: "lock_job" before "record_kinds".
CREATE TRIGGER lock_job AFTER INSERT ON jobs.job_inputs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job_update AFTER UPDATE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();

-- Each job's distinct progress kinds, kept under the job's lock so that the
-- caps of contract §7.5 cost one index probe per (job, kind) a statement
-- writes, not a scan of the job's progress. Extension-internal: no role but
-- the owner reads or writes it; the trigger below maintains it.
CREATE TABLE jobs_internal.job_kinds (
    job_id text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    kind   text NOT NULL,
    PRIMARY KEY (job_id, kind)
);
-- Derived data, not dumped: restoring job_progress's rows runs the trigger
-- below, which fills it again (a restore with --disable-triggers leaves it
-- short, so the caps count fewer kinds; rebuild it with INSERT INTO
-- jobs_internal.job_kinds SELECT DISTINCT job_id, kind FROM jobs.job_progress
-- ON CONFLICT DO NOTHING).

-- The caps: a 1000-point trace of a job at both stays under 16 MiB of JSON
-- (contract §7.5).
CREATE FUNCTION jobs_internal.max_kinds_per_job() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 100;
CREATE FUNCTION jobs_internal.max_kind_bytes_per_job() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 8192;

-- Statement trigger after the lock: records the kinds the statement
-- inserted and refuses (22023) a job whose new kinds pass a cap, naming
-- the job, the cap, the value and the greatest new kind in byte order.
-- SECURITY DEFINER so that job_kinds needs no grant; a trigger function
-- cannot be called directly, and the rows it reads passed the caller's
-- own row-level security when inserted.
CREATE FUNCTION jobs_internal.record_kinds() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v record;
BEGIN
    WITH added AS (
        INSERT INTO jobs_internal.job_kinds AS k (job_id, kind)
        SELECT DISTINCT n.job_id, n.kind FROM new_rows n
        ON CONFLICT DO NOTHING
        RETURNING k.job_id, k.kind),
    per_job AS (
        SELECT a.job_id, count(*) AS kinds, sum(octet_length(a.kind)) AS bytes,
               max(a.kind COLLATE "C") AS kind
        FROM added a GROUP BY a.job_id)
    SELECT p.job_id, p.kind, p.kinds + s.kinds AS kinds, p.bytes + coalesce(s.bytes, 0) AS bytes INTO v
    FROM per_job p
    CROSS JOIN LATERAL (SELECT count(*) AS kinds, sum(octet_length(k.kind)) AS bytes
                        FROM jobs_internal.job_kinds k WHERE k.job_id = p.job_id) s
    WHERE p.kinds + s.kinds > jobs_internal.max_kinds_per_job()
       OR p.bytes + coalesce(s.bytes, 0) > jobs_internal.max_kind_bytes_per_job()
    ORDER BY p.job_id COLLATE "C"
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    ELSIF v.kinds > jobs_internal.max_kinds_per_job() THEN
        RAISE EXCEPTION 'job "%" would have % distinct progress kinds, more than the cap of % (kind "%" refused)',
            v.job_id, v.kinds, jobs_internal.max_kinds_per_job(), v.kind
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RAISE EXCEPTION 'job "%" would have % bytes of distinct progress kind names, more than the cap of % (kind "%" refused)',
        v.job_id, v.bytes, jobs_internal.max_kind_bytes_per_job(), v.kind
        USING ERRCODE = 'invalid_parameter_value';
END $$;

CREATE TRIGGER record_kinds AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.record_kinds();

-- The kinds of the progress stored before the caps (jobs past a cap keep
-- their rows; they take no new kind).
INSERT INTO jobs_internal.job_kinds (job_id, kind)
SELECT DISTINCT p.job_id, p.kind FROM jobs.job_progress p;

-- The batch caps of contract §7.5: they bound the row locks a call takes and
-- the work one statement does before it can be cancelled.
CREATE FUNCTION jobs_internal.max_batch_elements() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 10000;
CREATE FUNCTION jobs_internal.max_batch_jobs() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 100;


-- ===== Comments (src/sql/90_comments.sql) =====
-- ===== The tables (contract §1, §5.1) =====
COMMENT ON TABLE jobs.jobs IS
    'One row per batch job (contract §1.1); its trace runs from started_at (or created_at) to finished_at (or now).';
COMMENT ON COLUMN jobs.jobs.id IS 'The job''s id, global across tenants: 1 to 512 bytes.';
COMMENT ON COLUMN jobs.jobs.tenant_id IS 'The tenant that owns the job; row-level security shows a job only to its tenant''s roles.';
COMMENT ON COLUMN jobs.jobs.status IS 'pending, admitted, running, completed, failed, preempted or cancelled; the last three are terminal.';
COMMENT ON COLUMN jobs.jobs.created_at IS 'When the job was submitted; the trace starts here when started_at is null.';
COMMENT ON COLUMN jobs.jobs.started_at IS 'When the job started running; null until then.';
COMMENT ON COLUMN jobs.jobs.finished_at IS 'When a terminal job ended; set exactly when status is terminal.';

COMMENT ON TABLE jobs.job_inputs IS
    'One row per input file of a job (contract §1.2); finished inputs are the trace''s files and step.';
COMMENT ON COLUMN jobs.job_inputs.job_id IS 'The job the input belongs to.';
COMMENT ON COLUMN jobs.job_inputs.id IS 'The input''s id within its job: 1 to 512 bytes.';
COMMENT ON COLUMN jobs.job_inputs.status IS 'pending, processing, completed, failed or reference (not work, never counted).';
COMMENT ON COLUMN jobs.job_inputs.completed_at IS 'When the input finished; set exactly when status is completed or failed.';

COMMENT ON TABLE jobs.job_progress IS
    'Progress reports appended by workers (contract §1.3): cumulative snapshots of a stream (input_id, kind).';
COMMENT ON COLUMN jobs.job_progress.id IS 'Arrival order; breaks ties between snapshots of one stream taken at the same instant.';
COMMENT ON COLUMN jobs.job_progress.job_id IS 'The job reported on.';
COMMENT ON COLUMN jobs.job_progress.input_id IS 'The input reported on; null for a job-level report.';
COMMENT ON COLUMN jobs.job_progress.kind IS 'What was counted (e.g. inference): one key of the trace''s items.';
COMMENT ON COLUMN jobs.job_progress.created_at IS 'When the snapshot was taken.';
COMMENT ON COLUMN jobs.job_progress.metrics IS 'The snapshot''s counters: success and failed, non-negative integers, 0 when absent; other keys are kept and ignored.';
COMMENT ON COLUMN jobs.job_progress.success IS 'metrics->success, validated and stored when written.';
COMMENT ON COLUMN jobs.job_progress.failed IS 'metrics->failed, validated and stored when written.';

COMMENT ON COLUMN jobs.tenant_roles.role_name IS 'A database role.';
COMMENT ON COLUMN jobs.tenant_roles.tenant_id IS 'The fixed tenant of a role that connects directly; null for a web role.';
COMMENT ON COLUMN jobs.tenant_roles.tenant_from_jwt IS 'True for a web role: its tenant is the tenant_id claim of the verified JWT.';

-- ===== The trace (contract §2, §4) =====
COMMENT ON FUNCTION jobs.progress_traces(text, integer, timestamptz, timestamptz) IS
    'The trace of a job as JSON: buckets points (null: 100; clamped to 10..1000) of files finished and items processed, over the job''s window or the zoom "from".."to" (contract §2.13). PT404 when the job is missing or not the caller''s; answers 304 to a matching If-None-Match through PostgREST.';
COMMENT ON FUNCTION jobs.progress_trace_points(text, integer, timestamptz, timestamptz) IS
    'The points of jobs.progress_traces as rows, in time order.';
COMMENT ON FUNCTION jobs.latest_event_at(text) IS
    'The newest progress report or input finish of a job, null when none: the trace''s ETag.';
COMMENT ON FUNCTION jobs.progress_chart(text, integer, timestamptz, timestamptz, integer, integer) IS
    'The trace drawn as an SVG document: files, then each kind''s items, over time (contract §2.14); width 320..4000 (null: 800) and panel_height 80..1000 (null: 160) in CSS pixels. Same window, zoom, errors, ETag and 304 as jobs.progress_traces.';
COMMENT ON FUNCTION jobs.progress_series(text, integer, timestamptz, timestamptz) IS
    'The points of jobs.progress_traces in long format (time, metric, value) for Grafana, Metabase and Superset (contract §2.15).';
COMMENT ON DOMAIN jobs."image/svg+xml" IS
    'An SVG document. Named after its media type, it makes jobs.progress_chart a PostgREST media type handler.';

-- ===== The write API (contract §6) =====
COMMENT ON FUNCTION jobs.create_job(text, timestamptz, text, timestamptz, text) IS
    'Creates a job for the caller''s tenant; true when created, false when it already existed (a retry).';
COMMENT ON FUNCTION jobs.add_inputs(text, text[], text) IS
    'Adds inputs to a visible job (existing ones are left as they are); returns how many were added.';
COMMENT ON FUNCTION jobs.start_job(text, timestamptz) IS
    'Marks a job running as of started_at; false when it had started already, PT409 when it has ended.';
COMMENT ON FUNCTION jobs.finish_input(text, text, text, timestamptz) IS
    'Finishes an input as completed or failed; false when already finished so, PT409 when finished otherwise.';
COMMENT ON FUNCTION jobs.finish_job(text, text, timestamptz) IS
    'Ends a job with a terminal status; false when already ended so, PT409 when ended otherwise.';
COMMENT ON FUNCTION jobs.report_progress(text[], text[], text[], timestamptz[], jsonb[]) IS
    'Appends a batch of progress reports (parallel arrays); reports equal to a stored one are skipped; returns how many were stored.';

-- ===== Internal helpers (schema jobs_internal) =====
COMMENT ON FUNCTION jobs_internal.metric_count(jsonb, text) IS
    'metrics->key as a non-negative bigint, 0 when absent; 22023 otherwise. Used by job_progress''s generated columns.';
COMMENT ON FUNCTION jobs_internal.valid_time(timestamptz) IS
    'True when a time is null or finite within years 1..9999 (what RFC 3339 can write). Used by the CHECKs.';
COMMENT ON FUNCTION jobs_internal.valid_name(text) IS
    'True when an identifier is null or 1 to 512 bytes. Used by the CHECKs.';
COMMENT ON FUNCTION jobs_internal.require_time(text, timestamptz) IS
    'Raises 22008 naming what when a time is not valid_time.';
COMMENT ON FUNCTION jobs_internal.require_text(text, text) IS
    'Raises 22004, 22023 or 22001 naming what when an identifier is null, empty or too long.';
COMMENT ON FUNCTION jobs_internal.validate_job() IS
    'Trigger on jobs.jobs: refuses a bad row with a message and a 22xxx SQLSTATE.';
COMMENT ON FUNCTION jobs_internal.validate_job_input() IS
    'Trigger on jobs.job_inputs: refuses a bad row with a message and a 22xxx SQLSTATE.';
COMMENT ON FUNCTION jobs_internal.validate_job_progress() IS
    'Trigger on jobs.job_progress: refuses a bad row with a message and a 22xxx SQLSTATE.';
COMMENT ON FUNCTION jobs_internal.current_tenant() IS
    'The tenant current_user acts for (jobs.tenant_roles), or null. Used by the row-level security policies.';
COMMENT ON FUNCTION jobs_internal.require_visible_job(text) IS
    'Raises PT404 unless the caller can see the job (22004 for a null id). Used by the write API.';

-- ===== PTnnn errors without client bytes in the status line (src/sql/25_pt_errors.sql) =====
-- Raises SQLSTATE code (PT400 to PT599) with message. When serving HTTP
-- (request.headers set, as PostgREST sets it) it raises SQLSTATE PGRST
-- instead, message {"code": code, "message": message} and detail
-- {"status": nnn, "headers": {}}: PostgREST answers nnn with its standard
-- reason phrase and the JSON as the body.
CREATE FUNCTION jobs_internal.raise_error(code text, message text) RETURNS void
AS 'MODULE_PATHNAME', 'traces_raise_error'
LANGUAGE C VOLATILE
SET search_path = pg_catalog, pg_temp;

-- An id as error messages show it: cut to 512 bytes (whole characters) and
-- followed by "…" when cut.
CREATE FUNCTION jobs_internal.echoed_id(id text) RETURNS text
AS 'MODULE_PATHNAME', 'traces_echoed_id_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

COMMENT ON FUNCTION jobs_internal.raise_error(text, text) IS
    'Raises a PTnnn error (PT400-PT599): SQLSTATE PTnnn for SQL callers; through PostgREST (request.headers set) SQLSTATE PGRST with message {"code","message"} and detail {"status","headers"}, so no client byte reaches the HTTP status line.';
COMMENT ON FUNCTION jobs_internal.echoed_id(text) IS
    'An id as error messages show it: at most 512 bytes (whole characters), then an ellipsis when cut.';

-- ===== The trace for nginx's routing (src/sql/35_routed_traces.sql) =====
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

-- report_progress raises its PTnnn errors through jobs_internal.raise_error (src/sql/50_writes.sql).
CREATE OR REPLACE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
                                     created_ats timestamptz[], metrics jsonb[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_len integer := cardinality(job_ids);
    v_jobs text[];
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
    IF v_len > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'report_progress: a batch holds at most % reports, got %',
            jobs_internal.max_batch_elements(), v_len USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_jobs := ARRAY(SELECT DISTINCT u.id FROM unnest(job_ids) AS u(id) WHERE u.id IS NOT NULL);
    IF cardinality(v_jobs) > jobs_internal.max_batch_jobs() THEN
        RAISE EXCEPTION 'report_progress: a batch names at most % distinct jobs, got %',
            jobs_internal.max_batch_jobs(), cardinality(v_jobs) USING ERRCODE = 'invalid_parameter_value';
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

    -- Every job visible, every named input present: else PT404.
    SELECT u.job_id, u.input_id INTO v_missing
    FROM (SELECT DISTINCT u.job_id, u.input_id FROM unnest(job_ids, input_ids) AS u(job_id, input_id)) u
    WHERE NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id)
       OR (u.input_id IS NOT NULL
           AND NOT EXISTS (SELECT FROM jobs.job_inputs i WHERE i.job_id = u.job_id AND i.id = u.input_id))
    ORDER BY u.job_id COLLATE "C", u.input_id COLLATE "C" NULLS FIRST
    LIMIT 1;
    IF FOUND THEN
        IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = v_missing.job_id) THEN
            PERFORM jobs_internal.require_visible_job(v_missing.job_id);
        END IF;
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(v_missing.input_id), jobs_internal.echoed_id(v_missing.job_id)));
    END IF;
    PERFORM jobs_internal.lock_jobs(v_jobs);

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

-- ===== Tenancy hardening (src/sql/40_security.sql, src/sql/30_traces.sql) =====
-- A hidden and a missing job cost the same: the tenant is an index condition.
CREATE INDEX jobs_id_tenant_idx ON jobs.jobs (id, tenant_id);
-- Only a JSON string names a tenant.
CREATE OR REPLACE FUNCTION jobs_internal.current_tenant() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT CASE WHEN r.tenant_from_jwt
                THEN jsonb_path_query_first(nullif(current_setting('request.jwt.claims', true), '')::jsonb,
                                            'strict $.tenant_id ? (@.type() == "string")', '{}', true) #>> '{}'
                ELSE r.tenant_id END
    FROM jobs.tenant_roles r
    WHERE r.role_name = current_user);
CREATE FUNCTION jobs_internal.job_visible(job_id text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
RETURN EXISTS (SELECT FROM jobs.jobs j WHERE j.id = job_visible.job_id);
COMMENT ON FUNCTION jobs_internal.job_visible(text) IS
    'True when the caller can see the job; the same work for a hidden as for a missing id. Used by latest_event_at.';
CREATE OR REPLACE FUNCTION jobs.latest_event_at(job_id text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN jobs_internal.job_visible(latest_event_at.job_id) THEN greatest(
    (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = latest_event_at.job_id),
    (SELECT max(i.completed_at) FROM jobs.job_inputs i
      WHERE i.job_id = latest_event_at.job_id AND i.completed_at IS NOT NULL)) END;

-- ===== search_path pinned where names resolve at run time (src/sql/20_validation.sql) =====
ALTER FUNCTION jobs_internal.require_time(text, timestamptz) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION jobs_internal.require_text(text, text) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION jobs_internal.validate_job() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION jobs_internal.validate_job_input() SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION jobs_internal.validate_job_progress() SET search_path = pg_catalog, pg_temp;

COMMENT ON COLUMN jobs.jobs.change_count IS 'Advanced once per transaction that writes the job, by the statement that takes its write lock (contract §7.2).';
-- ===== The write path (contract §7.2, §7.5, §10) =====
COMMENT ON FUNCTION jobs_internal.max_future_skew() IS
    'The setting traces.max_future_skew as an interval, null when off (-1).';
COMMENT ON FUNCTION jobs_internal.require_not_future(text, timestamptz) IS
    'Raises 22008 naming what when a time lies more than traces.max_future_skew after now().';
COMMENT ON FUNCTION jobs_internal.refuse_future_times() IS
    'Trigger: refuses (22008) a time a tenant''s writer sets more than traces.max_future_skew in the future.';
COMMENT ON FUNCTION jobs_internal.refuse_changing_finished_input() IS
    'Trigger on jobs.job_inputs: a finished input keeps its status and completed_at (PT409), for every role.';
COMMENT ON FUNCTION jobs_internal.lock_jobs(text[]) IS
    'Takes the write lock of the caller''s visible jobs (their rows, in byte order of id) and advances their change_count.';
COMMENT ON FUNCTION jobs_internal.lock_written_jobs() IS
    'Statement trigger on job_inputs and job_progress: takes the write lock of the jobs the statement wrote.';
COMMENT ON TABLE jobs_internal.job_kinds IS
    'Each job''s distinct progress kinds, kept under the job''s write lock for the kind caps.';
COMMENT ON FUNCTION jobs_internal.max_kinds_per_job() IS 'The cap on distinct progress kinds per job (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_kind_bytes_per_job() IS 'The cap on the summed bytes of a job''s distinct kind names (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.record_kinds() IS
    'Statement trigger on job_progress: records the kinds inserted and refuses (22023) a job past a kind cap.';
COMMENT ON FUNCTION jobs_internal.max_batch_elements() IS 'The cap on the elements of one report_progress or add_inputs call (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_batch_jobs() IS 'The cap on distinct jobs in one report_progress call (contract §7.5).';

-- ===== Contract §7.5's id alphabet (src/sql/22_id_alphabet.sql): control characters refused
-- on insert and on a change of the id; rows stored before are kept. =====
-- The characters refused, as a regular expression: the rule below and the
-- write API's filter (jobs_internal.id_passes, 47_batch_values.sql) read it.
CREATE FUNCTION jobs_internal.control_characters() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN '[\u0001-\u001f\u007f-\u009f]';

-- 22023 naming the first control character and where it is; null passes.
CREATE FUNCTION jobs_internal.require_id_alphabet(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad text := substring(v FROM jobs_internal.control_characters());
BEGIN
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION '% must not contain control characters, got U+% at character %', what,
            upper(lpad(to_hex(ascii(bad)), 4, '0')), strpos(v, bad)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

CREATE FUNCTION jobs_internal.validate_id_alphabet() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'jobs' THEN
        PERFORM jobs_internal.require_id_alphabet('job id', NEW.id);
        PERFORM jobs_internal.require_id_alphabet('job tenant_id', NEW.tenant_id);
    ELSIF TG_TABLE_NAME = 'job_inputs' THEN
        PERFORM jobs_internal.require_id_alphabet('input id', NEW.id);
    ELSE
        PERFORM jobs_internal.require_id_alphabet('progress kind', NEW.kind);
    END IF;
    RETURN NEW;
END $$;

-- Named to fire after the "validate" triggers (nulls and lengths first).
CREATE TRIGGER validate_id_alphabet BEFORE INSERT OR UPDATE OF id, tenant_id ON jobs.jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_id_alphabet();
CREATE TRIGGER validate_id_alphabet BEFORE INSERT OR UPDATE OF id ON jobs.job_inputs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_id_alphabet();
CREATE TRIGGER validate_id_alphabet BEFORE INSERT OR UPDATE OF kind ON jobs.job_progress
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_id_alphabet();

COMMENT ON FUNCTION jobs_internal.control_characters() IS
    'The control characters ids and names must not contain (contract §7.5), as a regular expression.';
COMMENT ON FUNCTION jobs_internal.require_id_alphabet(text, text) IS
    'Raises 22023 naming the first control character (U+0001-U+001F, U+007F-U+009F) of an id or name (contract §7.5); null passes.';
COMMENT ON FUNCTION jobs_internal.validate_id_alphabet() IS
    'Trigger: ids, tenant ids and kinds refuse control characters on insert and when the id itself changes (rows stored before stay).';

-- The timeline (contract §11): tables and their definition (src/sql/60_timeline.sql).
-- One row per progress row: the totals of its kind just after it, in the
-- kind's (created_at, id) order. That is, for each stream (input_id, kind)
-- of the kind, its latest snapshot at or before this row, summed (contract
-- §2.7). A point's items of a kind are then the row of the last report
-- that counts at the point: one backward probe of the primary key.
-- numeric, not bigint: a kind's running total may pass 2^63-1 between
-- points (§2.12 only refuses a total a point shows), and the reader refuses
-- such a total exactly where the scan would.
CREATE TABLE jobs_internal.kind_timeline (
    job_id     text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL,
    id         bigint NOT NULL,
    success    numeric NOT NULL,
    failed     numeric NOT NULL,
    PRIMARY KEY (job_id, kind, created_at, id)
);

-- One row per finished input: the job's finished inputs up to and including
-- it in (completed_at, input id in byte order) order, counted by status.
-- completed + failed is the input's completion rank (the trace's "step",
-- contract §2.6); a point's files are the row of the last input that counts
-- at it.
CREATE TABLE jobs_internal.file_timeline (
    job_id       text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    completed_at timestamptz NOT NULL,
    input_id     text COLLATE "C" NOT NULL,
    completed    bigint NOT NULL,
    failed       bigint NOT NULL,
    PRIMARY KEY (job_id, completed_at, input_id)
);

-- Jobs whose timeline is not built yet (those that existed before the
-- version that introduced it): their traces take the scan path, writes
-- leave them alone, and jobs.build_timelines() works through them.
CREATE TABLE jobs_internal.timeline_pending (
    job_id text PRIMARY KEY REFERENCES jobs.jobs (id) ON DELETE CASCADE
);

-- The definition of a job's kind timeline, from its rows.
CREATE FUNCTION jobs_internal.kind_timeline_of(job_id text)
RETURNS TABLE (kind text, created_at timestamptz, id bigint, success numeric, failed numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT d.kind, d.created_at, d.id,
           sum(d.d_success) OVER k, sum(d.d_failed) OVER k
    FROM (SELECT p.kind, p.created_at, p.id,
                 p.success - coalesce(lag(p.success) OVER s, 0) AS d_success,
                 p.failed - coalesce(lag(p.failed) OVER s, 0) AS d_failed
          FROM jobs.job_progress p
          WHERE p.job_id = kind_timeline_of.job_id
          WINDOW s AS (PARTITION BY p.input_id, p.kind ORDER BY p.created_at, p.id)) d
    WINDOW k AS (PARTITION BY d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
END;

-- The definition of a job's file timeline, from its inputs.
CREATE FUNCTION jobs_internal.file_timeline_of(job_id text)
RETURNS TABLE (completed_at timestamptz, input_id text, completed bigint, failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT i.completed_at, i.id,
           count(*) FILTER (WHERE i.status = 'completed') OVER w,
           count(*) FILTER (WHERE i.status = 'failed') OVER w
    FROM jobs.job_inputs i
    WHERE i.job_id = file_timeline_of.job_id AND i.completed_at IS NOT NULL
    WINDOW w AS (ORDER BY i.completed_at, i.id COLLATE "C" ROWS UNBOUNDED PRECEDING);
END;

COMMENT ON TABLE jobs_internal.kind_timeline IS
    'Per progress row, its kind''s totals just after it in (created_at, id) order: what a trace reads (contract §11).';
COMMENT ON TABLE jobs_internal.file_timeline IS
    'Per finished input, the job''s finished inputs up to it in (completed_at, id) order, by status; completed + failed is its rank (contract §11).';
COMMENT ON TABLE jobs_internal.timeline_pending IS
    'Jobs whose timeline is not built yet: their traces take the scan path (contract §11).';
COMMENT ON FUNCTION jobs_internal.kind_timeline_of(text) IS
    'The definition of a job''s kind timeline, computed from its progress rows.';
COMMENT ON FUNCTION jobs_internal.file_timeline_of(text) IS
    'The definition of a job''s file timeline, computed from its finished inputs.';

-- Jobs stored before this version keep the scan path until their timeline is built.
INSERT INTO jobs_internal.timeline_pending (job_id) SELECT j.id FROM jobs.jobs j;

-- ===== Phase 2 of the write path: values before visibility (contract §7.4; src/sql/20_validation.sql,
-- 47_batch_values.sql, 50_writes.sql) =====
CREATE FUNCTION jobs_internal.require_not_null(what text, v anyelement) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION '% must not be null', what USING ERRCODE = 'null_value_not_allowed';
    END IF;
END $$;

CREATE FUNCTION jobs_internal.require_input_state(id text, status text, completed_at timestamptz)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input status', status);
    IF status <> ALL (jobs_internal.input_statuses()) THEN
        RAISE EXCEPTION 'input status "%" is not one of %', status,
            array_to_string(jobs_internal.input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.require_time('input completed_at', completed_at);
    IF jobs_internal.is_finished_input_status(status) AND completed_at IS NULL THEN
        RAISE EXCEPTION 'input "%" has status "%" but no completed_at', id, status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.is_finished_input_status(status) AND completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'input "%" has completed_at but status "%" is not finished (%)', id, status,
            array_to_string(jobs_internal.finished_input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

CREATE OR REPLACE FUNCTION jobs_internal.validate_job_input() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input job_id', NEW.job_id);
    PERFORM jobs_internal.require_text('input id', NEW.id);
    PERFORM jobs_internal.require_input_state(NEW.id, NEW.status, NEW.completed_at);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION jobs_internal.validate_job_progress() RETURNS trigger
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
    RETURN NEW;
END $$;

-- Re-raises a value error of the batch's element `element` with the DETAIL
-- that names it (a rule's HINT, e.g. the clock's, is kept).
CREATE FUNCTION jobs_internal.raise_element_error(element integer, state text, message text, hint text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF nullif(hint, '') IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message,
            DETAIL = format('element %s of the batch', element);
    END IF;
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message,
        DETAIL = format('element %s of the batch', element), HINT = hint;
END $$;

-- A time a write stores in a column of `tbl`: finite and within years
-- 1-9999, and, for a role under row-level security on `tbl`, not further
-- ahead than traces.max_future_skew (as the trigger refuse_future_times).
CREATE FUNCTION jobs_internal.require_write_time(what text, tbl regclass, t timestamptz) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_time(what, t);
    IF t > now() AND row_security_active(tbl) THEN
        PERFORM jobs_internal.require_not_future(what, t);
    END IF;
END $$;

-- Runs a batch's element checks: `elements` is an open cursor whose rows
-- check the batch's elements in array order, one per FETCH. The first that
-- raises a value error (22xxx) is re-raised with DETAIL naming it. One
-- subtransaction per call, none per element.
CREATE FUNCTION jobs_internal.check_elements(elements refcursor) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_checked integer := 0;
    v_state text; v_message text; v_hint text;
BEGIN
    LOOP
        MOVE elements;
        EXIT WHEN NOT FOUND;
        v_checked := v_checked + 1;
    END LOOP;
    CLOSE elements;
EXCEPTION WHEN data_exception THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT;
    PERFORM jobs_internal.raise_element_error(v_checked + 1, v_state, v_message, v_hint);
END $$;

-- add_inputs: each input id (a name of the id alphabet) with the batch's
-- status, as the row it would insert (no completed_at).
CREATE FUNCTION jobs_internal.check_input_element(input_id text, status text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input id', input_id);
    PERFORM jobs_internal.require_id_alphabet('input id', input_id);
    PERFORM jobs_internal.require_input_state(input_id, status, NULL);
END $$;

CREATE FUNCTION jobs_internal.check_input_values(input_ids text[], status text) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_elements refcursor;
BEGIN
    OPEN v_elements FOR SELECT jobs_internal.check_input_element(u.input_id, status)
                        FROM unnest(input_ids) AS u(input_id);
    PERFORM jobs_internal.check_elements(v_elements);
END $$;

-- report_progress: each report's kind, created_at and metrics (job and
-- input ids are looked up in phase 3; null job ids and created_ats are
-- refused in phase 1).
CREATE FUNCTION jobs_internal.check_progress_element(kind text, created_at timestamptz, metrics jsonb)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('progress kind', kind);
    PERFORM jobs_internal.require_id_alphabet('progress kind', kind);
    PERFORM jobs_internal.require_write_time('progress created_at', 'jobs.job_progress', created_at);
    PERFORM jobs_internal.require_not_null('progress metrics', metrics);
    PERFORM jobs_internal.metric_count(metrics, 'success'), jobs_internal.metric_count(metrics, 'failed');
END $$;

CREATE FUNCTION jobs_internal.check_progress_values(kinds text[], created_ats timestamptz[], metrics jsonb[])
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_elements refcursor;
BEGIN
    OPEN v_elements FOR SELECT jobs_internal.check_progress_element(u.kind, u.created_at, u.metrics)
                        FROM unnest(kinds, created_ats, metrics) AS u(kind, created_at, metrics);
    PERFORM jobs_internal.check_elements(v_elements);
END $$;

-- The one-row writes: their times (no DETAIL, there is no batch). A null
-- time where the status needs one stays the trigger's (it names the stored
-- row's status).
CREATE FUNCTION jobs_internal.check_start_values(started_at timestamptz) RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('job started_at', 'jobs.jobs', started_at);
END;

CREATE FUNCTION jobs_internal.check_finish_input_values(completed_at timestamptz) RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('input completed_at', 'jobs.job_inputs', completed_at);
END;

CREATE FUNCTION jobs_internal.check_finish_job_values(finished_at timestamptz) RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('job finished_at', 'jobs.jobs', finished_at);
END;

COMMENT ON FUNCTION jobs_internal.raise_element_error(integer, text, text, text) IS
    'Re-raises a batch element''s value error with DETAIL "element <n> of the batch" (contract §7.4).';
COMMENT ON FUNCTION jobs_internal.require_write_time(text, regclass, timestamptz) IS
    'A written time: finite, years 1-9999, and not beyond traces.max_future_skew for roles under row-level security on the table.';
COMMENT ON FUNCTION jobs_internal.check_elements(refcursor) IS
    'Fetches a cursor of element checks in array order; re-raises the first value error with DETAIL "element <n> of the batch".';
COMMENT ON FUNCTION jobs_internal.check_input_element(text, text) IS
    'One input of add_inputs: its id and the batch''s status, as the triggers check the row.';
COMMENT ON FUNCTION jobs_internal.check_progress_element(text, timestamptz, jsonb) IS
    'One report of report_progress: its kind, created_at and metrics, as the triggers check the row.';
COMMENT ON FUNCTION jobs_internal.check_input_values(text[], text) IS
    'Phase 2 of add_inputs (contract §7.4): the lowest bad input id or status, with DETAIL naming the element.';
COMMENT ON FUNCTION jobs_internal.check_progress_values(text[], timestamptz[], jsonb[]) IS
    'Phase 2 of report_progress (contract §7.4): the lowest bad kind, created_at or metrics, with DETAIL naming the element.';
COMMENT ON FUNCTION jobs_internal.check_start_values(timestamptz) IS
    'Phase 2 of start_job: started_at is a valid, not-future time.';
COMMENT ON FUNCTION jobs_internal.check_finish_input_values(timestamptz) IS
    'Phase 2 of finish_input: completed_at is a valid, not-future time.';
COMMENT ON FUNCTION jobs_internal.check_finish_job_values(timestamptz) IS
    'Phase 2 of finish_job: finished_at is a valid, not-future time.';
COMMENT ON FUNCTION jobs_internal.require_not_null(text, anyelement) IS
    'Raises 22004 "<what> must not be null".';
COMMENT ON FUNCTION jobs_internal.require_input_state(text, text, timestamptz) IS
    'An input''s status is known and has completed_at exactly when finished (22xxx otherwise).';

CREATE OR REPLACE FUNCTION jobs.add_inputs(job_id text, input_ids text[], status text DEFAULT 'pending')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count bigint;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF input_ids IS NULL THEN
        RAISE EXCEPTION 'input_ids must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF cardinality(input_ids) > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'add_inputs: a call adds at most % inputs, got % (job "%")',
            jobs_internal.max_batch_elements(), cardinality(input_ids), job_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.check_input_values(input_ids, status);
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    INSERT INTO jobs.job_inputs (job_id, id, status)
    SELECT add_inputs.job_id, i.id, add_inputs.status
    FROM (SELECT DISTINCT u.id FROM unnest(input_ids) AS u(id)) i
    ORDER BY i.id
    ON CONFLICT ON CONSTRAINT job_inputs_pkey DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

CREATE OR REPLACE FUNCTION jobs.start_job(job_id text, started_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_job record;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF jobs_internal.write_time_passes('jobs.jobs', started_at) IS NOT TRUE THEN
        PERFORM jobs_internal.check_start_values(started_at);
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.jobs j SET status = 'running', started_at = start_job.started_at
    WHERE j.id = start_job.job_id AND j.started_at IS NULL AND j.finished_at IS NULL;
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT j.status, j.started_at INTO v_job FROM jobs.jobs j WHERE j.id = start_job.job_id;
    IF v_job.started_at IS NOT NULL THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('job "%s" is already %s, it cannot start',
                                             jobs_internal.echoed_id(job_id), v_job.status));
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_input(job_id text, input_id text, status text,
                                  completed_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_input record;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF status IS NULL OR input_id IS NULL THEN
        RAISE EXCEPTION 'input_id and status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT jobs_internal.is_finished_input_status(status) THEN
        RAISE EXCEPTION 'an input finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.finished_input_statuses()), status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.check_finish_input_values(completed_at);
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.job_inputs i SET status = finish_input.status, completed_at = finish_input.completed_at
    WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id
      AND i.completed_at IS NULL AND i.status <> 'reference';
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT i.status INTO v_input FROM jobs.job_inputs i
    WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id;
    IF NOT FOUND THEN
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(input_id), jobs_internal.echoed_id(job_id)));
    ELSIF v_input.status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('input "%s" of job "%s" is already %s',
                                             jobs_internal.echoed_id(input_id), jobs_internal.echoed_id(job_id), v_input.status));
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_job(job_id text, status text, finished_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_status text;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF status IS NULL THEN
        RAISE EXCEPTION 'status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT jobs_internal.is_terminal_job_status(status) THEN
        RAISE EXCEPTION 'a job finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.terminal_job_statuses()), status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jobs_internal.write_time_passes('jobs.jobs', finished_at) IS NOT TRUE THEN
        PERFORM jobs_internal.check_finish_job_values(finished_at);
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.jobs j SET status = finish_job.status, finished_at = finish_job.finished_at
    WHERE j.id = finish_job.job_id AND j.finished_at IS NULL;
    IF FOUND THEN
        RETURN true;
    END IF;
    SELECT j.status INTO v_status FROM jobs.jobs j WHERE j.id = finish_job.job_id;
    IF v_status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('job "%s" is already %s', jobs_internal.echoed_id(job_id), v_status));
END $$;

CREATE OR REPLACE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
                                     created_ats timestamptz[], metrics jsonb[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_len integer := cardinality(job_ids);
    v_jobs text[];
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
    IF v_len > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'report_progress: a batch holds at most % reports, got %',
            jobs_internal.max_batch_elements(), v_len USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_jobs := ARRAY(SELECT DISTINCT u.id FROM unnest(job_ids) AS u(id) WHERE u.id IS NOT NULL);
    IF cardinality(v_jobs) > jobs_internal.max_batch_jobs() THEN
        RAISE EXCEPTION 'report_progress: a batch names at most % distinct jobs, got %',
            jobs_internal.max_batch_jobs(), cardinality(v_jobs) USING ERRCODE = 'invalid_parameter_value';
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
    PERFORM jobs_internal.check_progress_values(kinds, created_ats, metrics);

    -- Every job visible, every named input present: else PT404.
    SELECT u.job_id, u.input_id INTO v_missing
    FROM (SELECT DISTINCT u.job_id, u.input_id FROM unnest(job_ids, input_ids) AS u(job_id, input_id)) u
    WHERE NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id)
       OR (u.input_id IS NOT NULL
           AND NOT EXISTS (SELECT FROM jobs.job_inputs i WHERE i.job_id = u.job_id AND i.id = u.input_id))
    ORDER BY u.job_id COLLATE "C", u.input_id COLLATE "C" NULLS FIRST
    LIMIT 1;
    IF FOUND THEN
        IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = v_missing.job_id) THEN
            PERFORM jobs_internal.require_visible_job(v_missing.job_id);
        END IF;
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(v_missing.input_id), jobs_internal.echoed_id(v_missing.job_id)));
    END IF;
    PERFORM jobs_internal.lock_jobs(v_jobs);

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
-- ===== Timeline maintenance and its operators (src/sql/45_write_lock.sql, 61_timeline_maintenance.sql, 62_timeline_operators.sql) =====
-- The timeline's tables lose their foreign key (src/sql/60_timeline.sql):
-- its check per row was most of a bulk load's maintenance cost.
ALTER TABLE jobs_internal.kind_timeline DROP CONSTRAINT kind_timeline_job_id_fkey;
ALTER TABLE jobs_internal.file_timeline DROP CONSTRAINT file_timeline_job_id_fkey;
-- DELETEs, and UPDATEs of job_progress, take the job's write lock too.
-- Changing or removing stored rows takes the lock too: the timeline
-- (61_timeline_maintenance.sql) is kept from what the previous writer of the
-- job stored, whatever the statement.
CREATE TRIGGER lock_job_update AFTER UPDATE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job_delete AFTER DELETE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job_delete AFTER DELETE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();

-- Keeping the timeline (60_timeline.sql) equal to its definition after every
-- write, and the operators' functions (docs/contract.md §11).
--
-- Statement triggers on job_progress and job_inputs, named "timeline_*" so
-- that they fire after "lock_job*" and "record_kinds" (AFTER triggers of one
-- event fire in name order): the job's write lock (45_write_lock.sql) is
-- held when they run, so one job's maintenance is serialised and reads what
-- the previous writer of the job stored. Each statement is applied as one
-- set: never row by row.
--
-- How a change is applied. A timeline row's value is the sum of "deltas" of
-- the rows at or before it (a progress row's delta is its counters minus
-- those of its stream's previous row; a finished input's is 1 in its
-- status). A statement changes the deltas of the rows it adds and removes,
-- and of the stream neighbours they change. Those changes ("events") are
-- computed per stream from the changed rows, the stream's rows between the
-- first and the last of them, and one row on each side (index probes);
-- their running sum per kind is the change C(x) of every timeline row x.
-- Then, in one statement: rows whose C is not 0 are updated (a range scan of
-- the timeline's key per stretch between events), rows removed are deleted,
-- rows added are inserted with the old timeline's value just before them
-- plus C. So:
--   * a tail append (the live case) costs two index probes and one insert:
--     O(log n);
--   * a late row rewrites exactly the kind's rows whose totals change, those
--     in [its position, its stream's next row): rows where C is 0 are not
--     written;
--   * a late input completion shifts the rank of every input finished after
--     it, so all of those are rewritten (nothing narrower is correct);
--   * a statement reads, per stream it touches, the rows between its first
--     and last changed position: linear in what it spans, never quadratic.
-- Jobs in timeline_pending and jobs being deleted (their cascades) are left
-- alone.

-- A stream's rows in [from, to) of (created_at, id) order. Inlinable SQL
-- functions: each branch is one range of job_progress_stream_idx (the null
-- input is a stream of its own, which "=" cannot select; a branch whose
-- input does not match is skipped by a one-time filter). The bounds compare
-- (kind, created_at, id) rather than (created_at, id): the planner cannot
-- take them to job_progress_time_idx, which it otherwise picks when the
-- statistics predate a bulk load and then reads the job's whole time range
-- per stream.
CREATE FUNCTION jobs_internal.stream_rows(job_id text, input_id text, kind text,
                                          from_at timestamptz, from_id bigint,
                                          to_at timestamptz, to_id bigint)
RETURNS TABLE (created_at timestamptz, id bigint, success bigint, failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
    WHERE stream_rows.input_id IS NULL AND p.input_id IS NULL AND p.job_id = stream_rows.job_id
      AND p.kind = stream_rows.kind AND (p.kind, p.created_at, p.id) >= (stream_rows.kind, from_at, from_id)
      AND (p.kind, p.created_at, p.id) < (stream_rows.kind, to_at, to_id)
    UNION ALL
    SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
    WHERE p.input_id = stream_rows.input_id AND p.job_id = stream_rows.job_id
      AND p.kind = stream_rows.kind AND (p.kind, p.created_at, p.id) >= (stream_rows.kind, from_at, from_id)
      AND (p.kind, p.created_at, p.id) < (stream_rows.kind, to_at, to_id);
END;

-- A stream's row just before (at, id), or with after its row just after
-- (at, id): one ordered probe of job_progress_stream_idx. The null input's
-- branches order by the index's columns: the planner does not take
-- "input_id IS NULL" as fixing the column, and would sort another index.
CREATE FUNCTION jobs_internal.stream_neighbour(job_id text, input_id text, kind text,
                                               at timestamptz, id bigint, after boolean)
RETURNS TABLE (created_at timestamptz, id bigint, success bigint, failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE NOT after AND stream_neighbour.input_id IS NULL AND p.input_id IS NULL AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) < (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.input_id DESC, p.kind DESC, p.created_at DESC, p.id DESC LIMIT 1)
    UNION ALL
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE NOT after AND p.input_id = stream_neighbour.input_id AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) < (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.created_at DESC, p.id DESC LIMIT 1)
    UNION ALL
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE after AND stream_neighbour.input_id IS NULL AND p.input_id IS NULL AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) > (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.input_id, p.kind, p.created_at, p.id LIMIT 1)
    UNION ALL
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE after AND p.input_id = stream_neighbour.input_id AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) > (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.created_at, p.id LIMIT 1);
END;

-- Chooses how the next statement of the calling maintenance function is
-- planned: a small one (the live case: a report, a batch, a finish) runs a
-- plan cached for the session, since planning that statement costs more
-- than running it; a big one (a bulk load, a restore's COPY, a backfill)
-- is planned for its size, whose estimates pick hash joins and sorts over
-- per-row loops. At most 100 rows for a cached plan: its estimates do not
-- know the size, so a loop it picks stays small. The callers reset the
-- setting on exit (their SET clause).
CREATE FUNCTION jobs_internal.plan_for(changed_rows integer) RETURNS void
LANGUAGE sql VOLATILE
RETURN (SELECT NULL::void FROM set_config('plan_cache_mode',
            CASE WHEN changed_rows <= 100 THEN 'force_generic_plan' ELSE 'force_custom_plan' END, true));

-- The live case, one row at the tail, in a few index probes: a statement
-- that adds one progress row after every row of its kind (or one finished
-- input after every finished input of its job) changes no other row, and
-- its own value is the last row's plus its delta. These return false,
-- having written nothing, when the row is not at the tail; the set-based
-- statements below then apply it.
CREATE FUNCTION jobs_internal.appended_progress(r jobs.job_progress) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_last record;
    v_prev record;
BEGIN
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = r.job_id)
       OR EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = r.job_id) THEN
        RETURN true;  -- no timeline kept: nothing to write
    END IF;
    SELECT t.created_at, t.id, t.success, t.failed INTO v_last FROM jobs_internal.kind_timeline t
    WHERE t.job_id = r.job_id AND t.kind = r.kind ORDER BY t.created_at DESC, t.id DESC LIMIT 1;
    IF (v_last.created_at, v_last.id) >= (r.created_at, r.id) THEN
        RETURN false;
    END IF;
    -- Its stream's previous row: one backward probe of job_progress_stream_idx.
    IF r.input_id IS NULL THEN
        SELECT p.success, p.failed INTO v_prev FROM jobs.job_progress p
        WHERE p.job_id = r.job_id AND p.input_id IS NULL AND p.kind = r.kind AND (p.kind, p.created_at, p.id) < (r.kind, r.created_at, r.id)
        ORDER BY p.input_id DESC, p.kind DESC, p.created_at DESC, p.id DESC LIMIT 1;
    ELSE
        SELECT p.success, p.failed INTO v_prev FROM jobs.job_progress p
        WHERE p.job_id = r.job_id AND p.input_id = r.input_id AND p.kind = r.kind AND (p.kind, p.created_at, p.id) < (r.kind, r.created_at, r.id)
        ORDER BY p.input_id DESC, p.kind DESC, p.created_at DESC, p.id DESC LIMIT 1;
    END IF;
    INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
    VALUES (r.job_id, r.kind, r.created_at, r.id,
            coalesce(v_last.success, 0) + r.success - coalesce(v_prev.success, 0),
            coalesce(v_last.failed, 0) + r.failed - coalesce(v_prev.failed, 0));
    RETURN true;
END $$;

CREATE FUNCTION jobs_internal.appended_input(r jobs.job_inputs) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_last record;
BEGIN
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = r.job_id)
       OR EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = r.job_id) THEN
        RETURN true;
    END IF;
    SELECT t.completed_at, t.input_id, t.completed, t.failed INTO v_last FROM jobs_internal.file_timeline t
    WHERE t.job_id = r.job_id ORDER BY t.completed_at DESC, t.input_id DESC LIMIT 1;
    IF (v_last.completed_at, v_last.input_id) >= (r.completed_at, r.id COLLATE "C") THEN
        RETURN false;
    END IF;
    INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
    VALUES (r.job_id, r.completed_at, r.id, coalesce(v_last.completed, 0) + (r.status = 'completed')::integer,
            coalesce(v_last.failed, 0) + (r.status = 'failed')::integer);
    RETURN true;
END $$;

-- Applies one statement's progress rows added and removed (an UPDATE is
-- both) to the kind timeline. See the top of this file.
CREATE FUNCTION jobs_internal.apply_progress_changes(added jobs.job_progress[], removed jobs.job_progress[])
RETURNS void
-- jit off: a big statement's estimates cross jit_above_cost, and compiling
-- cost more than the statement (as for the trace functions, contract §10).
-- plan_cache_mode: see jobs_internal.plan_for.
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    new_jobs text[];
    new_kinds text[];
BEGIN
    IF cardinality(removed) = 0 AND cardinality(added) = 1 AND jobs_internal.appended_progress(added[1]) THEN
        RETURN;
    END IF;
    PERFORM jobs_internal.plan_for(cardinality(added) + cardinality(removed));
    -- Kinds that a statement adding rows brings to a kept job (a bulk load,
    -- a restore's COPY, a new job's first reports): the job stores no other
    -- row of them, so their timeline is the definition over the statement's
    -- rows alone, one sort and no probes.
    IF cardinality(removed) = 0 THEN
        SELECT array_agg(k.job_id), array_agg(k.kind) INTO new_jobs, new_kinds
        FROM (SELECT DISTINCT a.job_id, a.kind FROM unnest(added) a) k
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = k.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = k.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.kind_timeline t WHERE t.job_id = k.job_id AND t.kind = k.kind);
        INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
        SELECT d.job_id, d.kind, d.created_at, d.id, sum(d.d_success) OVER k, sum(d.d_failed) OVER k
        FROM (SELECT a.job_id, a.kind, a.created_at, a.id,
                     a.success - coalesce(lag(a.success) OVER s, 0) AS d_success,
                     a.failed - coalesce(lag(a.failed) OVER s, 0) AS d_failed
              FROM unnest(added) a
              WHERE (a.job_id, a.kind) IN (SELECT * FROM unnest(new_jobs, new_kinds))
              WINDOW s AS (PARTITION BY a.job_id, a.input_id, a.kind ORDER BY a.created_at, a.id)) d
        WINDOW k AS (PARTITION BY d.job_id, d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
        -- The live case of a batch: every other row after every stored row
        -- of its kind. Each row's value is then its kind's last stored
        -- value plus the deltas of the batch up to it, the first row of a
        -- stream taking its delta from the stream's last stored row: a
        -- probe per row, one window, no other row changes.
        IF NOT EXISTS (
            SELECT FROM unnest(added) a
            WHERE (a.job_id, a.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
              AND EXISTS (SELECT FROM jobs_internal.kind_timeline t
                          WHERE t.job_id = a.job_id AND t.kind = a.kind AND (t.created_at, t.id) >= (a.created_at, a.id)))
        THEN
            INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
            SELECT d.job_id, d.kind, d.created_at, d.id,
                   d.last_success + sum(d.d_success) OVER k, d.last_failed + sum(d.d_failed) OVER k
            FROM (SELECT a.job_id, a.kind, a.created_at, a.id,
                         a.success - coalesce(lag(a.success) OVER s, b.success, 0) AS d_success,
                         a.failed - coalesce(lag(a.failed) OVER s, b.failed, 0) AS d_failed,
                         coalesce(l.success, 0) AS last_success, coalesce(l.failed, 0) AS last_failed
                  FROM unnest(added) a
                  LEFT JOIN LATERAL jobs_internal.stream_neighbour(a.job_id, a.input_id, a.kind, a.created_at, a.id, false) b ON true
                  LEFT JOIN LATERAL (SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
                                     WHERE t.job_id = a.job_id AND t.kind = a.kind
                                     ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l ON true
                  WHERE (a.job_id, a.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
                    AND EXISTS (SELECT FROM jobs.jobs j WHERE j.id = a.job_id)
                    AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = a.job_id)
                  WINDOW s AS (PARTITION BY a.job_id, a.input_id, a.kind ORDER BY a.created_at, a.id)) d
            WINDOW k AS (PARTITION BY d.job_id, d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
            RETURN;
        END IF;
    END IF;
    WITH given AS (
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, true AS added
        FROM unnest(apply_progress_changes.added) c
        WHERE (c.job_id, c.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
        UNION ALL
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, false
        FROM unnest(apply_progress_changes.removed) c),
    -- Of jobs whose timeline is kept: they exist (a job being deleted no
    -- longer does for its cascades) and are not pending.
    changed AS MATERIALIZED (
        SELECT c.* FROM given c
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
    -- Per stream, its first and last changed position.
    streams AS (
        SELECT DISTINCT ON (c.job_id, c.input_id, c.kind) c.job_id, c.input_id, c.kind,
               c.created_at AS lo_at, c.id AS lo_id,
               last_value(c.created_at) OVER w AS hi_at, last_value(c.id) OVER w AS hi_id
        FROM changed c
        WINDOW w AS (PARTITION BY c.job_id, c.input_id, c.kind ORDER BY c.created_at, c.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        ORDER BY c.job_id, c.input_id, c.kind, c.created_at, c.id),
    -- The stored rows of those streams from the row before the first change
    -- to the row after the last; the added ones among them are dropped
    -- below, so these are the rows the statement kept. Materialized so that
    -- the planner does not move that anti-join into the per-stream loop
    -- (a hash join rescanned per stream, in batches when the statement is
    -- big).
    around AS MATERIALIZED (
        SELECT s.job_id, s.input_id, s.kind, r.created_at, r.id, r.success, r.failed
        FROM streams s
        CROSS JOIN LATERAL (
            SELECT * FROM jobs_internal.stream_rows(s.job_id, s.input_id, s.kind,
                                                    s.lo_at, s.lo_id, s.hi_at, s.hi_id + 1)
            UNION ALL
            SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.lo_at, s.lo_id, false)
            UNION ALL
            SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.hi_at, s.hi_id, true)) r),
    -- Each stream's rows before the statement (in_old) and after it (in_new).
    views AS (
        SELECT a.job_id, a.input_id, a.kind, a.created_at, a.id, a.success, a.failed,
               true AS in_old, true AS in_new
        FROM around a
        WHERE NOT EXISTS (SELECT FROM changed c WHERE c.added AND c.id = a.id)
        UNION ALL
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed,
               NOT c.added, c.added
        FROM changed c),
    -- The change of each row's delta: new delta minus old delta.
    events AS (
        SELECT v.job_id, v.kind, v.created_at, v.id, true AS in_new,
               v.success - coalesce(lag(v.success) OVER s, 0) AS d_success,
               v.failed - coalesce(lag(v.failed) OVER s, 0) AS d_failed
        FROM views v WHERE v.in_new
        WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)
        UNION ALL
        SELECT v.job_id, v.kind, v.created_at, v.id, false,
               coalesce(lag(v.success) OVER s, 0) - v.success,
               coalesce(lag(v.failed) OVER s, 0) - v.failed
        FROM views v WHERE v.in_old
        WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)),
    -- Per kind and changed position: C, the change of the kind's totals
    -- from there to the next such position; gone (a row removed) and fresh
    -- (a row added where none was).
    changes AS MATERIALIZED (
        SELECT e.job_id, e.kind, e.created_at, e.id,
               sum(sum(e.d_success)) OVER k AS c_success, sum(sum(e.d_failed)) OVER k AS c_failed,
               NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
               lead(e.created_at) OVER k AS next_at, lead(e.id) OVER k AS next_id
        FROM events e
        GROUP BY e.job_id, e.kind, e.created_at, e.id
        WINDOW k AS (PARTITION BY e.job_id, e.kind ORDER BY e.created_at, e.id)),
    deleted AS (
        DELETE FROM jobs_internal.kind_timeline t
        USING changes c
        WHERE c.gone AND t.job_id = c.job_id AND t.kind = c.kind AND t.created_at = c.created_at AND t.id = c.id),
    updated AS (
        UPDATE jobs_internal.kind_timeline t
        SET success = t.success + c.c_success, failed = t.failed + c.c_failed
        FROM changes c
        WHERE (c.c_success <> 0 OR c.c_failed <> 0)
          AND t.job_id = c.job_id AND t.kind = c.kind
          -- a removed or added position is not updated: deleted above, inserted below
          AND (t.created_at, t.id) >= (c.created_at, c.id + CASE WHEN c.gone OR c.fresh THEN 1 ELSE 0 END)
          AND (t.created_at, t.id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_id, 0)))
    INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
    SELECT c.job_id, c.kind, c.created_at, c.id,
           coalesce(b.success, 0) + c.c_success, coalesce(b.failed, 0) + c.c_failed
    -- Inserted last position first, so that each probe below, reading
    -- backwards from its row, never walks over the rows this statement
    -- inserted (in the index, but not visible to it).
    FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.kind, c.created_at DESC, c.id DESC) c
    LEFT JOIN LATERAL (
        SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
        WHERE t.job_id = c.job_id AND t.kind = c.kind AND (t.created_at, t.id) < (c.created_at, c.id)
        ORDER BY t.created_at DESC, t.id DESC LIMIT 1) b ON true;
END $$;

-- Applies one statement's inputs added and removed (an UPDATE is both) to
-- the file timeline: a finished input adds 1 to its status's count from its
-- position on. See the top of this file.
CREATE FUNCTION jobs_internal.apply_input_changes(added jobs.job_inputs[], removed jobs.job_inputs[])
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp SET jit = off
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    none_removed boolean := NOT EXISTS (SELECT FROM unnest(removed) r WHERE r.completed_at IS NOT NULL);
    new_jobs text[] := '{}';
BEGIN
    IF none_removed AND NOT EXISTS (SELECT FROM unnest(added) a WHERE a.completed_at IS NOT NULL) THEN
        RETURN;  -- no finished input added or removed (inputs added pending, started, ...)
    END IF;
    IF none_removed AND cardinality(added) = 1 AND jobs_internal.appended_input(added[1]) THEN
        RETURN;
    END IF;
    PERFORM jobs_internal.plan_for(cardinality(added) + cardinality(removed));
    -- Kept jobs with no finished input stored, when none is removed (a bulk
    -- load, a restore): their file timeline is the definition over the
    -- statement's rows alone, as for new kinds.
    IF none_removed THEN
        new_jobs := ARRAY(SELECT DISTINCT a.job_id FROM unnest(added) a
                          WHERE a.completed_at IS NOT NULL
                            AND EXISTS (SELECT FROM jobs.jobs j WHERE j.id = a.job_id)
                            AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = a.job_id)
                            AND NOT EXISTS (SELECT FROM jobs_internal.file_timeline t WHERE t.job_id = a.job_id));
        INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
        SELECT a.job_id, a.completed_at, a.id,
               count(*) FILTER (WHERE a.status = 'completed') OVER w, count(*) FILTER (WHERE a.status = 'failed') OVER w
        FROM unnest(added) a
        WHERE a.completed_at IS NOT NULL AND a.job_id = ANY (new_jobs)
        WINDOW w AS (PARTITION BY a.job_id ORDER BY a.completed_at, a.id COLLATE "C" ROWS UNBOUNDED PRECEDING);
    END IF;
    WITH given AS (
        SELECT c.job_id, c.completed_at, c.id COLLATE "C" AS input_id, true AS in_new,
               (c.status = 'completed')::integer AS d_completed, (c.status = 'failed')::integer AS d_failed
        FROM unnest(apply_input_changes.added) c
        WHERE c.completed_at IS NOT NULL AND c.job_id <> ALL (new_jobs)
        UNION ALL
        SELECT c.job_id, c.completed_at, c.id COLLATE "C", false,
               -(c.status = 'completed')::integer, -(c.status = 'failed')::integer
        FROM unnest(apply_input_changes.removed) c
        WHERE c.completed_at IS NOT NULL),
    -- Of jobs whose timeline is kept, as for the kinds.
    events AS (
        SELECT c.* FROM given c
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
    -- Per job and changed position: C, the change of the counts from there
    -- to the next changed position; gone and fresh as for the kinds.
    changes AS MATERIALIZED (
        SELECT e.job_id, e.completed_at, e.input_id,
               sum(sum(e.d_completed)) OVER k AS c_completed, sum(sum(e.d_failed)) OVER k AS c_failed,
               NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
               lead(e.completed_at) OVER k AS next_at, lead(e.input_id) OVER k AS next_input
        FROM events e
        GROUP BY e.job_id, e.completed_at, e.input_id
        WINDOW k AS (PARTITION BY e.job_id ORDER BY e.completed_at, e.input_id)),
    deleted AS (
        DELETE FROM jobs_internal.file_timeline t
        USING changes c
        WHERE c.gone AND t.job_id = c.job_id AND t.completed_at = c.completed_at AND t.input_id = c.input_id),
    -- The stretch after a changed position: from it (excluded when it was
    -- removed or added) to the next one (excluded). Input ids are compared
    -- in byte order, the timeline's order.
    updated AS (
        UPDATE jobs_internal.file_timeline t
        SET completed = t.completed + c.c_completed, failed = t.failed + c.c_failed
        FROM changes c
        WHERE (c.c_completed <> 0 OR c.c_failed <> 0)
          AND t.job_id = c.job_id
          AND (t.completed_at, t.input_id) >= (c.completed_at, c.input_id)
          AND (t.completed_at, t.input_id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_input, ''))
          AND NOT ((c.gone OR c.fresh) AND t.completed_at = c.completed_at AND t.input_id = c.input_id))
    INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
    SELECT c.job_id, c.completed_at, c.input_id,
           coalesce(b.completed, 0) + c.c_completed, coalesce(b.failed, 0) + c.c_failed
    -- Last position first, as for the kinds.
    FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.completed_at DESC, c.input_id DESC) c
    LEFT JOIN LATERAL (
        SELECT t.completed, t.failed FROM jobs_internal.file_timeline t
        WHERE t.job_id = c.job_id AND (t.completed_at, t.input_id) < (c.completed_at, c.input_id)
        ORDER BY t.completed_at DESC, t.input_id DESC LIMIT 1) b ON true;
END $$;

-- The statement triggers. SECURITY DEFINER: the timeline tables have no
-- grants, and a trigger function cannot be called directly; the rows it
-- reads passed the writer's own grants and row-level security.
CREATE FUNCTION jobs_internal.maintain_timeline() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    -- A statement reading new_rows (old_rows) is planned only when it runs,
    -- so it is only reached for the events that have that table.
    progress_added jobs.job_progress[] := '{}';
    progress_removed jobs.job_progress[] := '{}';
    inputs_added jobs.job_inputs[] := '{}';
    inputs_removed jobs.job_inputs[] := '{}';
BEGIN
    IF TG_OP = 'TRUNCATE' AND TG_TABLE_NAME = 'job_progress' THEN
        DELETE FROM jobs_internal.kind_timeline;
    ELSIF TG_OP = 'TRUNCATE' THEN
        DELETE FROM jobs_internal.file_timeline;
    ELSIF TG_TABLE_NAME = 'job_progress' THEN
        IF TG_OP <> 'DELETE' THEN progress_added := ARRAY(SELECT n::jobs.job_progress FROM new_rows n); END IF;
        IF TG_OP <> 'INSERT' THEN progress_removed := ARRAY(SELECT o::jobs.job_progress FROM old_rows o); END IF;
        PERFORM jobs_internal.apply_progress_changes(progress_added, progress_removed);
    ELSE
        IF TG_OP <> 'DELETE' THEN inputs_added := ARRAY(SELECT n::jobs.job_inputs FROM new_rows n); END IF;
        IF TG_OP <> 'INSERT' THEN inputs_removed := ARRAY(SELECT o::jobs.job_inputs FROM old_rows o); END IF;
        PERFORM jobs_internal.apply_input_changes(inputs_added, inputs_removed);
    END IF;
    RETURN NULL;
END $$;

-- A deleted job's timeline goes with it (the tables have no foreign key,
-- 60_timeline.sql). Its rows' own cascades find the job gone and skip it.
CREATE FUNCTION jobs_internal.forget_timelines() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM jobs_internal.kind_timeline t WHERE t.job_id IN (SELECT o.id FROM old_rows o);
    DELETE FROM jobs_internal.file_timeline t WHERE t.job_id IN (SELECT o.id FROM old_rows o);
    RETURN NULL;
END $$;

CREATE TRIGGER timeline_delete AFTER DELETE ON jobs.jobs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.forget_timelines();
CREATE TRIGGER timeline_insert AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_update AFTER UPDATE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_delete AFTER DELETE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_truncate AFTER TRUNCATE ON jobs.job_progress
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_insert AFTER INSERT ON jobs.job_inputs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_update AFTER UPDATE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_delete AFTER DELETE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();
CREATE TRIGGER timeline_truncate AFTER TRUNCATE ON jobs.job_inputs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_timeline();

COMMENT ON FUNCTION jobs_internal.stream_rows(text, text, text, timestamptz, bigint, timestamptz, bigint) IS
    'The progress rows of one stream (job, input or null, kind) in [from, to) of (created_at, id) order.';
COMMENT ON FUNCTION jobs_internal.stream_neighbour(text, text, text, timestamptz, bigint, boolean) IS
    'The progress row of one stream just before (or with after, just after) a (created_at, id) position.';
COMMENT ON FUNCTION jobs_internal.appended_progress(jobs.job_progress) IS
    'Timeline maintenance of one progress row after every row of its kind (the live case); false, writing nothing, otherwise.';
COMMENT ON FUNCTION jobs_internal.appended_input(jobs.job_inputs) IS
    'Timeline maintenance of one finished input after every finished input of its job; false, writing nothing, otherwise.';
COMMENT ON FUNCTION jobs_internal.plan_for(integer) IS
    'Timeline maintenance: a cached plan for a small statement, one planned for its size for a big one.';
COMMENT ON FUNCTION jobs_internal.apply_progress_changes(jobs.job_progress[], jobs.job_progress[]) IS
    'Applies one statement''s progress rows added and removed to the kind timeline, set-based (contract §11).';
COMMENT ON FUNCTION jobs_internal.apply_input_changes(jobs.job_inputs[], jobs.job_inputs[]) IS
    'Applies one statement''s inputs added and removed to the file timeline, set-based (contract §11).';
COMMENT ON FUNCTION jobs_internal.forget_timelines() IS
    'Statement trigger on jobs.jobs: a deleted job''s timeline rows are deleted with it (contract §11).';
COMMENT ON FUNCTION jobs_internal.maintain_timeline() IS
    'Statement trigger on job_progress and job_inputs: keeps the timeline equal to its definition (contract §11).';
-- The helpers write the timeline only as the trigger's owner; nobody else
-- needs to run them.
REVOKE EXECUTE ON FUNCTION jobs_internal.apply_progress_changes(jobs.job_progress[], jobs.job_progress[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jobs_internal.apply_input_changes(jobs.job_inputs[], jobs.job_inputs[]) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jobs_internal.appended_progress(jobs.job_progress) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jobs_internal.appended_input(jobs.job_inputs) FROM PUBLIC;

-- The operators' functions for the timeline (docs/contract.md §11): check a
-- job's stored timeline against its definition, rebuild one job, build the
-- jobs still pending in resumable batches.
--
-- Operator-only, like pg_stat_statements_reset: EXECUTE is revoked from
-- PUBLIC, and they are SECURITY DEFINER so that the extension's owner can
-- grant them to a maintenance role that holds no rights on the tables
-- (check_timeline shows counts of every tenant's jobs; a rebuild takes a
-- job's write lock, which must not be open to every role that may read).

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


-- ===== report_progress: the first missing job before the first missing input (contract §7.4 phase 3) =====
CREATE OR REPLACE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
                                     created_ats timestamptz[], metrics jsonb[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_len integer := cardinality(job_ids);
    v_jobs text[];
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
    IF v_len > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'report_progress: a batch holds at most % reports, got %',
            jobs_internal.max_batch_elements(), v_len USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_jobs := ARRAY(SELECT DISTINCT u.id FROM unnest(job_ids) AS u(id) WHERE u.id IS NOT NULL);
    IF cardinality(v_jobs) > jobs_internal.max_batch_jobs() THEN
        RAISE EXCEPTION 'report_progress: a batch names at most % distinct jobs, got %',
            jobs_internal.max_batch_jobs(), cardinality(v_jobs) USING ERRCODE = 'invalid_parameter_value';
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
    PERFORM jobs_internal.check_progress_values(kinds, created_ats, metrics);

    -- Every job visible, every named input present: else PT404, for the
    -- first missing job in byte order, then the first missing input (§7.4).
    SELECT u.job_id, u.input_id INTO v_missing
    FROM (SELECT DISTINCT u.job_id, u.input_id FROM unnest(job_ids, input_ids) AS u(job_id, input_id)) u
    WHERE NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id)
       OR (u.input_id IS NOT NULL
           AND NOT EXISTS (SELECT FROM jobs.job_inputs i WHERE i.job_id = u.job_id AND i.id = u.input_id))
    ORDER BY EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id), u.job_id COLLATE "C",
             u.input_id COLLATE "C" NULLS FIRST
    LIMIT 1;
    IF FOUND THEN
        IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = v_missing.job_id) THEN
            PERFORM jobs_internal.require_visible_job(v_missing.job_id);
        END IF;
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(v_missing.input_id), jobs_internal.echoed_id(v_missing.job_id)));
    END IF;
    PERFORM jobs_internal.lock_jobs(v_jobs);

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


-- ===== The sibling endpoints (contract §12): new columns and caps (src/sql/23_sibling_fields.sql) =====
-- The caps of contract §7.5 on the new values: a message is read by a
-- person in a list, a jsonb value travels in every page that shows it.
CREATE FUNCTION jobs_internal.max_message_bytes() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 4096;
CREATE FUNCTION jobs_internal.max_jsonb_bytes() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 65536;

-- A jsonb value's size is the bytes of its text form (what an answer
-- carries), not its binary size, which depends on the storage.
CREATE FUNCTION jobs_internal.jsonb_bytes(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN octet_length(v::text);

-- created_at: null for inputs stored before 1.1 (their time is not known),
-- now() for every input added since.
ALTER TABLE jobs.job_inputs
    ADD COLUMN port_name text,
    ADD COLUMN file_id text,
    ADD COLUMN data jsonb,
    ADD COLUMN error_message text,
    ADD COLUMN created_at timestamptz,
    ADD CONSTRAINT job_inputs_sibling_fields_valid CHECK (
        port_name <> '' AND octet_length(port_name) <= 512 AND file_id <> '' AND octet_length(file_id) <= 512
        AND coalesce(octet_length(error_message) <= 4096, true)
        AND coalesce(octet_length(data::text) <= 65536, true)
        AND created_at >= '0001-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00');
ALTER TABLE jobs.job_inputs ALTER COLUMN created_at SET DEFAULT now();

ALTER TABLE jobs.job_progress
    ADD COLUMN step bigint,
    ADD COLUMN message text,
    ADD COLUMN payload jsonb,
    ADD COLUMN "index" bigint,
    DROP CONSTRAINT job_progress_names_valid,
    ADD CONSTRAINT job_progress_names_valid CHECK (kind <> '' AND octet_length(kind) <= 512 AND input_id <> '' AND octet_length(input_id) <= 512),
    DROP CONSTRAINT job_progress_created_at_valid,
    ADD CONSTRAINT job_progress_created_at_valid CHECK (created_at >= '0001-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00'),
    ADD CONSTRAINT job_progress_sibling_fields_valid CHECK (
        coalesce(octet_length(message) <= 4096, true)
        AND coalesce(octet_length(payload::text) <= 65536, true));

-- 22001 when a message passes its cap; null passes.
CREATE FUNCTION jobs_internal.require_message(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF octet_length(v) > jobs_internal.max_message_bytes() THEN
        RAISE EXCEPTION '% must be at most % bytes long, got %', what,
            jobs_internal.max_message_bytes(), octet_length(v)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
END $$;

-- 22023 when a jsonb value's text passes its cap; null passes.
CREATE FUNCTION jobs_internal.require_jsonb_size(what text, v jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF jobs_internal.jsonb_bytes(v) > jobs_internal.max_jsonb_bytes() THEN
        RAISE EXCEPTION '% must be at most % bytes as JSON text, got %', what,
            jobs_internal.max_jsonb_bytes(), jobs_internal.jsonb_bytes(v)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- A name that is optional (port_name, file_id): null passes, anything else
-- follows the rules of ids (contract §7.5: length, then alphabet).
CREATE FUNCTION jobs_internal.require_optional_name(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF v IS NOT NULL THEN
        PERFORM jobs_internal.require_text(what, v);
        PERFORM jobs_internal.require_id_alphabet(what, v);
    END IF;
END $$;

-- The clear 22xxx errors for the new values (the CHECKs above hold the same
-- rules should a trigger ever be disabled). Named to fire after "validate"
-- and "validate_id_alphabet".
CREATE FUNCTION jobs_internal.validate_sibling_fields() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_TABLE_NAME = 'job_inputs' THEN
        PERFORM jobs_internal.require_optional_name('input port_name', NEW.port_name);
        PERFORM jobs_internal.require_optional_name('input file_id', NEW.file_id);
        PERFORM jobs_internal.require_jsonb_size('input data', NEW.data);
        PERFORM jobs_internal.require_message('input error_message', NEW.error_message);
        PERFORM jobs_internal.require_time('input created_at', NEW.created_at);
    ELSE
        PERFORM jobs_internal.require_message('progress message', NEW.message);
        PERFORM jobs_internal.require_jsonb_size('progress payload', NEW.payload);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER validate_sibling_fields
    BEFORE INSERT OR UPDATE OF port_name, file_id, data, error_message, created_at ON jobs.job_inputs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_sibling_fields();
CREATE TRIGGER validate_sibling_fields
    BEFORE INSERT OR UPDATE OF message, payload ON jobs.job_progress
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_sibling_fields();

-- ===== The sibling endpoints: counts, rank, indexes (src/sql/46_input_counts.sql) =====

-- Each status's inputs in completion order: the finished ones by
-- (completed_at, id in byte order), the unfinished ones (completed_at null)
-- by id. A keyset page of the list (both directions) reads one range of it
-- per status it shows, so a status filter is a range, not a filter over the
-- job's other inputs, and reference inputs are never read; the rank's count
-- (for a job whose timeline is pending) reads the completed and failed
-- ranges.
CREATE INDEX job_inputs_status_rank_idx ON jobs.job_inputs (job_id, status, completed_at, id COLLATE "C");

-- Inputs per (job, port_name, status), kept by the statement triggers
-- below. Writers of a job already hold its row lock (contract §7.2), so
-- updating these rows adds no contention between jobs and none a writer of
-- the same job did not already wait for; readers never lock. The list's
-- total and the counts then cost one index range of at most
-- (port names × 5) rows, whatever the job's size.
-- Extension-internal: no role but the owner reads or writes it directly.
CREATE TABLE jobs_internal.input_counts (
    job_id    text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    port_name text,
    status    text NOT NULL,
    n         bigint NOT NULL,
    CONSTRAINT input_counts_key UNIQUE NULLS NOT DISTINCT (job_id, port_name, status)
);
-- Derived data, not dumped: restoring job_inputs's rows runs the triggers
-- below, which fill it again.

-- Statement trigger on job_inputs: adds the rows inserted, moves the rows
-- updated, removes the rows deleted, in one set-based statement.
-- SECURITY DEFINER so that input_counts needs no grant; a trigger function
-- cannot be called directly, and the transition rows passed the caller's
-- own row-level security.
CREATE FUNCTION jobs_internal.count_inputs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)
        SELECT r.job_id, r.port_name, r.status, count(*) FROM new_rows r
        GROUP BY r.job_id, r.port_name, r.status
        ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE jobs_internal.input_counts c SET n = c.n - d.n
        FROM (SELECT r.job_id, r.port_name, r.status, count(*) AS n FROM old_rows r
              GROUP BY r.job_id, r.port_name, r.status) d
        WHERE c.job_id = d.job_id AND c.port_name IS NOT DISTINCT FROM d.port_name AND c.status = d.status;
    ELSE
        INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)
        SELECT d.job_id, d.port_name, d.status, sum(d.n) FROM (
            SELECT r.job_id, r.port_name, r.status, 1 AS n FROM new_rows r
            UNION ALL
            SELECT r.job_id, r.port_name, r.status, -1 FROM old_rows r) d
        GROUP BY d.job_id, d.port_name, d.status
        HAVING sum(d.n) <> 0
        ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n;
    END IF;
    RETURN NULL;
END $$;

-- Named to fire after "lock_job"/"lock_job_update" (45_write_lock.sql).
CREATE TRIGGER maintain_input_counts AFTER INSERT ON jobs.job_inputs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.count_inputs();
CREATE TRIGGER maintain_input_counts_update AFTER UPDATE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.count_inputs();
CREATE TRIGGER maintain_input_counts_delete AFTER DELETE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.count_inputs();

-- Readable by every role, row by row as job_inputs is: the policy shows a
-- job's counts to whoever sees the job (40_security.sql), so the counts
-- reveal nothing the inputs themselves would not.
ALTER TABLE jobs_internal.input_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_input_counts ON jobs_internal.input_counts FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = input_counts.job_id));
GRANT SELECT ON jobs_internal.input_counts TO PUBLIC;

-- The counts of a job's inputs with the given port name (null: every port)
-- by status, as the caller may see them (zeros for a hidden job: callers
-- check visibility first).
CREATE FUNCTION jobs_internal.job_input_counts(job_id text, port_name text,
    OUT pending bigint, OUT processing bigint, OUT completed bigint, OUT failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT coalesce(sum(c.n) FILTER (WHERE c.status = 'pending'), 0),
           coalesce(sum(c.n) FILTER (WHERE c.status = 'processing'), 0),
           coalesce(sum(c.n) FILTER (WHERE c.status = 'completed'), 0),
           coalesce(sum(c.n) FILTER (WHERE c.status = 'failed'), 0)
    FROM jobs_internal.input_counts c
    WHERE c.job_id = job_input_counts.job_id
      AND (job_input_counts.port_name IS NULL OR c.port_name = job_input_counts.port_name);
END;

-- Progress reports per (job, kind), kept like input_counts: the log's total
-- for a job or a kind is one index range, not a count of the job's rows.
CREATE TABLE jobs_internal.progress_counts (
    job_id text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    kind   text NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (job_id, kind)
);
ALTER TABLE jobs_internal.progress_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_progress_counts ON jobs_internal.progress_counts FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = progress_counts.job_id));
GRANT SELECT ON jobs_internal.progress_counts TO PUBLIC;

-- Statement trigger on job_progress (rows are appended, and removed only
-- with their job or input). SECURITY DEFINER as count_inputs.
CREATE FUNCTION jobs_internal.count_progress() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO jobs_internal.progress_counts AS c (job_id, kind, n)
        SELECT r.job_id, r.kind, count(*) FROM new_rows r GROUP BY r.job_id, r.kind
        ON CONFLICT (job_id, kind) DO UPDATE SET n = c.n + excluded.n;
    ELSE
        UPDATE jobs_internal.progress_counts c SET n = c.n - d.n
        FROM (SELECT r.job_id, r.kind, count(*) AS n FROM old_rows r GROUP BY r.job_id, r.kind) d
        WHERE c.job_id = d.job_id AND c.kind = d.kind;
    END IF;
    RETURN NULL;
END $$;

-- "maintain_…" fires after "lock_job" (45_write_lock.sql).
CREATE TRIGGER maintain_progress_counts AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.count_progress();
CREATE TRIGGER maintain_progress_counts_delete AFTER DELETE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.count_progress();

-- An input's reports newest first, whatever their kind: the list's
-- latest_progress (one backward probe per input) and the log filtered by
-- input read it.
CREATE INDEX job_progress_input_time_idx ON jobs.job_progress (job_id, input_id, created_at, id);

-- The counts of the rows stored before the update (a fresh install has none).
INSERT INTO jobs_internal.input_counts (job_id, port_name, status, n)
SELECT i.job_id, i.port_name, i.status, count(*) FROM jobs.job_inputs i GROUP BY 1, 2, 3;
INSERT INTO jobs_internal.progress_counts (job_id, kind, n)
SELECT p.job_id, p.kind, count(*) FROM jobs.job_progress p GROUP BY 1, 2;

-- ===== The completion rank by one probe of the file timeline (src/sql/63_input_rank.sql) =====

-- The rank runs as the caller (the list is SECURITY INVOKER), so the caller
-- reads the file timeline and the pending list, row by row as job_inputs:
-- the policy shows a job's rows to whoever sees the job. They reveal
-- nothing the job's inputs would not (ranks and counts of its finished
-- inputs, whether its timeline is built), as input_counts (46_input_counts.sql).
-- The owner (triggers, the trace's reader, the operators' functions) is not
-- subject to these policies.
ALTER TABLE jobs_internal.file_timeline ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_file_timeline ON jobs_internal.file_timeline FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = file_timeline.job_id));
GRANT SELECT ON jobs_internal.file_timeline TO PUBLIC;
ALTER TABLE jobs_internal.timeline_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_timeline_pending ON jobs_internal.timeline_pending FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = timeline_pending.job_id));
GRANT SELECT ON jobs_internal.timeline_pending TO PUBLIC;

-- The completion rank (contract §12.2) of an input finished at completed_at:
-- its 1-based place among the job's finished inputs by (completed_at, id in
-- byte order); null when completed_at is null. Every rank the extension
-- shows comes from here. A job with a built timeline: one probe of
-- file_timeline's primary key, whatever the rank. A job still listed in
-- timeline_pending (§11.5, no timeline rows yet): 1 + the count of its
-- finished inputs before it, over the completed and failed ranges of
-- job_inputs_status_rank_idx (O(rank)), until the operators build it. Both give the same number: the timeline's rows are
-- kept in the writer's transaction (§11.2), so any snapshot sees them equal
-- to the inputs it sees. Runs as the caller: row-level security applies.
CREATE FUNCTION jobs_internal.input_rank(job_id text, completed_at timestamptz, input_id text)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
    WHEN input_rank.completed_at IS NULL THEN NULL
    WHEN NOT EXISTS (SELECT FROM jobs_internal.timeline_pending p WHERE p.job_id = input_rank.job_id) THEN (
        SELECT t.completed + t.failed FROM jobs_internal.file_timeline t
        WHERE t.job_id = input_rank.job_id AND t.completed_at = input_rank.completed_at
          AND t.input_id = input_rank.input_id COLLATE "C")
    ELSE (
        SELECT count(*) FROM jobs.job_inputs i
        WHERE i.job_id = input_rank.job_id AND i.status = ANY (jobs_internal.finished_input_statuses())
          AND (i.completed_at, i.id COLLATE "C") <= (input_rank.completed_at, input_rank.input_id COLLATE "C"))
    END;

-- ===== The sibling endpoints (src/sql/55_sibling_http.sql) =====

-- A time as contract §2.9 writes it (UTC, "Z", the fraction only when not
-- zero, without trailing zeros), whatever the session's TimeZone and
-- DateStyle; null stays null.
CREATE FUNCTION jobs_internal.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '') || 'Z';

-- A value as JSON text: strings and times quoted and escaped, null as null.
CREATE FUNCTION jobs_internal.json_text(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(to_json(v)::text, 'null');
CREATE FUNCTION jobs_internal.json_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jobs_internal.json_text(jobs_internal.rfc3339(t));

-- The list's and the counts' validator (contract §12.5): the job's
-- change_count, which every write to the job or its inputs advances under
-- the job's lock (§7.2), with the job's created_at so that a job deleted
-- and created again under the same id starts a new series of tags. The
-- trace keeps its own ETag (§4.3): latest_event_at does not move when an
-- input is added, starts or gets an error_message.
CREATE FUNCTION jobs_internal.job_version_tag(job_id text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT format('W/"%s-%s"', (extract(epoch FROM j.created_at) * 1000000)::bigint, j.change_count)
        FROM jobs.jobs j WHERE j.id = job_version_tag.job_id);

-- Whether an If-None-Match value matches the weak tag `tag` (RFC 9110
-- §13.1.2, weak comparison, as contract §4.4 reads the list: commas inside
-- quotes do not split, spaces and tabs around elements and empty elements
-- are ignored, "*" matches, W/ is dropped, a bare value is compared as if
-- quoted). Malformed elements never match and never fail.
CREATE FUNCTION jobs_internal.if_none_match_has(header text, tag text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN EXISTS (
    SELECT FROM regexp_matches(header, '(?:[^,"]|"[^"]*(?:"|$))+', 'g') AS m(parts)
    CROSS JOIN LATERAL (SELECT btrim(m.parts[1], E' \t') AS element) e
    CROSS JOIN LATERAL (SELECT CASE WHEN left(e.element, 2) = 'W/' THEN substr(e.element, 3)
                                    ELSE e.element END AS opaque) o
    WHERE e.element = '*'
       OR o.opaque = substr(tag, 3)
       OR (o.opaque !~ '["\s]' AND '"' || o.opaque || '"' = substr(tag, 3)));

-- For a visible job served through PostgREST (request.headers set): sets
-- ETag (the job's version tag), Cache-Control and Vary after whatever
-- response.headers holds (less its ETag and Cache-Control entries, as
-- contract §4.3), and on an If-None-Match hit response.status 304 (412 for
-- methods other than GET and HEAD) and returns true: the caller then returns
-- null without computing the answer. Plain SQL callers: false, no effect.
CREATE FUNCTION jobs_internal.answer_not_modified(job_id text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_request text := nullif(current_setting('request.headers', true), '');
    v_existing jsonb;
    v_tag text;
    v_header jsonb;
    v_method text := upper(nullif(current_setting('request.method', true), ''));
BEGIN
    IF v_request IS NULL THEN
        RETURN false;
    END IF;
    v_tag := jobs_internal.job_version_tag(job_id);
    BEGIN
        v_existing := nullif(current_setting('response.headers', true), '')::jsonb;
        v_header := v_request::jsonb -> 'if-none-match';
    EXCEPTION WHEN invalid_text_representation THEN
        -- Malformed JSON in either setting: no earlier headers, no condition.
        v_existing := coalesce(v_existing, 'null');
    END;
    IF jsonb_typeof(v_existing) IS DISTINCT FROM 'array' THEN
        v_existing := '[]';
    END IF;
    PERFORM set_config('response.headers', ((
        SELECT coalesce(jsonb_agg(e.entry ORDER BY e.n), '[]')
        FROM jsonb_array_elements(v_existing) WITH ORDINALITY e(entry, n)
        WHERE NOT (jsonb_typeof(e.entry) = 'object'
                   AND (SELECT count(*) = 1 AND bool_and(lower(k) IN ('etag', 'cache-control'))
                        FROM jsonb_object_keys(e.entry) k)))
        || jsonb_build_array(jsonb_build_object('ETag', v_tag),
                             jsonb_build_object('Cache-Control', 'private, no-cache'),
                             jsonb_build_object('Vary', 'Authorization')))::text, true);
    IF jsonb_typeof(v_header) IS DISTINCT FROM 'string'
       OR NOT jobs_internal.if_none_match_has(v_header #>> '{}', v_tag) THEN
        RETURN false;
    END IF;
    PERFORM set_config('response.status',
                       CASE WHEN v_method IS NULL OR v_method IN ('GET', 'HEAD') THEN '304' ELSE '412' END, true);
    RETURN true;
END $$;

-- ===== The sibling endpoints (src/sql/56_input_progress.sql) =====

-- The statuses a filter may name: the tracked ones. Reference inputs are
-- never work and never listed.
CREATE FUNCTION jobs_internal.tracked_input_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['pending', 'processing', 'completed', 'failed'];

-- The page size: 100 when not given, 1 to 1000.
CREATE FUNCTION jobs_internal.page_limit(p_limit integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_limit IS NOT NULL AND (p_limit < 1 OR p_limit > 1000) THEN
        RAISE EXCEPTION 'limit must be between 1 and 1000, got %', p_limit
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN coalesce(p_limit, 100);
END $$;

-- The offset: 0 when not given, never negative.
CREATE FUNCTION jobs_internal.page_offset(p_offset bigint) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_offset < 0 THEN
        RAISE EXCEPTION 'offset must not be negative, got %', p_offset
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN coalesce(p_offset, 0);
END $$;

-- A report as the list (latest_progress) and the log (entries) show it,
-- keys in the order each fixes (contract §12.1, §12.4).
CREATE FUNCTION jobs_internal.progress_json(p jobs.job_progress, log_order boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN log_order THEN
    '{"id":' || p.id || ',"kind":' || jobs_internal.json_text(p.kind)
    || ',"step":' || coalesce(p.step::text, 'null') || ',"message":' || jobs_internal.json_text(p.message)
    || ',"metrics":' || p.metrics::text || ',"payload":' || coalesce(p.payload::text, 'null')
    || ',"input_id":' || jobs_internal.json_text(p.input_id) || ',"index":' || coalesce(p."index"::text, 'null')
    || ',"created_at":' || jobs_internal.json_time(p.created_at) || '}'
ELSE
    '{"id":' || p.id || ',"kind":' || jobs_internal.json_text(p.kind)
    || ',"step":' || coalesce(p.step::text, 'null') || ',"metrics":' || p.metrics::text
    || ',"payload":' || coalesce(p.payload::text, 'null') || ',"input_id":' || jobs_internal.json_text(p.input_id)
    || ',"index":' || coalesce(p."index"::text, 'null') || ',"message":' || jobs_internal.json_text(p.message)
    || ',"created_at":' || jobs_internal.json_time(p.created_at) || '}'
END;

-- An input as the list shows it (contract §12.1).
CREATE FUNCTION jobs_internal.input_json(i jobs.job_inputs) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN '{"id":' || jobs_internal.json_text(i.id) || ',"job_id":' || jobs_internal.json_text(i.job_id)
    || ',"port_name":' || jobs_internal.json_text(i.port_name) || ',"file_id":' || jobs_internal.json_text(i.file_id)
    || ',"data":' || coalesce(i.data::text, 'null') || ',"status":' || jobs_internal.json_text(i.status)
    || ',"error_message":' || jobs_internal.json_text(i.error_message)
    || ',"created_at":' || jobs_internal.json_time(i.created_at)
    || ',"completed_at":' || jobs_internal.json_time(i.completed_at) || '}';

-- The statuses of a filter: null or empty means every tracked status;
-- anything else must be tracked statuses (22023 naming the first that is
-- not), duplicates ignored.
CREATE FUNCTION jobs_internal.status_filter(status text[]) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_bad text;
BEGIN
    SELECT s INTO v_bad FROM unnest(status) WITH ORDINALITY u(s, n)
    WHERE s IS NULL OR s <> ALL (jobs_internal.tracked_input_statuses()) ORDER BY n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'status "%" is not one of %', coalesce(v_bad, 'null'),
            array_to_string(jobs_internal.tracked_input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN CASE WHEN cardinality(status) > 0 THEN status ELSE jobs_internal.tracked_input_statuses() END;
END $$;

-- The list (contract §12.1). Order (§12.2): "asc" is completion rank, i.e.
-- finished inputs by (completed_at, id in byte order), then unfinished ones
-- by id in byte order; "desc" is the exact reverse within each part, and
-- the unfinished inputs still come last. `after` is the keyset: the id of
-- the last input of the previous page (same filters and order); the page
-- starts right after it, then skips p_offset. The page reads one range of
-- job_inputs_status_rank_idx per status it shows (at most four), each in
-- index order and stopped after p_offset + p_limit entries, merges them
-- (a sort of at most 4 × (p_offset + p_limit) rows) and probes each row's
-- latest report and rank: a keyset page deep into a job costs what the
-- first page costs, whatever the status filter.
CREATE FUNCTION jobs.input_progress(job_id text, port_name text DEFAULT NULL, statuses text[] DEFAULT NULL,
                                    p_order text DEFAULT 'asc', p_limit integer DEFAULT 100,
                                    p_offset bigint DEFAULT 0, after text DEFAULT NULL)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    v_statuses text[] := jobs_internal.status_filter(statuses);
    v_limit integer := jobs_internal.page_limit(p_limit);
    v_offset bigint := jobs_internal.page_offset(p_offset);
    v_desc boolean;
    v_after jobs.job_inputs;
    v_total bigint;
    v_ranges text;
    v_items text;
BEGIN
    -- null is the default, as for p_limit and p_offset.
    IF p_order NOT IN ('asc', 'desc') THEN
        RAISE EXCEPTION 'order must be asc or desc, got "%"', p_order
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_desc := p_order IS NOT DISTINCT FROM 'desc';
    PERFORM jobs_internal.require_visible_job(job_id);
    IF after IS NOT NULL THEN
        SELECT i.* INTO v_after FROM jobs.job_inputs i WHERE i.job_id = input_progress.job_id AND i.id = after;
        IF NOT FOUND THEN
            PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                jobs_internal.echoed_id(after), jobs_internal.echoed_id(job_id)));
        END IF;
    END IF;
    IF jobs_internal.answer_not_modified(job_id) THEN
        RETURN NULL;
    END IF;
    SELECT c.pending * ('pending' = ANY (v_statuses))::int + c.processing * ('processing' = ANY (v_statuses))::int
         + c.completed * ('completed' = ANY (v_statuses))::int + c.failed * ('failed' = ANY (v_statuses))::int
    INTO v_total FROM jobs_internal.job_input_counts(job_id, port_name) c;

    -- One branch per status, the status a constant so that each branch is
    -- one range of the index: equality on (job_id, status), then the
    -- keyset's row comparison as the range's bound, read forward or
    -- backward. A finished status's inputs all come before the unfinished
    -- ones: a finished `after` (completed_at not null) leaves every
    -- unfinished input after it, an unfinished one leaves no finished input
    -- after it. completed_at is in every ORDER BY (constant null in the
    -- unfinished ranges) so that it is the index's order.
    SELECT string_agg(CASE WHEN jobs_internal.is_finished_input_status(s) THEN format($b$
                (SELECT i, 0 AS part, i.completed_at, i.id COLLATE "C" AS id FROM jobs.job_inputs i
                 WHERE i.job_id = $1 AND i.status = %3$L AND i.completed_at IS NOT NULL
                   AND ($3 IS NULL OR i.port_name = $3)
                   AND ($6 IS NULL OR ($7 IS NOT NULL
                        AND (i.completed_at, i.id COLLATE "C") %2$s ($7, $6 COLLATE "C")))
                 ORDER BY i.completed_at %1$s, i.id COLLATE "C" %1$s
                 LIMIT $4 + $5)$b$, d.dir, d.cmp, s)
            ELSE format($b$
                (SELECT i, 1 AS part, i.completed_at, i.id COLLATE "C" AS id FROM jobs.job_inputs i
                 WHERE i.job_id = $1 AND i.status = %3$L AND i.completed_at IS NULL
                   AND ($3 IS NULL OR i.port_name = $3)
                   AND ($6 IS NULL OR $7 IS NOT NULL OR i.id COLLATE "C" %2$s $6 COLLATE "C")
                 ORDER BY i.completed_at %1$s, i.id COLLATE "C" %1$s
                 LIMIT $4 + $5)$b$, d.dir, d.cmp, s) END,
            ' UNION ALL ' ORDER BY s)
    INTO v_ranges
    FROM (SELECT DISTINCT s FROM unnest(v_statuses) s) u,
         (SELECT CASE WHEN v_desc THEN 'DESC' ELSE 'ASC' END AS dir, CASE WHEN v_desc THEN '<' ELSE '>' END AS cmp) d;

    EXECUTE format($q$
    SELECT string_agg('{"input":' || jobs_internal.input_json(p.i) || ',"latest_progress":'
                      || coalesce(jobs_internal.progress_json(l.p, false), 'null') || ',"step":'
                      || coalesce(jobs_internal.input_rank($1, (p.i).completed_at, (p.i).id)::text, 'null')
                      || '}', ',' ORDER BY p.pos)
    FROM (SELECT f.i, row_number() OVER (ORDER BY f.part, f.completed_at %1$s, f.id %1$s) AS pos
          FROM (%2$s) f
          ORDER BY f.part, f.completed_at %1$s, f.id %1$s
          OFFSET $4 LIMIT $5) p
    LEFT JOIN LATERAL (SELECT r AS p FROM jobs.job_progress r
                       WHERE r.job_id = $1 AND r.input_id = (p.i).id
                       ORDER BY r.created_at DESC, r.id DESC LIMIT 1) l ON true
    $q$, CASE WHEN v_desc THEN 'DESC' ELSE 'ASC' END, v_ranges)
    INTO v_items
    USING job_id, v_statuses, port_name, v_offset, v_limit, (v_after).id, (v_after).completed_at;

    RETURN ('{"job_id":' || jobs_internal.json_text(job_id) || ',"total":' || v_total
            || ',"offset":' || v_offset || ',"limit":' || v_limit
            || ',"items":[' || coalesce(v_items, '') || ']}')::json;
END $$;

-- The counts (contract §12.3).
CREATE FUNCTION jobs.input_progress_counts(job_id text, port_name text DEFAULT NULL)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    IF jobs_internal.answer_not_modified(job_id) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT ('{"job_id":' || jobs_internal.json_text(input_progress_counts.job_id)
                    || ',"pending":' || c.pending || ',"processing":' || c.processing
                    || ',"completed":' || c.completed || ',"failed":' || c.failed || '}')::json
            FROM jobs_internal.job_input_counts(job_id, port_name) c);
END $$;

-- ===== The sibling endpoints (src/sql/57_progress_log.sql) =====

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

-- ===== The sibling endpoints (src/sql/58_progress_summary.sql) =====

-- The trailing window of the throughput (contract §12.6): five minutes, long
-- enough that a steady job's rate does not jump with each finish, short
-- enough that the ETA follows a change of rate within five minutes.
CREATE FUNCTION jobs_internal.throughput_window() RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN interval '300 seconds';

-- The throughput and eta of the summary, computed by the C++ core
-- (src/core/throughput.cpp): `"throughput":{…},"eta":…`. The rates are
-- written as the trace writes bucket_seconds; eta = now + remaining ×
-- window ÷ files, to the microsecond, null for a terminal job or when no
-- input finished in the window.
CREATE FUNCTION jobs_internal.throughput_json(window_start timestamptz, window_end timestamptz,
                                              now timestamptz, files bigint, items float8,
                                              remaining bigint, terminal boolean)
RETURNS text
AS 'MODULE_PATHNAME', 'traces_throughput_json'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp;

-- The items of the trace's last point at `upto` (null: the job's end), as
-- {"<kind>":{"success":n,"failed":n},...} with kinds in byte order, and
-- their sum of success + failed. Read through the trace itself, so the
-- totals are the trace's by construction (contract §2.7, §2.13).
CREATE FUNCTION jobs_internal.items_at(job_id text, upto timestamptz, OUT items text, OUT total numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT '{' || coalesce(string_agg(jobs_internal.json_text(k.key) || ':{"success":' || (k.value ->> 'success')
                                      || ',"failed":' || (k.value ->> 'failed') || '}', ',' ORDER BY k.key COLLATE "C"), '') || '}',
           coalesce(sum((k.value ->> 'success')::numeric + (k.value ->> 'failed')::numeric), 0)
    FROM (SELECT p.items FROM jobs.progress_trace_points(items_at.job_id, 10, NULL, items_at.upto) p
          ORDER BY p.t DESC LIMIT 1) last
    CROSS JOIN LATERAL jsonb_each(last.items) k;
END;

CREATE FUNCTION jobs.progress_summary(job_id text)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    j jobs.jobs;
    c record;
    v_end timestamptz;
    v_start timestamptz;
    v_window_start timestamptz;
    v_files bigint;
    v_items_now record;
    v_items_before numeric := 0;
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    SELECT * INTO j FROM jobs.jobs WHERE id = progress_summary.job_id;
    SELECT * INTO c FROM jobs_internal.job_input_counts(job_id, NULL);
    -- The trace's window (contract §2.3).
    v_end := CASE WHEN jobs_internal.is_terminal_job_status(j.status) THEN j.finished_at ELSE now() END;
    v_start := least(coalesce(j.started_at, j.created_at), v_end - interval '1 second');
    -- The throughput window: the last five minutes of it, or all of it when
    -- shorter; what finished in it is step(end) - step(window start), i.e.
    -- the inputs whose min(completed_at, end) lies after the window's start.
    v_window_start := greatest(v_end - jobs_internal.throughput_window(), v_start);
    IF v_window_start = v_start THEN
        v_files := c.completed + c.failed;
    ELSE
        SELECT count(*) INTO v_files FROM jobs.job_inputs i
        WHERE i.job_id = progress_summary.job_id AND i.completed_at > v_window_start;
        SELECT t.total INTO v_items_before FROM jobs_internal.items_at(job_id, v_window_start) t;
    END IF;
    SELECT * INTO v_items_now FROM jobs_internal.items_at(job_id, NULL) t;
    RETURN ('{"job_id":' || jobs_internal.json_text(job_id)
            || ',"status":' || jobs_internal.json_text(j.status)
            || ',"window":{"start":' || jobs_internal.json_time(v_start) || ',"end":' || jobs_internal.json_time(v_end) || '}'
            || ',"latest_event_at":' || jobs_internal.json_time(jobs.latest_event_at(job_id))
            || ',"counts":{"pending":' || c.pending || ',"processing":' || c.processing
            || ',"completed":' || c.completed || ',"failed":' || c.failed || '}'
            || ',"step":' || (c.completed + c.failed)
            || ',"items":' || v_items_now.items
            || ',' || jobs_internal.throughput_json(v_window_start, v_end, now(), v_files,
                                                    greatest(v_items_now.total - v_items_before, 0)::float8,
                                                    c.pending + c.processing,
                                                    jobs_internal.is_terminal_job_status(j.status))
            || '}')::json;
END $$;

-- ===== The sibling endpoints (src/sql/59_routed_siblings.sql) =====

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

-- ===== The sibling endpoints (src/sql/91_sibling_comments.sql) =====

COMMENT ON COLUMN jobs.job_inputs.port_name IS 'The workflow port the input arrived on, or null (1 to 512 bytes, no control characters).';
COMMENT ON COLUMN jobs.job_inputs.file_id IS 'The file the input refers to, or null (1 to 512 bytes, no control characters).';
COMMENT ON COLUMN jobs.job_inputs.data IS 'The input''s own JSON, shown by the list as stored (at most 64 KiB as text).';
COMMENT ON COLUMN jobs.job_inputs.error_message IS 'Why the input failed (or a note), at most 4096 bytes.';
COMMENT ON COLUMN jobs.job_inputs.created_at IS 'When the input was added; null for inputs stored before version 1.1.';
COMMENT ON COLUMN jobs.job_progress.step IS 'The worker''s own step number, stored as given; unrelated to an input''s completion rank.';
COMMENT ON COLUMN jobs.job_progress.message IS 'The worker''s message, at most 4096 bytes.';
COMMENT ON COLUMN jobs.job_progress.payload IS 'The worker''s JSON, at most 64 KiB as text.';
COMMENT ON COLUMN jobs.job_progress.index IS 'The worker''s index (e.g. of the item within the input), stored as given.';
COMMENT ON TABLE jobs_internal.input_counts IS
    'Inputs per (job, port_name, status), kept by statement triggers under the job''s write lock: the list''s total and the counts.';
COMMENT ON TABLE jobs_internal.progress_counts IS
    'Progress reports per (job, kind), kept by statement triggers under the job''s write lock: the log''s total.';

COMMENT ON FUNCTION jobs.input_progress(text, text, text[], text, integer, bigint, text) IS
    'The job''s tracked inputs with their latest report and completion rank (step), in completion order; keyset by the last input id of the previous page (contract §12.1).';
COMMENT ON FUNCTION jobs.input_progress_counts(text, text) IS
    'The job''s tracked inputs counted by status (pending, processing, completed, failed), optionally of one port (contract §12.3).';
COMMENT ON FUNCTION jobs.progress_log(text, text, text, bigint, integer, bigint) IS
    'The job''s progress reports oldest first, optionally of one kind and/or input; keyset by the last entry id of the previous page (contract §12.4).';
COMMENT ON FUNCTION jobs.progress_summary(text) IS
    'The job at a glance: status, window, counts, step, item totals, throughput over the last five minutes and an ETA (contract §12.6).';
COMMENT ON FUNCTION jobs.input_progress_routed(text, text, text, text, integer, bigint, text) IS
    'jobs.input_progress as deploy/nginx.conf calls it: free-text values as "/" followed by the value, statuses comma-separated.';
COMMENT ON FUNCTION jobs.input_progress_counts_routed(text, text) IS
    'jobs.input_progress_counts as deploy/nginx.conf calls it: free-text values as "/" followed by the value.';
COMMENT ON FUNCTION jobs.progress_log_routed(text, text, text, bigint, integer, bigint) IS
    'jobs.progress_log as deploy/nginx.conf calls it: free-text values as "/" followed by the value.';
COMMENT ON FUNCTION jobs.progress_summary_routed(text) IS
    'jobs.progress_summary as deploy/nginx.conf calls it: the job id as "/" followed by the id.';

COMMENT ON FUNCTION jobs_internal.answer_not_modified(text) IS
    'Through PostgREST: sets ETag (the job''s version tag), Cache-Control and Vary, and on an If-None-Match hit status 304 (412) and returns true.';
COMMENT ON FUNCTION jobs_internal.count_inputs() IS 'Statement trigger on job_inputs: keeps input_counts.';
COMMENT ON FUNCTION jobs_internal.count_progress() IS 'Statement trigger on job_progress: keeps progress_counts.';
COMMENT ON FUNCTION jobs_internal.if_none_match_has(text, text) IS
    'Whether an If-None-Match list matches a weak tag (weak comparison, "*", bare values); malformed elements never match.';
COMMENT ON FUNCTION jobs_internal.input_json(jobs.job_inputs) IS 'An input as the list shows it (contract §12.1), keys in order.';
COMMENT ON FUNCTION jobs_internal.input_rank(text, timestamptz, text) IS
    'The completion rank of an input finished at completed_at: its 1-based place among the job''s finished inputs by (completed_at, id in byte order); one probe of file_timeline, a count while the job''s timeline is pending.';
COMMENT ON FUNCTION jobs_internal.items_at(text, timestamptz) IS
    'The item totals per kind of the trace''s last point at a time (null: the job''s end), as JSON and summed.';
COMMENT ON FUNCTION jobs_internal.job_input_counts(text, text) IS 'The job''s tracked inputs by status, optionally of one port, from input_counts.';
COMMENT ON FUNCTION jobs_internal.job_version_tag(text) IS 'The weak ETag of the list, the counts and the log: the job''s created_at and change_count.';
COMMENT ON FUNCTION jobs_internal.throughput_json(timestamptz, timestamptz, timestamptz, bigint, float8, bigint, boolean) IS
    'The summary''s throughput over its window and eta (now + remaining × window ÷ files finished in it), from the C++ core.';
COMMENT ON FUNCTION jobs_internal.json_text(text) IS 'A text as a JSON string, null as null.';
COMMENT ON FUNCTION jobs_internal.json_time(timestamptz) IS 'A time as a JSON string in the trace''s RFC 3339 form, null as null.';
COMMENT ON FUNCTION jobs_internal.jsonb_bytes(jsonb) IS 'The bytes of a jsonb value''s text form, what the 64 KiB cap measures.';
COMMENT ON FUNCTION jobs_internal.max_jsonb_bytes() IS 'The cap on data and payload, in bytes of JSON text (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_message_bytes() IS 'The cap on message and error_message, in bytes (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.page_limit(integer) IS 'A page size: 100 when null, else 1 to 1000 (22023).';
COMMENT ON FUNCTION jobs_internal.page_offset(bigint) IS 'An offset: 0 when null, never negative (22023).';
COMMENT ON FUNCTION jobs_internal.progress_json(jobs.job_progress, boolean) IS
    'A report as the log (true) or the list''s latest_progress (false) shows it, keys in order.';
COMMENT ON FUNCTION jobs_internal.require_jsonb_size(text, jsonb) IS 'Raises 22023 when a jsonb value passes the 64 KiB cap; null passes.';
COMMENT ON FUNCTION jobs_internal.require_message(text, text) IS 'Raises 22001 when a message passes the 4096-byte cap; null passes.';
COMMENT ON FUNCTION jobs_internal.require_optional_name(text, text) IS 'An optional name (port_name, file_id): null passes, else the rules of ids.';
COMMENT ON FUNCTION jobs_internal.rfc3339(timestamptz) IS 'A time as contract §2.9 writes it (UTC, Z, fraction only when not zero).';
COMMENT ON FUNCTION jobs_internal.status_filter(text[]) IS 'The statuses of a list filter: every tracked status when null or empty; 22023 for any other value.';
COMMENT ON FUNCTION jobs_internal.throughput_window() IS 'The trailing window of the summary''s throughput and ETA (contract §12.6).';
COMMENT ON FUNCTION jobs_internal.tracked_input_statuses() IS 'The statuses of tracked inputs: those the list may filter on.';
COMMENT ON FUNCTION jobs_internal.unslash(text, text) IS 'A routed value: "/" followed by the value gives the value; null stays null; 22023 otherwise.';
COMMENT ON FUNCTION jobs_internal.unslash_job_id(text) IS 'A routed job id: as unslash, and never null (22004).';
COMMENT ON FUNCTION jobs_internal.validate_sibling_fields() IS
    'Trigger: port_name, file_id, data, error_message, created_at, message and payload within their rules (22xxx).';

-- The timeline's probe keys (src/sql/60_timeline.sql): the reader probes a
-- key of fixed-width columns, a hash of (job, kind) or of the job, rather
-- than the primary keys' text columns (contract §11.7).
ALTER TABLE jobs_internal.kind_timeline ADD COLUMN
    probe_key bigint NOT NULL GENERATED ALWAYS AS (hashtextextended(kind, hashtextextended(job_id, 0))) STORED;
CREATE INDEX kind_timeline_probe_idx ON jobs_internal.kind_timeline (probe_key, created_at, id);
ALTER TABLE jobs_internal.file_timeline ADD COLUMN
    probe_key bigint NOT NULL GENERATED ALWAYS AS (hashtextextended(job_id, 0)) STORED;
CREATE INDEX file_timeline_probe_idx ON jobs_internal.file_timeline (probe_key, completed_at, input_id);

-- ===== The write side of the sibling fields (contract §7.1, §7.3; src/sql/47_batch_values.sql,
-- 50_writes.sql): add_inputs, report_progress and finish_input gain trailing parameters, and
-- start_input is new. A function that gains parameters is dropped and created again (never
-- an overload, §7.1); the phase 2 helpers it calls change with it. =====
DROP FUNCTION jobs.add_inputs(text, text[], text);
DROP FUNCTION jobs.finish_input(text, text, text, timestamptz);
DROP FUNCTION jobs.report_progress(text[], text[], text[], timestamptz[], jsonb[]);
DROP FUNCTION jobs_internal.check_input_values(text[], text);
DROP FUNCTION jobs_internal.check_input_element(text, text);
DROP FUNCTION jobs_internal.check_progress_values(text[], timestamptz[], jsonb[]);
DROP FUNCTION jobs_internal.check_progress_element(text, timestamptz, jsonb);
DROP FUNCTION jobs_internal.check_finish_input_values(timestamptz);

-- The filters (issue 11's write budget): a batch whose every element passes
-- its filter is valid, so check_input_values and check_progress_values
-- (below) run their element checks (a plpgsql call per rule and element, in
-- a subtransaction: about 20 µs an element) only when some element does not
-- pass. Each filter is one SQL expression, inlined into the statement that
-- reads the batch, and conservative: it passes only values every rule of
-- its element passes (a count in plain digits, say, where metric_count also
-- reads fractions and exponents); anything else goes to the checks, which
-- decide, so the error a call gets is theirs whatever the filter says.
CREATE FUNCTION jobs_internal.id_passes(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NOT NULL AND jobs_internal.valid_name(v) AND v !~ jobs_internal.control_characters();

CREATE FUNCTION jobs_internal.message_passes(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR octet_length(v) <= jobs_internal.max_message_bytes();

CREATE FUNCTION jobs_internal.jsonb_size_passes(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR jobs_internal.jsonb_bytes(v) <= jobs_internal.max_jsonb_bytes();

-- A counter of metrics metric_count reads without a doubt: absent, or a
-- JSON number printed as at most 18 digits (below 2^63).
CREATE FUNCTION jobs_internal.count_passes(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR (jsonb_typeof(v) = 'number' AND v::text ~ '^[0-9]{1,18}$');

-- require_write_time's rule: t > now() + traces.max_future_skew is refused
-- only for a role under row-level security on tbl.
CREATE FUNCTION jobs_internal.write_time_passes(tbl regclass, t timestamptz) RETURNS boolean
LANGUAGE sql STABLE
RETURN jobs_internal.valid_time(t)
       AND ((t > now()) IS NOT TRUE OR NOT row_security_active(tbl)
            OR (t > now() + jobs_internal.max_future_skew()) IS NOT TRUE);

CREATE FUNCTION jobs_internal.input_element_passes(input_id text, status text, port_name text, file_id text,
                                                   data jsonb, created_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jobs_internal.id_passes(input_id)
       AND status = ANY (jobs_internal.input_statuses()) AND NOT jobs_internal.is_finished_input_status(status)
       AND (port_name IS NULL OR jobs_internal.id_passes(port_name))
       AND (file_id IS NULL OR jobs_internal.id_passes(file_id))
       AND jobs_internal.jsonb_size_passes(data) AND jobs_internal.valid_time(created_at);

CREATE FUNCTION jobs_internal.progress_element_passes(kind text, created_at timestamptz, metrics jsonb,
                                                      message text, payload jsonb) RETURNS boolean
LANGUAGE sql STABLE
RETURN jobs_internal.id_passes(kind) AND jobs_internal.write_time_passes('jobs.job_progress', created_at)
       AND jsonb_typeof(metrics) = 'object'
       AND jobs_internal.count_passes(metrics -> 'success') AND jobs_internal.count_passes(metrics -> 'failed')
       AND jobs_internal.message_passes(message) AND jobs_internal.jsonb_size_passes(payload);

-- add_inputs: each input id (a name of the id alphabet) with the batch's
-- status, as the row it would insert (no completed_at), then its port name,
-- file id, data and created_at (a null created_at becomes now(); like the
-- trigger, no future-skew rule: it records when the input was added).
CREATE FUNCTION jobs_internal.check_input_element(input_id text, status text, port_name text, file_id text,
                                                  data jsonb, created_at timestamptz) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input id', input_id);
    PERFORM jobs_internal.require_id_alphabet('input id', input_id);
    PERFORM jobs_internal.require_input_state(input_id, status, NULL);
    PERFORM jobs_internal.require_optional_name('input port_name', port_name);
    PERFORM jobs_internal.require_optional_name('input file_id', file_id);
    PERFORM jobs_internal.require_jsonb_size('input data', data);
    PERFORM jobs_internal.require_time('input created_at', created_at);
END $$;

-- The trailing arrays may be null ("null for every element"): unnest pads
-- them with nulls.
CREATE FUNCTION jobs_internal.check_input_values(input_ids text[], status text, port_names text[],
                                                 file_ids text[], data jsonb[], created_ats timestamptz[])
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_elements refcursor;
BEGIN
    IF NOT EXISTS (SELECT FROM unnest(input_ids, port_names, file_ids, data, created_ats)
                                    AS u(input_id, port_name, file_id, data, created_at)
                   WHERE jobs_internal.input_element_passes(u.input_id, status, u.port_name, u.file_id,
                                                            u.data, u.created_at) IS NOT TRUE) THEN
        RETURN;
    END IF;
    OPEN v_elements FOR SELECT jobs_internal.check_input_element(u.input_id, status, u.port_name, u.file_id,
                                                                 u.data, u.created_at)
                        FROM unnest(input_ids, port_names, file_ids, data, created_ats)
                             AS u(input_id, port_name, file_id, data, created_at);
    PERFORM jobs_internal.check_elements(v_elements);
END $$;

-- report_progress: each report's kind, created_at, metrics, message and
-- payload (job and input ids are looked up in phase 3; null job ids and
-- created_ats are refused in phase 1; step and index are any bigint).
CREATE FUNCTION jobs_internal.check_progress_element(kind text, created_at timestamptz, metrics jsonb,
                                                     message text, payload jsonb)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('progress kind', kind);
    PERFORM jobs_internal.require_id_alphabet('progress kind', kind);
    PERFORM jobs_internal.require_write_time('progress created_at', 'jobs.job_progress', created_at);
    PERFORM jobs_internal.require_not_null('progress metrics', metrics);
    PERFORM jobs_internal.metric_count(metrics, 'success'), jobs_internal.metric_count(metrics, 'failed');
    PERFORM jobs_internal.require_message('progress message', message);
    PERFORM jobs_internal.require_jsonb_size('progress payload', payload);
END $$;

CREATE FUNCTION jobs_internal.check_progress_values(kinds text[], created_ats timestamptz[], metrics jsonb[],
                                                    messages text[], payloads jsonb[])
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_elements refcursor;
BEGIN
    IF NOT EXISTS (SELECT FROM unnest(kinds, created_ats, metrics, messages, payloads)
                                    AS u(kind, created_at, metrics, message, payload)
                   WHERE jobs_internal.progress_element_passes(u.kind, u.created_at, u.metrics,
                                                               u.message, u.payload) IS NOT TRUE) THEN
        RETURN;
    END IF;
    OPEN v_elements FOR SELECT jobs_internal.check_progress_element(u.kind, u.created_at, u.metrics,
                                                                    u.message, u.payload)
                        FROM unnest(kinds, created_ats, metrics, messages, payloads)
                             AS u(kind, created_at, metrics, message, payload);
    PERFORM jobs_internal.check_elements(v_elements);
END $$;

CREATE FUNCTION jobs_internal.check_finish_input_values(completed_at timestamptz, error_message text)
RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('input completed_at', 'jobs.job_inputs', completed_at),
           jobs_internal.require_message('input error_message', error_message);
END;

-- Phase 1 for the trailing arrays of contract §7.1: each that is not null
-- (a null one is null for every element) has the first array's length,
-- else 2202E naming both lengths, the first offender in signature order.
CREATE FUNCTION jobs_internal.require_parallel(fn text, first text, first_length integer,
                                               names text[], lengths integer[]) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_bad integer := (SELECT min(u.n) FROM unnest(lengths) WITH ORDINALITY AS u(l, n)
                      WHERE u.l IS DISTINCT FROM first_length AND u.l IS NOT NULL);
BEGIN
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION '%: the arrays must have equal lengths (% %, % %)',
            fn, first, first_length, names[v_bad], lengths[v_bad]
            USING ERRCODE = 'array_subscript_error';
    END IF;
END $$;

-- What start_input and finish_input answer when their UPDATE found no row
-- to change: false when the input already has the status the call would
-- give it (a repeat); PT404 when it does not exist; PT409 naming its status
-- otherwise (contract §6.4, §6.7).
CREATE FUNCTION jobs_internal.input_repeat(job_id text, input_id text, status text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_status text;
BEGIN
    SELECT i.status INTO v_status FROM jobs.job_inputs i
    WHERE i.job_id = input_repeat.job_id AND i.id = input_repeat.input_id;
    IF NOT FOUND THEN
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(input_id), jobs_internal.echoed_id(job_id)));
    ELSIF v_status = status THEN
        RETURN false;
    END IF;
    PERFORM jobs_internal.raise_error('PT409', format('input "%s" of job "%s" is already %s',
                                             jobs_internal.echoed_id(input_id), jobs_internal.echoed_id(job_id), v_status));
    RETURN NULL;  -- not reached: raise_error always raises
END $$;

-- Adds inputs (one status for the batch, pending by default) with their
-- port names, file ids, data and created_at (parallel to input_ids; a null
-- array or element stores null, created_at now()); inputs that exist are
-- left as they are, whatever their fields, and the first occurrence of an id
-- in the batch wins (contract §7.3). Returns how many were added.
CREATE FUNCTION jobs.add_inputs(job_id text, input_ids text[], status text DEFAULT 'pending',
                                port_names text[] DEFAULT NULL, file_ids text[] DEFAULT NULL,
                                data jsonb[] DEFAULT NULL, created_ats timestamptz[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_count bigint;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF input_ids IS NULL THEN
        RAISE EXCEPTION 'input_ids must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs_internal.require_parallel('add_inputs', 'input_ids', cardinality(input_ids),
        ARRAY['port_names', 'file_ids', 'data', 'created_ats'],
        ARRAY[cardinality(port_names), cardinality(file_ids), cardinality(data), cardinality(created_ats)]);
    IF cardinality(input_ids) > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'add_inputs: a call adds at most % inputs, got % (job "%")',
            jobs_internal.max_batch_elements(), cardinality(input_ids), job_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- A big batch is planned for its size (see the top of this file).
    IF cardinality(input_ids) > 100 THEN
        PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    END IF;
    PERFORM jobs_internal.check_input_values(input_ids, status, port_names, file_ids, data, created_ats);
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    -- A call of 1.0's form names 1.0's columns only: a role granted INSERT
    -- on those alone (as 1.0's deployments are) keeps adding inputs; the
    -- column default gives created_at.
    IF port_names IS NULL AND file_ids IS NULL AND data IS NULL AND created_ats IS NULL THEN
        INSERT INTO jobs.job_inputs (job_id, id, status)
        SELECT add_inputs.job_id, i.id, add_inputs.status
        FROM (SELECT DISTINCT u.id FROM unnest(input_ids) AS u(id)) i
        ORDER BY i.id
        ON CONFLICT ON CONSTRAINT job_inputs_pkey DO NOTHING;
    ELSE
        INSERT INTO jobs.job_inputs (job_id, id, status, port_name, file_id, data, created_at)
        SELECT add_inputs.job_id, i.id, add_inputs.status, i.port_name, i.file_id, i.data,
               coalesce(i.created_at, now())
        FROM (SELECT DISTINCT ON (u.id) u.*
              FROM unnest(input_ids, port_names, file_ids, data, created_ats)
                   WITH ORDINALITY AS u(id, port_name, file_id, data, created_at, n)
              ORDER BY u.id, u.n) i
        ORDER BY i.id
        ON CONFLICT ON CONSTRAINT job_inputs_pkey DO NOTHING;
    END IF;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

-- Moves a pending input to processing (contract §6.7). True when it did;
-- false when it was processing already (a repeat); PT409 when it has
-- finished or is a reference input; PT404 when the job is not visible or the
-- input does not exist.
CREATE FUNCTION jobs.start_input(job_id text, input_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF input_id IS NULL THEN
        RAISE EXCEPTION 'input_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    UPDATE jobs.job_inputs i SET status = 'processing'
    WHERE i.job_id = start_input.job_id AND i.id = start_input.input_id AND i.status = 'pending';
    IF FOUND THEN
        RETURN true;
    END IF;
    RETURN jobs_internal.input_repeat(job_id, input_id, 'processing');
END $$;

-- Finishes an input as completed or failed at completed_at, with an
-- optional error_message (stored as given, on either status). True when it
-- did; false when it was already finished with that status (the first
-- finish, its time and its error_message stay); PT409 when finished with
-- the other status or when it is a reference input (never tracked work).
CREATE FUNCTION jobs.finish_input(job_id text, input_id text, status text,
                                  completed_at timestamptz DEFAULT now(), error_message text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    ELSIF status IS NULL OR input_id IS NULL THEN
        RAISE EXCEPTION 'input_id and status must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT jobs_internal.is_finished_input_status(status) THEN
        RAISE EXCEPTION 'an input finishes as %, not "%"',
            jobs_internal.or_list(jobs_internal.finished_input_statuses()), status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF (jobs_internal.write_time_passes('jobs.job_inputs', completed_at)
        AND jobs_internal.message_passes(error_message)) IS NOT TRUE THEN
        PERFORM jobs_internal.check_finish_input_values(completed_at, error_message);
    END IF;
    PERFORM jobs_internal.require_visible_job(job_id);
    PERFORM jobs_internal.lock_jobs(ARRAY[job_id]);
    -- Without an error_message, 1.0's statement: a role granted UPDATE on
    -- status and completed_at alone keeps finishing inputs.
    IF error_message IS NULL THEN
        UPDATE jobs.job_inputs i SET status = finish_input.status, completed_at = finish_input.completed_at
        WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id
          AND i.completed_at IS NULL AND i.status <> 'reference';
    ELSE
        UPDATE jobs.job_inputs i SET status = finish_input.status, completed_at = finish_input.completed_at,
                                     error_message = finish_input.error_message
        WHERE i.job_id = finish_input.job_id AND i.id = finish_input.input_id
          AND i.completed_at IS NULL AND i.status <> 'reference';
    END IF;
    IF FOUND THEN
        RETURN true;
    END IF;
    RETURN jobs_internal.input_repeat(job_id, input_id, status);
END $$;

-- Appends a batch of progress reports, one per array position (the arrays
-- are parallel and of equal length; input_ids elements may be null for
-- job-level reports; steps, messages, payloads and indexes may be null
-- arrays, null for every report). Jobs may differ within a batch. Reports
-- equal in their whole content to a stored row, or to an earlier one of the
-- batch, are skipped (contract §7.3, and the top of this file). Returns how
-- many rows were stored.
--
-- Concurrent retries of one batch must not both insert: the batch takes
-- each job's write lock (in byte order of id, so batches never deadlock)
-- after the visibility check, and the duplicate check runs after it, in a
-- statement whose snapshot sees whatever the lock holder committed.
CREATE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
                                     created_ats timestamptz[], metrics jsonb[],
                                     steps bigint[] DEFAULT NULL, messages text[] DEFAULT NULL,
                                     payloads jsonb[] DEFAULT NULL, indexes bigint[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
    v_len integer := cardinality(job_ids);
    v_jobs text[];
    v_missing record;
    v_old_form boolean;
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
    IF coalesce(cardinality(steps), v_len) <> v_len OR coalesce(cardinality(messages), v_len) <> v_len
       OR coalesce(cardinality(payloads), v_len) <> v_len OR coalesce(cardinality(indexes), v_len) <> v_len THEN
        PERFORM jobs_internal.require_parallel('report_progress', 'job_ids', v_len,
            ARRAY['steps', 'messages', 'payloads', 'indexes'],
            ARRAY[cardinality(steps), cardinality(messages), cardinality(payloads), cardinality(indexes)]);
    END IF;
    -- A big batch is planned for its size (see the top of this file).
    IF v_len > 100 THEN
        PERFORM set_config('plan_cache_mode', 'force_custom_plan', true);
    END IF;
    IF v_len > jobs_internal.max_batch_elements() THEN
        RAISE EXCEPTION 'report_progress: a batch holds at most % reports, got %',
            jobs_internal.max_batch_elements(), v_len USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_jobs := ARRAY(SELECT DISTINCT u.id FROM unnest(job_ids) AS u(id) WHERE u.id IS NOT NULL);
    IF cardinality(v_jobs) > jobs_internal.max_batch_jobs() THEN
        RAISE EXCEPTION 'report_progress: a batch names at most % distinct jobs, got %',
            jobs_internal.max_batch_jobs(), cardinality(v_jobs) USING ERRCODE = 'invalid_parameter_value';
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
    PERFORM jobs_internal.check_progress_values(kinds, created_ats, metrics, messages, payloads);

    -- Every job visible, every named input present: else PT404, for the
    -- first missing job in byte order, then the first missing input (§7.4).
    -- OFFSET 0 keeps each EXISTS a probe of the primary key per element: a
    -- plan that guesses 10 elements (the generic plan, see the top of this
    -- file) would otherwise hash every row of jobs and job_inputs the
    -- caller can see once the tables are analyzed and small.
    SELECT u.job_id, u.input_id INTO v_missing
    FROM (SELECT DISTINCT u.job_id, u.input_id FROM unnest(job_ids, input_ids) AS u(job_id, input_id)) u
    WHERE NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id OFFSET 0)
       OR (u.input_id IS NOT NULL
           AND NOT EXISTS (SELECT FROM jobs.job_inputs i WHERE i.job_id = u.job_id AND i.id = u.input_id OFFSET 0))
    ORDER BY EXISTS (SELECT FROM jobs.jobs j WHERE j.id = u.job_id OFFSET 0), u.job_id COLLATE "C",
             u.input_id COLLATE "C" NULLS FIRST
    LIMIT 1;
    IF FOUND THEN
        IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = v_missing.job_id) THEN
            PERFORM jobs_internal.require_visible_job(v_missing.job_id);
        END IF;
        PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                                                 jobs_internal.echoed_id(v_missing.input_id), jobs_internal.echoed_id(v_missing.job_id)));
    END IF;
    PERFORM jobs_internal.lock_jobs(v_jobs);

    -- A call of 1.0's form (no step, message, payload or index for any
    -- report: null arrays, or arrays of nulls as the proxy sends them, since
    -- it cannot split a null array) names 1.0's columns only, so that a role granted INSERT on
    -- those alone (as 1.0's deployments are) keeps reporting; its duplicates
    -- are stored rows whose new fields are null.
    --
    -- The duplicate probes each use job_progress_stream_idx
    -- (job_id, input_id, kind, created_at): one branch per input_id nullness
    -- so that both are index conditions; the rest of a report's content
    -- (contract §7.3) is compared on the rows they find.
    v_old_form := steps IS NULL AND messages IS NULL AND payloads IS NULL AND indexes IS NULL;
    IF NOT v_old_form THEN
        v_old_form := NOT EXISTS (SELECT FROM unnest(steps, messages, payloads, indexes) AS u(step, message, payload, "index")
                                  WHERE u.step IS NOT NULL OR u.message IS NOT NULL OR u.payload IS NOT NULL
                                     OR u."index" IS NOT NULL);
    END IF;
    IF v_old_form THEN
        INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
        SELECT r.job_id, r.input_id, r.kind, r.created_at, r.metrics
        FROM (SELECT DISTINCT ON (u.job_id, u.input_id, u.kind, u.created_at, u.metrics) u.*
              FROM unnest(job_ids, input_ids, kinds, created_ats, metrics)
                   WITH ORDINALITY AS u(job_id, input_id, kind, created_at, metrics, n)
              ORDER BY u.job_id, u.input_id, u.kind, u.created_at, u.metrics, u.n) r
        WHERE CASE WHEN r.input_id IS NULL
                   THEN NOT EXISTS (SELECT FROM jobs.job_progress p
                                    WHERE p.job_id = r.job_id AND p.input_id IS NULL AND p.kind = r.kind
                                      AND p.created_at = r.created_at AND p.metrics = r.metrics
                                      AND p.step IS NULL AND p.message IS NULL
                                      AND p.payload IS NULL AND p."index" IS NULL)
                   ELSE NOT EXISTS (SELECT FROM jobs.job_progress p
                                    WHERE p.job_id = r.job_id AND p.input_id = r.input_id AND p.kind = r.kind
                                      AND p.created_at = r.created_at AND p.metrics = r.metrics
                                      AND p.step IS NULL AND p.message IS NULL
                                      AND p.payload IS NULL AND p."index" IS NULL)
              END
        ORDER BY r.n;
    ELSE
        INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics, step, message, payload, "index")
        SELECT r.job_id, r.input_id, r.kind, r.created_at, r.metrics, r.step, r.message, r.payload, r."index"
        FROM (SELECT DISTINCT ON (u.job_id, u.input_id, u.kind, u.created_at, u.metrics,
                                  u.step, u.message, u.payload, u."index") u.*
              FROM unnest(job_ids, input_ids, kinds, created_ats, metrics, steps, messages, payloads, indexes)
                   WITH ORDINALITY AS u(job_id, input_id, kind, created_at, metrics, step, message, payload, "index", n)
              ORDER BY u.job_id, u.input_id, u.kind, u.created_at, u.metrics,
                       u.step, u.message, u.payload, u."index", u.n) r
        WHERE CASE WHEN r.input_id IS NULL
                   THEN NOT EXISTS (SELECT FROM jobs.job_progress p
                                    WHERE p.job_id = r.job_id AND p.input_id IS NULL AND p.kind = r.kind
                                      AND p.created_at = r.created_at AND p.metrics = r.metrics
                                      AND p.step IS NOT DISTINCT FROM r.step
                                      AND p.message IS NOT DISTINCT FROM r.message
                                      AND p.payload IS NOT DISTINCT FROM r.payload
                                      AND p."index" IS NOT DISTINCT FROM r."index")
                   ELSE NOT EXISTS (SELECT FROM jobs.job_progress p
                                    WHERE p.job_id = r.job_id AND p.input_id = r.input_id AND p.kind = r.kind
                                      AND p.created_at = r.created_at AND p.metrics = r.metrics
                                      AND p.step IS NOT DISTINCT FROM r.step
                                      AND p.message IS NOT DISTINCT FROM r.message
                                      AND p.payload IS NOT DISTINCT FROM r.payload
                                      AND p."index" IS NOT DISTINCT FROM r."index")
              END
        ORDER BY r.n;
    END IF;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

COMMENT ON FUNCTION jobs_internal.check_input_element(text, text, text, text, jsonb, timestamptz) IS
    'One input of add_inputs: its id, the batch''s status, port_name, file_id, data and created_at, as the triggers check the row.';
COMMENT ON FUNCTION jobs_internal.check_progress_element(text, timestamptz, jsonb, text, jsonb) IS
    'One report of report_progress: its kind, created_at, metrics, message and payload, as the triggers check the row.';
COMMENT ON FUNCTION jobs_internal.check_input_values(text[], text, text[], text[], jsonb[], timestamptz[]) IS
    'Phase 2 of add_inputs (contract §7.4): the lowest bad input id, status, port_name, file_id, data or created_at, with DETAIL naming the element.';
COMMENT ON FUNCTION jobs_internal.id_passes(text) IS
    'Filter of phase 2: an id or kind every rule passes (not null, 1 to 512 bytes, no control character).';
COMMENT ON FUNCTION jobs_internal.message_passes(text) IS
    'Filter of phase 2: a message require_message passes (null, or at most 4096 bytes).';
COMMENT ON FUNCTION jobs_internal.jsonb_size_passes(jsonb) IS
    'Filter of phase 2: a data or payload require_jsonb_size passes (null, or at most 64 KiB as text).';
COMMENT ON FUNCTION jobs_internal.count_passes(jsonb) IS
    'Filter of phase 2: a metrics counter metric_count reads (absent, or a number printed as at most 18 digits).';
COMMENT ON FUNCTION jobs_internal.write_time_passes(regclass, timestamptz) IS
    'Filter of phase 2: a time require_write_time passes (valid, and not beyond traces.max_future_skew for roles under row-level security on the table).';
COMMENT ON FUNCTION jobs_internal.input_element_passes(text, text, text, text, jsonb, timestamptz) IS
    'Filter of phase 2: an add_inputs element check_input_element passes; false sends the batch to the element checks.';
COMMENT ON FUNCTION jobs_internal.progress_element_passes(text, timestamptz, jsonb, text, jsonb) IS
    'Filter of phase 2: a report_progress element check_progress_element passes; false sends the batch to the element checks.';
COMMENT ON FUNCTION jobs_internal.check_progress_values(text[], timestamptz[], jsonb[], text[], jsonb[]) IS
    'Phase 2 of report_progress (contract §7.4): the lowest bad kind, created_at, metrics, message or payload, with DETAIL naming the element.';
COMMENT ON FUNCTION jobs_internal.check_finish_input_values(timestamptz, text) IS
    'Phase 2 of finish_input: completed_at is a valid, not-future time; error_message is at most 4096 bytes.';
COMMENT ON FUNCTION jobs_internal.require_parallel(text, text, integer, text[], integer[]) IS
    'Phase 1 of a write (contract §7.4): 2202E when a non-null trailing array''s length differs from the first array''s.';
COMMENT ON FUNCTION jobs_internal.input_repeat(text, text, text) IS
    'start_input and finish_input when nothing changed: false for a repeat (the input has that status), else PT404 or PT409.';
COMMENT ON FUNCTION jobs.add_inputs(text, text[], text, text[], text[], jsonb[], timestamptz[]) IS
    'Adds inputs to a visible job, with optional parallel port names, file ids, data and created_at (existing ones are left as they are); returns how many were added.';
COMMENT ON FUNCTION jobs.start_input(text, text) IS
    'Moves a pending input to processing; false when it is processing already, PT409 when it has finished or is a reference input.';
COMMENT ON FUNCTION jobs.finish_input(text, text, text, timestamptz, text) IS
    'Finishes an input as completed or failed, with an optional error_message; false when already finished so (the first finish stays), PT409 when finished otherwise.';
COMMENT ON FUNCTION jobs.report_progress(text[], text[], text[], timestamptz[], jsonb[], bigint[], text[], jsonb[], bigint[]) IS
    'Appends a batch of progress reports (parallel arrays, optional steps, messages, payloads and indexes); reports equal in their whole content to a stored one are skipped; returns how many were stored.';

-- ===== One row trigger per table, one statement trigger after the lock per table and event
-- (issue 11's write budget: src/sql/24_row_validation.sql, 45_write_lock.sql, 46_input_counts.sql,
-- 61_timeline_maintenance.sql) =====
-- The alphabet and the sibling fields' caps join the "validate" triggers.
DROP TRIGGER validate_id_alphabet ON jobs.jobs;
DROP TRIGGER validate_id_alphabet ON jobs.job_inputs;
DROP TRIGGER validate_id_alphabet ON jobs.job_progress;
DROP TRIGGER validate_sibling_fields ON jobs.job_inputs;
DROP TRIGGER validate_sibling_fields ON jobs.job_progress;
DROP FUNCTION jobs_internal.validate_id_alphabet();
DROP FUNCTION jobs_internal.validate_sibling_fields();

CREATE OR REPLACE FUNCTION jobs_internal.validate_job() RETURNS trigger
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

CREATE OR REPLACE FUNCTION jobs_internal.validate_job_input() RETURNS trigger
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

CREATE OR REPLACE FUNCTION jobs_internal.validate_job_progress() RETURNS trigger
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

-- The kinds, the counts and the timeline: one trigger per table and event,
-- reading the transition tables where they are (no arrays of rows).
DROP TRIGGER record_kinds ON jobs.job_progress;
DROP TRIGGER maintain_progress_counts ON jobs.job_progress;
DROP TRIGGER maintain_progress_counts_delete ON jobs.job_progress;
DROP TRIGGER maintain_input_counts ON jobs.job_inputs;
DROP TRIGGER maintain_input_counts_update ON jobs.job_inputs;
DROP TRIGGER maintain_input_counts_delete ON jobs.job_inputs;
DROP TRIGGER timeline_insert ON jobs.job_progress;
DROP TRIGGER timeline_update ON jobs.job_progress;
DROP TRIGGER timeline_delete ON jobs.job_progress;
DROP TRIGGER timeline_truncate ON jobs.job_progress;
DROP TRIGGER timeline_insert ON jobs.job_inputs;
DROP TRIGGER timeline_update ON jobs.job_inputs;
DROP TRIGGER timeline_delete ON jobs.job_inputs;
DROP TRIGGER timeline_truncate ON jobs.job_inputs;
DROP FUNCTION jobs_internal.record_kinds();
DROP FUNCTION jobs_internal.count_progress();
DROP FUNCTION jobs_internal.count_inputs();
DROP FUNCTION jobs_internal.maintain_timeline();
DROP FUNCTION jobs_internal.apply_progress_changes(jobs.job_progress[], jobs.job_progress[]);
DROP FUNCTION jobs_internal.apply_input_changes(jobs.job_inputs[], jobs.job_inputs[]);

-- The one statement trigger after the lock per table and event (contract
-- §7.6): the kinds and their caps (§7.5), the counts (§12) and the timeline
-- (§11), in that order, for the statement's rows. Each reads the statement's
-- transition tables (new_rows, old_rows) where they are: transition tables
-- are visible only in the trigger function itself, and copying them into
-- arrays for a helper would make a bulk statement's memory grow with its
-- rows (an array of 5M rows passes the 1 GB cap of a value). Each statement
-- below is one set; nothing is row by row, nothing holds the rows in memory
-- beyond what its plan sorts or hashes (spilling to disk like any query).
--
-- SECURITY DEFINER: job_kinds, the counts and the timeline have no grants,
-- and a trigger function cannot be called directly; the rows it reads passed
-- the writer's own grants and row-level security. The lock is not taken
-- here: it is taken as the writer (grants and row-level security decide who
-- may take it, §7.2) by "lock_job*" (45_write_lock.sql), which fires just
-- before (AFTER triggers of one event fire in name order).
--
-- The general statement of each table is one text run by EXECUTE, its
-- sources (%1$s: rows added, %2$s: rows removed) chosen per event: a
-- statement naming old_rows cannot even be planned in an INSERT's trigger,
-- and INSERT, UPDATE and DELETE must all reach it. It is planned for each
-- statement that gets there (late rows, backfills, updates, deletes); the
-- live cases (a row or a batch at the tail) take the static paths above it,
-- whose plans are cached.
CREATE FUNCTION jobs_internal.maintain_progress_sets() RETURNS trigger
-- jit off: a big statement's estimates cross jit_above_cost, and compiling
-- cost more than the statement (as for the trace functions, contract §10).
-- plan_cache_mode: see jobs_internal.plan_for.
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    -- A statement reading new_rows (old_rows) is planned only when it runs,
    -- so it is only reached for the events that have that table.
    n_added bigint := 0;
    n_removed bigint := 0;
    one_row jobs.job_progress;
    capped record;
    new_jobs text[];
    new_kinds text[];
    added_rows text := '(SELECT * FROM jobs.job_progress WHERE false)';
    removed_rows text := '(SELECT * FROM jobs.job_progress WHERE false)';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM jobs_internal.kind_timeline;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        n_added := (SELECT count(*) FROM new_rows);
        added_rows := 'new_rows';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        n_removed := (SELECT count(*) FROM old_rows);
        removed_rows := 'old_rows';
    END IF;
    IF n_added + n_removed = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM jobs_internal.plan_for(least(n_added + n_removed, 1000000)::integer);

    IF TG_OP = 'INSERT' THEN
        -- The kinds: records those the statement inserted and refuses
        -- (22023) a job whose new kinds pass a cap, naming the job, the cap,
        -- the value and the greatest new kind in byte order.
        WITH added AS (
            INSERT INTO jobs_internal.job_kinds AS k (job_id, kind)
            SELECT DISTINCT n.job_id, n.kind FROM new_rows n
            ON CONFLICT DO NOTHING
            RETURNING k.job_id, k.kind),
        per_job AS (
            SELECT a.job_id, count(*) AS kinds, sum(octet_length(a.kind)) AS bytes,
                   max(a.kind COLLATE "C") AS kind
            FROM added a GROUP BY a.job_id)
        SELECT p.job_id, p.kind, p.kinds + s.kinds AS kinds, p.bytes + coalesce(s.bytes, 0) AS bytes INTO capped
        FROM per_job p
        CROSS JOIN LATERAL (SELECT count(*) AS kinds, sum(octet_length(k.kind)) AS bytes
                            FROM jobs_internal.job_kinds k WHERE k.job_id = p.job_id) s
        WHERE p.kinds + s.kinds > jobs_internal.max_kinds_per_job()
           OR p.bytes + coalesce(s.bytes, 0) > jobs_internal.max_kind_bytes_per_job()
        ORDER BY p.job_id COLLATE "C"
        LIMIT 1;
        IF NOT FOUND THEN
            NULL;
        ELSIF capped.kinds > jobs_internal.max_kinds_per_job() THEN
            RAISE EXCEPTION 'job "%" would have % distinct progress kinds, more than the cap of % (kind "%" refused)',
                capped.job_id, capped.kinds, jobs_internal.max_kinds_per_job(), capped.kind
                USING ERRCODE = 'invalid_parameter_value';
        ELSE
            RAISE EXCEPTION 'job "%" would have % bytes of distinct progress kind names, more than the cap of % (kind "%" refused)',
                capped.job_id, capped.bytes, jobs_internal.max_kind_bytes_per_job(), capped.kind
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- The counts (46_input_counts.sql).
        INSERT INTO jobs_internal.progress_counts AS c (job_id, kind, n)
        SELECT r.job_id, r.kind, count(*) FROM new_rows r GROUP BY r.job_id, r.kind
        ON CONFLICT (job_id, kind) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE jobs_internal.progress_counts c SET n = c.n - d.n
        FROM (SELECT r.job_id, r.kind, count(*) AS n FROM old_rows r GROUP BY r.job_id, r.kind) d
        WHERE c.job_id = d.job_id AND c.kind = d.kind;
    END IF;

    -- The timeline: applies the rows added and removed (an UPDATE is both).
    -- See the top of this file.
    IF TG_OP = 'INSERT' AND n_added = 1 THEN
        SELECT n.* INTO one_row FROM new_rows n;
        IF jobs_internal.appended_progress(one_row) THEN
            RETURN NULL;
        END IF;
    END IF;
    -- Kinds that a statement adding rows brings to a kept job (a bulk load,
    -- a restore's COPY, a new job's first reports): the job stores no other
    -- row of them, so their timeline is the definition over the statement's
    -- rows alone, one sort and no probes.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(k.job_id), array_agg(k.kind) INTO new_jobs, new_kinds
        FROM (SELECT DISTINCT a.job_id, a.kind FROM new_rows a) k
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = k.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = k.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.kind_timeline t WHERE t.job_id = k.job_id AND t.kind = k.kind);
        INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
        SELECT d.job_id, d.kind, d.created_at, d.id, sum(d.d_success) OVER k, sum(d.d_failed) OVER k
        FROM (SELECT a.job_id, a.kind, a.created_at, a.id,
                     a.success - coalesce(lag(a.success) OVER s, 0) AS d_success,
                     a.failed - coalesce(lag(a.failed) OVER s, 0) AS d_failed
              FROM new_rows a
              WHERE (a.job_id, a.kind) IN (SELECT * FROM unnest(new_jobs, new_kinds))
              WINDOW s AS (PARTITION BY a.job_id, a.input_id, a.kind ORDER BY a.created_at, a.id)) d
        WINDOW k AS (PARTITION BY d.job_id, d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
        -- The live case of a batch: every other row after every stored row
        -- of its kind. Each row's value is then its kind's last stored
        -- value plus the deltas of the batch up to it, the first row of a
        -- stream taking its delta from the stream's last stored row: a
        -- probe per row, one window, no other row changes.
        IF NOT EXISTS (
            SELECT FROM new_rows a
            WHERE (a.job_id, a.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
              AND EXISTS (SELECT FROM jobs_internal.kind_timeline t
                          WHERE t.job_id = a.job_id AND t.kind = a.kind AND (t.created_at, t.id) >= (a.created_at, a.id)))
        THEN
            INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
            SELECT d.job_id, d.kind, d.created_at, d.id,
                   d.last_success + sum(d.d_success) OVER k, d.last_failed + sum(d.d_failed) OVER k
            FROM (SELECT a.job_id, a.kind, a.created_at, a.id,
                         a.success - coalesce(lag(a.success) OVER s, b.success, 0) AS d_success,
                         a.failed - coalesce(lag(a.failed) OVER s, b.failed, 0) AS d_failed,
                         coalesce(l.success, 0) AS last_success, coalesce(l.failed, 0) AS last_failed
                  FROM new_rows a
                  LEFT JOIN LATERAL jobs_internal.stream_neighbour(a.job_id, a.input_id, a.kind, a.created_at, a.id, false) b ON true
                  LEFT JOIN LATERAL (SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
                                     WHERE t.job_id = a.job_id AND t.kind = a.kind
                                     ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l ON true
                  WHERE (a.job_id, a.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
                    AND EXISTS (SELECT FROM jobs.jobs j WHERE j.id = a.job_id)
                    AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = a.job_id)
                  WINDOW s AS (PARTITION BY a.job_id, a.input_id, a.kind ORDER BY a.created_at, a.id)) d
            WINDOW k AS (PARTITION BY d.job_id, d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
            RETURN NULL;
        END IF;
    END IF;
    -- Rows of an INSERT that are not all at the tail (late rows, with
    -- several writers on one job most rows): the general statement below,
    -- written out statically for new_rows alone so that its plan is cached
    -- like the paths above (EXECUTE plans on every statement, which costs
    -- more than running it for a few rows). A copy, since a static
    -- statement is the only one whose plan is kept and one naming old_rows
    -- cannot be planned in an INSERT's trigger; keep the two equal (the
    -- differential suite checks both against the definition).
    IF TG_OP = 'INSERT' THEN
        WITH given AS (
            SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, true AS added
            FROM new_rows c
            WHERE (c.job_id, c.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)),
        changed AS MATERIALIZED (
            SELECT c.* FROM given c
            WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
              AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
        streams AS (
            SELECT DISTINCT ON (c.job_id, c.input_id, c.kind) c.job_id, c.input_id, c.kind,
                   c.created_at AS lo_at, c.id AS lo_id,
                   last_value(c.created_at) OVER w AS hi_at, last_value(c.id) OVER w AS hi_id
            FROM changed c
            WINDOW w AS (PARTITION BY c.job_id, c.input_id, c.kind ORDER BY c.created_at, c.id
                         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY c.job_id, c.input_id, c.kind, c.created_at, c.id),
        around AS MATERIALIZED (
            SELECT s.job_id, s.input_id, s.kind, r.created_at, r.id, r.success, r.failed
            FROM streams s
            CROSS JOIN LATERAL (
                SELECT * FROM jobs_internal.stream_rows(s.job_id, s.input_id, s.kind,
                                                        s.lo_at, s.lo_id, s.hi_at, s.hi_id + 1)
                UNION ALL
                SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.lo_at, s.lo_id, false)
                UNION ALL
                SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.hi_at, s.hi_id, true)) r),
        views AS (
            SELECT a.job_id, a.input_id, a.kind, a.created_at, a.id, a.success, a.failed,
                   true AS in_old, true AS in_new
            FROM around a
            WHERE NOT EXISTS (SELECT FROM changed c WHERE c.added AND c.id = a.id)
            UNION ALL
            SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed,
                   NOT c.added, c.added
            FROM changed c),
        events AS (
            SELECT v.job_id, v.kind, v.created_at, v.id, true AS in_new,
                   v.success - coalesce(lag(v.success) OVER s, 0) AS d_success,
                   v.failed - coalesce(lag(v.failed) OVER s, 0) AS d_failed
            FROM views v WHERE v.in_new
            WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)
            UNION ALL
            SELECT v.job_id, v.kind, v.created_at, v.id, false,
                   coalesce(lag(v.success) OVER s, 0) - v.success,
                   coalesce(lag(v.failed) OVER s, 0) - v.failed
            FROM views v WHERE v.in_old
            WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)),
        changes AS MATERIALIZED (
            SELECT e.job_id, e.kind, e.created_at, e.id,
                   sum(sum(e.d_success)) OVER k AS c_success, sum(sum(e.d_failed)) OVER k AS c_failed,
                   NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
                   lead(e.created_at) OVER k AS next_at, lead(e.id) OVER k AS next_id
            FROM events e
            GROUP BY e.job_id, e.kind, e.created_at, e.id
            WINDOW k AS (PARTITION BY e.job_id, e.kind ORDER BY e.created_at, e.id)),
        deleted AS (
            DELETE FROM jobs_internal.kind_timeline t
            WHERE t.ctid = ANY (ARRAY(
                SELECT s.ctid FROM changes c
                CROSS JOIN LATERAL (SELECT r.ctid FROM jobs_internal.kind_timeline r
                                    WHERE r.job_id = c.job_id AND r.kind = c.kind
                                      AND r.created_at = c.created_at AND r.id = c.id OFFSET 0) s
                WHERE c.gone))),
        stretches AS MATERIALIZED (
            SELECT s.row_id, c.c_success, c.c_failed FROM changes c
            CROSS JOIN LATERAL (SELECT r.ctid AS row_id FROM jobs_internal.kind_timeline r
                                WHERE r.job_id = c.job_id AND r.kind = c.kind
                                  AND (r.created_at, r.id) >= (c.created_at, c.id + CASE WHEN c.gone OR c.fresh THEN 1 ELSE 0 END)
                                  AND (r.created_at, r.id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_id, 0))
                                OFFSET 0) s
            WHERE c.c_success <> 0 OR c.c_failed <> 0),
        updated AS (
            UPDATE jobs_internal.kind_timeline t
            SET success = t.success + u.c_success, failed = t.failed + u.c_failed
            FROM stretches u
            WHERE t.ctid = ANY (ARRAY(SELECT u.row_id FROM stretches u)) AND t.ctid = u.row_id)
        INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
        SELECT c.job_id, c.kind, c.created_at, c.id,
               coalesce(b.success, 0) + c.c_success, coalesce(b.failed, 0) + c.c_failed
        FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.kind, c.created_at DESC, c.id DESC) c
        LEFT JOIN LATERAL (
            SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
            WHERE t.job_id = c.job_id AND t.kind = c.kind AND (t.created_at, t.id) < (c.created_at, c.id)
            ORDER BY t.created_at DESC, t.id DESC LIMIT 1) b ON true;
        RETURN NULL;
    END IF;
    EXECUTE format($statement$
    WITH given AS (
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, true AS added
        FROM %1$s c
        WHERE (c.job_id, c.kind) NOT IN (SELECT * FROM unnest($1::text[], $2::text[]) u WHERE u IS NOT NULL)
        UNION ALL
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, false
        FROM %2$s c),
    -- Of jobs whose timeline is kept: they exist (a job being deleted no
    -- longer does for its cascades) and are not pending.
    changed AS MATERIALIZED (
        SELECT c.* FROM given c
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
    -- Per stream, its first and last changed position.
    streams AS (
        SELECT DISTINCT ON (c.job_id, c.input_id, c.kind) c.job_id, c.input_id, c.kind,
               c.created_at AS lo_at, c.id AS lo_id,
               last_value(c.created_at) OVER w AS hi_at, last_value(c.id) OVER w AS hi_id
        FROM changed c
        WINDOW w AS (PARTITION BY c.job_id, c.input_id, c.kind ORDER BY c.created_at, c.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        ORDER BY c.job_id, c.input_id, c.kind, c.created_at, c.id),
    -- The stored rows of those streams from the row before the first change
    -- to the row after the last; the added ones among them are dropped
    -- below, so these are the rows the statement kept. Materialized so that
    -- the planner does not move that anti-join into the per-stream loop
    -- (a hash join rescanned per stream, in batches when the statement is
    -- big).
    around AS MATERIALIZED (
        SELECT s.job_id, s.input_id, s.kind, r.created_at, r.id, r.success, r.failed
        FROM streams s
        CROSS JOIN LATERAL (
            SELECT * FROM jobs_internal.stream_rows(s.job_id, s.input_id, s.kind,
                                                    s.lo_at, s.lo_id, s.hi_at, s.hi_id + 1)
            UNION ALL
            SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.lo_at, s.lo_id, false)
            UNION ALL
            SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.hi_at, s.hi_id, true)) r),
    -- Each stream's rows before the statement (in_old) and after it (in_new).
    views AS (
        SELECT a.job_id, a.input_id, a.kind, a.created_at, a.id, a.success, a.failed,
               true AS in_old, true AS in_new
        FROM around a
        WHERE NOT EXISTS (SELECT FROM changed c WHERE c.added AND c.id = a.id)
        UNION ALL
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed,
               NOT c.added, c.added
        FROM changed c),
    -- The change of each row's delta: new delta minus old delta.
    events AS (
        SELECT v.job_id, v.kind, v.created_at, v.id, true AS in_new,
               v.success - coalesce(lag(v.success) OVER s, 0) AS d_success,
               v.failed - coalesce(lag(v.failed) OVER s, 0) AS d_failed
        FROM views v WHERE v.in_new
        WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)
        UNION ALL
        SELECT v.job_id, v.kind, v.created_at, v.id, false,
               coalesce(lag(v.success) OVER s, 0) - v.success,
               coalesce(lag(v.failed) OVER s, 0) - v.failed
        FROM views v WHERE v.in_old
        WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)),
    -- Per kind and changed position: C, the change of the kind's totals
    -- from there to the next such position; gone (a row removed) and fresh
    -- (a row added where none was).
    changes AS MATERIALIZED (
        SELECT e.job_id, e.kind, e.created_at, e.id,
               sum(sum(e.d_success)) OVER k AS c_success, sum(sum(e.d_failed)) OVER k AS c_failed,
               NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
               lead(e.created_at) OVER k AS next_at, lead(e.id) OVER k AS next_id
        FROM events e
        GROUP BY e.job_id, e.kind, e.created_at, e.id
        WINDOW k AS (PARTITION BY e.job_id, e.kind ORDER BY e.created_at, e.id)),
    -- The rows removed and each stretch's rows to update are found by the
    -- key (a range per stretch) in subqueries of their own (OFFSET 0:
    -- never joined to the timeline as a whole), then written by row id.
    -- A join of the timeline with changes could be planned, in the
    -- cached generic plan of the copy above (whose estimates do not know
    -- the statement is small), as a hash join over a scan of the whole
    -- timeline; as in the C path's late rows.
    deleted AS (
        DELETE FROM jobs_internal.kind_timeline t
        WHERE t.ctid = ANY (ARRAY(
            SELECT s.ctid FROM changes c
            CROSS JOIN LATERAL (SELECT r.ctid FROM jobs_internal.kind_timeline r
                                WHERE r.job_id = c.job_id AND r.kind = c.kind
                                  AND r.created_at = c.created_at AND r.id = c.id OFFSET 0) s
            WHERE c.gone))),
    stretches AS MATERIALIZED (
        SELECT s.row_id, c.c_success, c.c_failed FROM changes c
        CROSS JOIN LATERAL (SELECT r.ctid AS row_id FROM jobs_internal.kind_timeline r
                            WHERE r.job_id = c.job_id AND r.kind = c.kind
                              -- a removed or added position is not updated: deleted above, inserted below
                              AND (r.created_at, r.id) >= (c.created_at, c.id + CASE WHEN c.gone OR c.fresh THEN 1 ELSE 0 END)
                              AND (r.created_at, r.id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_id, 0))
                            OFFSET 0) s
        WHERE c.c_success <> 0 OR c.c_failed <> 0),
    updated AS (
        UPDATE jobs_internal.kind_timeline t
        SET success = t.success + u.c_success, failed = t.failed + u.c_failed
        FROM stretches u
        WHERE t.ctid = ANY (ARRAY(SELECT u.row_id FROM stretches u)) AND t.ctid = u.row_id)
    INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
    SELECT c.job_id, c.kind, c.created_at, c.id,
           coalesce(b.success, 0) + c.c_success, coalesce(b.failed, 0) + c.c_failed
    -- Inserted last position first, so that each probe below, reading
    -- backwards from its row, never walks over the rows this statement
    -- inserted (in the index, but not visible to it).
    FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.kind, c.created_at DESC, c.id DESC) c
    LEFT JOIN LATERAL (
        SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
        WHERE t.job_id = c.job_id AND t.kind = c.kind AND (t.created_at, t.id) < (c.created_at, c.id)
        ORDER BY t.created_at DESC, t.id DESC LIMIT 1) b ON true;
    $statement$, added_rows, removed_rows) USING new_jobs, new_kinds;
    RETURN NULL;
END $$;

-- The same for job_inputs: the counts (46_input_counts.sql), then the file
-- timeline, where a finished input adds 1 to its status's count from its
-- position on. See the top of this file.
CREATE FUNCTION jobs_internal.maintain_inputs_sets() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    n_added bigint := 0;
    n_removed bigint := 0;
    one_row jobs.job_inputs;
    none_removed boolean := true;
    new_jobs text[] := '{}';
    added_rows text := '(SELECT * FROM jobs.job_inputs WHERE false)';
    removed_rows text := '(SELECT * FROM jobs.job_inputs WHERE false)';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM jobs_internal.file_timeline;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        n_added := (SELECT count(*) FROM new_rows);
        added_rows := 'new_rows';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        n_removed := (SELECT count(*) FROM old_rows);
        removed_rows := 'old_rows';
    END IF;
    IF n_added + n_removed = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM jobs_internal.plan_for(least(n_added + n_removed, 1000000)::integer);

    -- The counts: adds the rows inserted, moves the rows updated, removes
    -- the rows deleted.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)
        SELECT r.job_id, r.port_name, r.status, count(*) FROM new_rows r
        GROUP BY r.job_id, r.port_name, r.status
        ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE jobs_internal.input_counts c SET n = c.n - d.n
        FROM (SELECT r.job_id, r.port_name, r.status, count(*) AS n FROM old_rows r
              GROUP BY r.job_id, r.port_name, r.status) d
        WHERE c.job_id = d.job_id AND c.port_name IS NOT DISTINCT FROM d.port_name AND c.status = d.status;
    ELSE
        INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)
        SELECT d.job_id, d.port_name, d.status, sum(d.n) FROM (
            SELECT r.job_id, r.port_name, r.status, 1 AS n FROM new_rows r
            UNION ALL
            SELECT r.job_id, r.port_name, r.status, -1 FROM old_rows r) d
        GROUP BY d.job_id, d.port_name, d.status
        HAVING sum(d.n) <> 0
        ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n;
    END IF;

    -- The file timeline.
    IF TG_OP <> 'INSERT' THEN
        none_removed := NOT EXISTS (SELECT FROM old_rows r WHERE r.completed_at IS NOT NULL);
    END IF;
    -- (Nested: an expression naming new_rows is planned whole, even in a DELETE.)
    IF none_removed THEN
        IF TG_OP = 'DELETE' THEN
            RETURN NULL;
        ELSIF NOT EXISTS (SELECT FROM new_rows a WHERE a.completed_at IS NOT NULL) THEN
            RETURN NULL;  -- no finished input added or removed (inputs added pending, started, ...)
        END IF;
    END IF;
    -- From here on, when none is removed, the statement is an INSERT or an
    -- UPDATE: new_rows exists.
    IF none_removed AND n_added = 1 THEN
        SELECT n.* INTO one_row FROM new_rows n;
        IF jobs_internal.appended_input(one_row) THEN
            RETURN NULL;
        END IF;
    END IF;
    -- Kept jobs with no finished input stored, when none is removed (a bulk
    -- load, a restore): their file timeline is the definition over the
    -- statement's rows alone, as for new kinds.
    IF none_removed THEN
        new_jobs := ARRAY(SELECT DISTINCT a.job_id FROM new_rows a
                          WHERE a.completed_at IS NOT NULL
                            AND EXISTS (SELECT FROM jobs.jobs j WHERE j.id = a.job_id)
                            AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = a.job_id)
                            AND NOT EXISTS (SELECT FROM jobs_internal.file_timeline t WHERE t.job_id = a.job_id));
        INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
        SELECT a.job_id, a.completed_at, a.id,
               count(*) FILTER (WHERE a.status = 'completed') OVER w, count(*) FILTER (WHERE a.status = 'failed') OVER w
        FROM new_rows a
        WHERE a.completed_at IS NOT NULL AND a.job_id = ANY (new_jobs)
        WINDOW w AS (PARTITION BY a.job_id ORDER BY a.completed_at, a.id COLLATE "C" ROWS UNBOUNDED PRECEDING);
    END IF;
    EXECUTE format($statement$
    WITH given AS (
        SELECT c.job_id, c.completed_at, c.id COLLATE "C" AS input_id, true AS in_new,
               (c.status = 'completed')::integer AS d_completed, (c.status = 'failed')::integer AS d_failed
        FROM %1$s c
        WHERE c.completed_at IS NOT NULL AND c.job_id <> ALL ($1::text[])
        UNION ALL
        SELECT c.job_id, c.completed_at, c.id COLLATE "C", false,
               -(c.status = 'completed')::integer, -(c.status = 'failed')::integer
        FROM %2$s c
        WHERE c.completed_at IS NOT NULL),
    -- Of jobs whose timeline is kept, as for the kinds.
    events AS (
        SELECT c.* FROM given c
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
    -- Per job and changed position: C, the change of the counts from there
    -- to the next changed position; gone and fresh as for the kinds.
    changes AS MATERIALIZED (
        SELECT e.job_id, e.completed_at, e.input_id,
               sum(sum(e.d_completed)) OVER k AS c_completed, sum(sum(e.d_failed)) OVER k AS c_failed,
               NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
               lead(e.completed_at) OVER k AS next_at, lead(e.input_id) OVER k AS next_input
        FROM events e
        GROUP BY e.job_id, e.completed_at, e.input_id
        WINDOW k AS (PARTITION BY e.job_id ORDER BY e.completed_at, e.input_id)),
    deleted AS (
        DELETE FROM jobs_internal.file_timeline t
        USING changes c
        WHERE c.gone AND t.job_id = c.job_id AND t.completed_at = c.completed_at AND t.input_id = c.input_id),
    -- The stretch after a changed position: from it (excluded when it was
    -- removed or added) to the next one (excluded). Input ids are compared
    -- in byte order, the timeline's order.
    updated AS (
        UPDATE jobs_internal.file_timeline t
        SET completed = t.completed + c.c_completed, failed = t.failed + c.c_failed
        FROM changes c
        WHERE (c.c_completed <> 0 OR c.c_failed <> 0)
          AND t.job_id = c.job_id
          AND (t.completed_at, t.input_id) >= (c.completed_at, c.input_id)
          AND (t.completed_at, t.input_id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_input, ''))
          AND NOT ((c.gone OR c.fresh) AND t.completed_at = c.completed_at AND t.input_id = c.input_id))
    INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
    SELECT c.job_id, c.completed_at, c.input_id,
           coalesce(b.completed, 0) + c.c_completed, coalesce(b.failed, 0) + c.c_failed
    -- Last position first, as for the kinds.
    FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.completed_at DESC, c.input_id DESC) c
    LEFT JOIN LATERAL (
        SELECT t.completed, t.failed FROM jobs_internal.file_timeline t
        WHERE t.job_id = c.job_id AND (t.completed_at, t.input_id) < (c.completed_at, c.input_id)
        ORDER BY t.completed_at DESC, t.input_id DESC LIMIT 1) b ON true;
    $statement$, added_rows, removed_rows) USING new_jobs;
    RETURN NULL;
END $$;

-- The trigger functions: the live case of one row at the tail (a report, a
-- finish; an input added or started) in C with kept plans, one probe and one
-- write (src/glue/maintenance_fast_path.c), and so are small statements of
-- progress rows of one job: at the tail, or each of a stream of its own
-- (late rows among other writers' reports); every other statement is passed,
-- with the same trigger data, to the set-based functions above, which read
-- the transition tables themselves. The C path writes nothing before it
-- knows it applies. SECURITY DEFINER as the set-based functions (their
-- own SET clauses apply when called): see above. No JIT for the progress
-- one's statements, as for the set-based function: they are small, but the
-- estimates of a generic plan of a few rows can pass jit_above_cost once
-- the tables are analyzed big, and then every call compiles its plan (tens
-- of milliseconds for a statement that runs in less than one).
CREATE FUNCTION jobs_internal.maintain_progress() RETURNS trigger
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
AS 'MODULE_PATHNAME', 'traces_maintain_progress';
CREATE FUNCTION jobs_internal.maintain_inputs() RETURNS trigger
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_maintain_inputs';

-- "maintain_*" fire after "lock_job*" (45_write_lock.sql): name order.
CREATE TRIGGER maintain_insert AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_update AFTER UPDATE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_delete AFTER DELETE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_truncate AFTER TRUNCATE ON jobs.job_progress
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_insert AFTER INSERT ON jobs.job_inputs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();
CREATE TRIGGER maintain_update AFTER UPDATE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();
CREATE TRIGGER maintain_delete AFTER DELETE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();
CREATE TRIGGER maintain_truncate AFTER TRUNCATE ON jobs.job_inputs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();

COMMENT ON FUNCTION jobs_internal.maintain_progress() IS
    'Statement trigger on job_progress after the lock: the kinds and their caps, progress_counts and the kind timeline; one row or a small batch of one job at the tail, or of rows each of a stream of its own, in C, else maintain_progress_sets (contract §7.6, §11).';
COMMENT ON FUNCTION jobs_internal.maintain_inputs() IS
    'Statement trigger on job_inputs after the lock: input_counts and the file timeline; one row at the tail in C, else maintain_inputs_sets (contract §7.6, §11).';
COMMENT ON FUNCTION jobs_internal.maintain_progress_sets() IS
    'maintain_progress for every statement but one row or a small batch of one job at the tail, or of rows each of a stream of its own: set-based (contract §7.6, §11).';
COMMENT ON FUNCTION jobs_internal.maintain_inputs_sets() IS
    'maintain_inputs for every statement but one row at the tail: set-based (contract §7.6, §11).';

-- ===== Row validation of job_inputs and job_progress in C =====
-- (24_row_validation.sql, src/glue/row_validation.c): a row keeping every
-- rule passes without a PL/pgSQL call; any other goes to the PL/pgSQL
-- validator, which raises. The trigger applies the clock rule as well, so
-- these two tables' validate_clock triggers go.
CREATE FUNCTION jobs_internal.validate_input_row() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'traces_validate_input_row';
CREATE FUNCTION jobs_internal.validate_progress_row() RETURNS trigger
LANGUAGE c AS 'MODULE_PATHNAME', 'traces_validate_progress_row';
DROP TRIGGER validate_clock ON jobs.job_inputs;
DROP TRIGGER validate_clock ON jobs.job_progress;
DROP TRIGGER validate ON jobs.job_inputs;
DROP TRIGGER validate ON jobs.job_progress;
CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.job_inputs
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_input_row('input', 'completed_at');
CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.job_progress
    FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_progress_row('progress', 'created_at');
COMMENT ON FUNCTION jobs_internal.validate_job_input() IS
    'The rules of a jobs.job_inputs row: refuses a bad row with a message and a 22xxx SQLSTATE (called by validate_input_row).';
COMMENT ON FUNCTION jobs_internal.validate_job_progress() IS
    'The rules of a jobs.job_progress row: refuses a bad row with a message and a 22xxx SQLSTATE (called by validate_progress_row).';
COMMENT ON FUNCTION jobs_internal.validate_input_row() IS
    'Trigger on jobs.job_inputs, in C: passes a row keeping every rule, hands any other to validate_job_input, then applies the clock rule.';
COMMENT ON FUNCTION jobs_internal.validate_progress_row() IS
    'Trigger on jobs.job_progress, in C: passes a row keeping every rule, hands any other to validate_job_progress, then applies the clock rule.';

-- ===== Trigger functions are for the extension's own tables =====
-- (92_trigger_functions.sql): no role but the owner may attach them to a
-- table; existing triggers keep firing (EXECUTE is checked at CREATE TRIGGER).
REVOKE EXECUTE ON FUNCTION
    jobs_internal.refuse_future_times(),
    jobs_internal.refuse_changing_finished_input(),
    jobs_internal.validate_job(),
    jobs_internal.validate_job_input(),
    jobs_internal.validate_job_progress(),
    jobs_internal.validate_input_row(),
    jobs_internal.validate_progress_row(),
    jobs_internal.lock_written_jobs(),
    jobs_internal.maintain_progress(),
    jobs_internal.maintain_inputs(),
    jobs_internal.maintain_progress_sets(),
    jobs_internal.maintain_inputs_sets(),
    jobs_internal.forget_timelines()
FROM PUBLIC;
