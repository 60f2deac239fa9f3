-- Reading a progress counter out of `metrics`; used by job_progress's
-- generated columns, so a bad counter refuses the row that carries it.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- metrics -> key as a non-negative 64-bit integer, 0 when absent; raises
-- 22023 naming the key when it is not a non-negative integer, and when
-- metrics is not an object.
CREATE FUNCTION jobs.metric_count(metrics jsonb, key text) RETURNS bigint
AS 'MODULE_PATHNAME', 'traces_metric_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
-- Data model of SPEC §1. CHECK constraints are the integrity guarantee; the
-- validation triggers (20_validation.sql) run first and explain the problem
-- with a 22xxx SQLSTATE, the way a client wants to read it.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Timestamps must be finite and within the years RFC 3339 can write, so every
-- stored time can appear in a trace.
CREATE FUNCTION jobs.valid_time(t timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN t IS NULL OR (t >= '0001-01-01 00:00:00+00' AND t < '10000-01-01 00:00:00+00');

-- Identifiers (ids, tenant, kind) are non-empty and at most 512 bytes, so
-- that the indexes holding several of them never exceed a btree row (whose
-- overflow would be an internal-looking 54000 error instead of a clear one).
CREATE FUNCTION jobs.valid_name(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR (v <> '' AND octet_length(v) <= 512);

CREATE TABLE jobs.jobs (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL,
    status      text NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz,
    CONSTRAINT jobs_ids_valid CHECK (jobs.valid_name(id) AND jobs.valid_name(tenant_id)),
    CONSTRAINT jobs_status_known CHECK (status IN
        ('pending', 'admitted', 'running', 'completed', 'failed', 'preempted', 'cancelled')),
    CONSTRAINT jobs_finished_at_iff_terminal CHECK
        ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
    CONSTRAINT jobs_times_valid CHECK
        (jobs.valid_time(created_at) AND jobs.valid_time(started_at) AND jobs.valid_time(finished_at))
);
CREATE INDEX jobs_tenant_idx ON jobs.jobs (tenant_id);

CREATE TABLE jobs.job_inputs (
    job_id       text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    id           text NOT NULL,
    status       text NOT NULL DEFAULT 'pending',
    completed_at timestamptz,
    PRIMARY KEY (job_id, id),
    CONSTRAINT job_inputs_id_valid CHECK (jobs.valid_name(id)),
    CONSTRAINT job_inputs_status_known CHECK (status IN
        ('pending', 'processing', 'completed', 'failed', 'reference')),
    CONSTRAINT job_inputs_completed_at_iff_finished CHECK
        ((status IN ('completed', 'failed')) = (completed_at IS NOT NULL)),
    CONSTRAINT job_inputs_completed_at_valid CHECK (jobs.valid_time(completed_at))
);
-- Finished inputs by time: the files counters and the latest-event probe
-- read it alone (index-only).
CREATE INDEX job_inputs_finished_idx ON jobs.job_inputs (job_id, completed_at) INCLUDE (status)
    WHERE completed_at IS NOT NULL;

CREATE TABLE jobs.job_progress (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    input_id   text,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    metrics    jsonb NOT NULL DEFAULT '{}',
    -- The counters, validated and extracted once when written so that every
    -- poll reads two integers instead of parsing jsonb.
    success    bigint GENERATED ALWAYS AS (jobs.metric_count(metrics, 'success')) STORED,
    failed     bigint GENERATED ALWAYS AS (jobs.metric_count(metrics, 'failed')) STORED,
    FOREIGN KEY (job_id, input_id) REFERENCES jobs.job_inputs (job_id, id) ON DELETE CASCADE,
    CONSTRAINT job_progress_names_valid CHECK (jobs.valid_name(kind) AND jobs.valid_name(input_id)),
    CONSTRAINT job_progress_created_at_valid CHECK (jobs.valid_time(created_at))
);
-- Stream order: each (input_id, kind) stream contiguous, in (created_at, id)
-- order, with everything the trace reads (index-only scans).
CREATE INDEX job_progress_stream_idx ON jobs.job_progress
    (job_id, input_id, kind, created_at, id) INCLUDE (success, failed);
-- The latest-event probe behind ETag / If-None-Match.
CREATE INDEX job_progress_time_idx ON jobs.job_progress (job_id, created_at);

-- The tables hold user data, not extension code: pg_dump must dump their rows.
SELECT pg_catalog.pg_extension_config_dump('jobs.jobs', '');
SELECT pg_catalog.pg_extension_config_dump('jobs.job_inputs', '');
SELECT pg_catalog.pg_extension_config_dump('jobs.job_progress', '');
SELECT pg_catalog.pg_extension_config_dump('jobs.job_progress_id_seq', '');
-- Refusing bad rows with a message that names the problem and a 22xxx
-- SQLSTATE (PostgREST: 400). The CHECK constraints in 10_tables.sql hold the
-- same rules in case a trigger is ever disabled.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

CREATE FUNCTION jobs.require_time(what text, t timestamptz) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF NOT jobs.valid_time(t) THEN
        -- Shown in UTC whatever the session's time zone, like the bounds.
        RAISE EXCEPTION '% must be a finite time between years 1 and 9999 (UTC), got %', what,
            CASE WHEN isfinite(t) THEN (t AT TIME ZONE 'UTC')::text || ' UTC' ELSE t::text END
            USING ERRCODE = 'datetime_field_overflow';
    END IF;
END $$;

CREATE FUNCTION jobs.require_text(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION '% must not be null', what USING ERRCODE = 'null_value_not_allowed';
    ELSIF v = '' THEN
        RAISE EXCEPTION '% must not be empty', what USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs.valid_name(v) THEN
        RAISE EXCEPTION '% must be at most 512 bytes long, got %', what, octet_length(v)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
END $$;

CREATE FUNCTION jobs.validate_job() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    terminal constant text[] := '{completed,failed,cancelled}';
BEGIN
    PERFORM jobs.require_text('job id', NEW.id);
    PERFORM jobs.require_text('job tenant_id', NEW.tenant_id);
    PERFORM jobs.require_text('job status', NEW.status);
    IF NEW.status NOT IN ('pending', 'admitted', 'running', 'completed', 'failed', 'preempted', 'cancelled') THEN
        RAISE EXCEPTION 'job status "%" is not one of pending, admitted, running, completed, failed, preempted, cancelled', NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NEW.created_at IS NULL THEN
        RAISE EXCEPTION 'job created_at must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs.require_time('job created_at', NEW.created_at);
    PERFORM jobs.require_time('job started_at', NEW.started_at);
    PERFORM jobs.require_time('job finished_at', NEW.finished_at);
    IF NEW.status = ANY (terminal) AND NEW.finished_at IS NULL THEN
        RAISE EXCEPTION 'job "%" has terminal status "%" but no finished_at', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NEW.status <> ALL (terminal) AND NEW.finished_at IS NOT NULL THEN
        RAISE EXCEPTION 'job "%" has finished_at but status "%" is not terminal (completed, failed, cancelled)', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION jobs.validate_job_input() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobs.require_text('input job_id', NEW.job_id);
    PERFORM jobs.require_text('input id', NEW.id);
    PERFORM jobs.require_text('input status', NEW.status);
    IF NEW.status NOT IN ('pending', 'processing', 'completed', 'failed', 'reference') THEN
        RAISE EXCEPTION 'input status "%" is not one of pending, processing, completed, failed, reference', NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs.require_time('input completed_at', NEW.completed_at);
    IF NEW.status IN ('completed', 'failed') AND NEW.completed_at IS NULL THEN
        RAISE EXCEPTION 'input "%" has status "%" but no completed_at', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NEW.status NOT IN ('completed', 'failed') AND NEW.completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'input "%" has completed_at but status "%" is not finished (completed, failed)', NEW.id, NEW.status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN NEW;
END $$;

-- metrics are checked by jobs.metric_count in the generated columns.
CREATE FUNCTION jobs.validate_job_progress() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM jobs.require_text('progress job_id', NEW.job_id);
    PERFORM jobs.require_text('progress kind', NEW.kind);
    IF NEW.input_id IS NOT NULL THEN
        PERFORM jobs.require_text('progress input_id', NEW.input_id);
    END IF;
    IF NEW.created_at IS NULL THEN
        RAISE EXCEPTION 'progress created_at must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM jobs.require_time('progress created_at', NEW.created_at);
    IF NEW.metrics IS NULL THEN
        RAISE EXCEPTION 'progress metrics must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.jobs
    FOR EACH ROW EXECUTE FUNCTION jobs.validate_job();
CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.job_inputs
    FOR EACH ROW EXECUTE FUNCTION jobs.validate_job_input();
CREATE TRIGGER validate BEFORE INSERT OR UPDATE ON jobs.job_progress
    FOR EACH ROW EXECUTE FUNCTION jobs.validate_job_progress();
-- The trace (SPEC §2), computed by the C++ engine. STABLE: every query the
-- function runs reads the calling statement's snapshot, so the whole answer
-- is one consistent view of the data.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- search_path: the queries inside run partly as the tables' owner (see
-- src/glue/owner_access.c), so nothing of the caller's may resolve in them.
-- jit: the planner's estimate for a big job's scan crosses jit_above_cost and
-- JIT compilation then costs more than the whole scan (measured 600-980 ms
-- with, 336-474 ms without, on a 1M-row job).
-- Not STRICT: a null job_id is an error (22004), a null buckets means 100.
CREATE FUNCTION jobs.progress_traces(job_id text, buckets integer DEFAULT 100) RETURNS json
AS 'MODULE_PATHNAME', 'traces_progress_traces'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off;

CREATE FUNCTION jobs.progress_trace_points(job_id text, buckets integer DEFAULT 100)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
AS 'MODULE_PATHNAME', 'traces_progress_trace_points'
LANGUAGE C STABLE ROWS 100
SET search_path = pg_catalog, pg_temp
SET jit = off;

-- The newest progress report or input finish of a job, null when none: two
-- index probes. It is the trace's ETag (SPEC §4).
CREATE FUNCTION jobs.latest_event_at(job_id text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
RETURN greatest(
    (SELECT max(p.created_at) FROM jobs.job_progress p WHERE p.job_id = latest_event_at.job_id),
    (SELECT max(i.completed_at) FROM jobs.job_inputs i
      WHERE i.job_id = latest_event_at.job_id AND i.completed_at IS NOT NULL));
-- Tenancy (SPEC §5): row-level security on the three tables, keyed by the
-- caller's tenant, which the database itself decides from the role in
-- effect (jobs.tenant_roles). The extension creates no roles (roles are
-- cluster-wide; deploy/roles.sql creates and maps them) and grants nothing
-- on the data tables: privileges decide what a role may do, these policies
-- decide on which tenant's rows.
--
-- Superusers and the tables' owner (whoever ran CREATE EXTENSION) bypass
-- row-level security; every other role sees only its tenant.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Which tenant a database role acts for. A direct role (an analytics tool, a
-- worker) has a fixed tenant_id. A web role (the ones PostgREST switches
-- into) takes its tenant from the verified JWT's `tenant_id` claim: only
-- those roles ever read request.jwt.claims, so a GUC set by hand reaches no
-- other tenant. A role without a row sees no rows at all.
CREATE TABLE jobs.tenant_roles (
    role_name       name PRIMARY KEY,
    tenant_id       text,
    tenant_from_jwt boolean NOT NULL DEFAULT false,
    CONSTRAINT tenant_roles_one_source CHECK
        (tenant_from_jwt = (tenant_id IS NULL)),
    CONSTRAINT tenant_roles_tenant_not_empty CHECK (tenant_id <> '')
);
-- Deployment data, not extension code: pg_dump keeps its rows.
SELECT pg_catalog.pg_extension_config_dump('jobs.tenant_roles', '');
COMMENT ON TABLE jobs.tenant_roles IS
    'Tenant of each database role: fixed (tenant_id) or from the JWT claim tenant_id (tenant_from_jwt). Only the owner writes it.';

-- Every role may read its own mapping row and nothing else (the grant to
-- PUBLIC is what lets jobs.current_tenant() run as the caller, without
-- SECURITY DEFINER, which would change current_user). Nobody but the owner
-- may write: there are no write grants and no write policies.
ALTER TABLE jobs.tenant_roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_mapping ON jobs.tenant_roles FOR SELECT
    USING (role_name = current_user);
GRANT SELECT ON jobs.tenant_roles TO PUBLIC;

-- The caller's tenant, or null (sees nothing). current_user, not
-- session_user: PostgREST logs in as its authenticator and switches role
-- per request. Malformed claims can only come from whoever holds the web
-- role, i.e. PostgREST; they raise 22P02 rather than leak.
CREATE FUNCTION jobs.current_tenant() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT CASE WHEN r.tenant_from_jwt
                THEN nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'tenant_id'
                ELSE r.tenant_id END
    FROM jobs.tenant_roles r
    WHERE r.role_name = current_user);

-- Policies, one per table, for every command: reads and writes alike are
-- confined to the caller's tenant (the grants choose the commands). The
-- tenant is computed once per query: `(SELECT jobs.current_tenant())` is an
-- InitPlan, not a per-row call.
ALTER TABLE jobs.jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_jobs ON jobs.jobs
    USING (tenant_id = (SELECT jobs.current_tenant()))
    WITH CHECK (tenant_id = (SELECT jobs.current_tenant()));

-- Inputs and progress belong to a job: visible and writable when the job
-- is (the subquery is itself filtered by the policy above). PostgreSQL plans
-- this as a hashed subplan over the tenant's jobs, probed per row; the trace
-- functions therefore check the job row once and read its rows as the
-- tables' owner (src/glue/owner_access.c), paying nothing per row.
ALTER TABLE jobs.job_inputs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_job_inputs ON jobs.job_inputs
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_inputs.job_id))
    WITH CHECK (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_inputs.job_id));

ALTER TABLE jobs.job_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_job_progress ON jobs.job_progress
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_progress.job_id))
    WITH CHECK (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_progress.job_id));
-- The workers' write API: create a job, add inputs, start it, report
-- progress in batches, finish inputs, finish the job. The same functions
-- serve a single node and, behind PL/Proxy, each shard (shard/sql/).
--
-- SECURITY INVOKER (the default): grants and row-level security
-- (40_security.sql) apply exactly as to the caller's own statements, so a
-- worker writes only its tenant's jobs.
--
-- Every function is idempotent, so a client that lost the reply to a call
-- that did commit (a dropped connection, a proxy whose shard answered too
-- late) simply sends the same call again:
--   * create_job, add_inputs: insert-if-absent on the natural key (job id;
--     job id + input id).
--   * start_job, finish_input, finish_job: the first call wins; repeating it
--     changes nothing; a call contradicting it (another terminal status) is
--     a conflict, PT409.
--   * report_progress: a report is identified by its content. A row equal
--     to a stored one in job, input, kind, created_at and metrics is skipped.
--     Such a row is, per SPEC §1, the same cumulative snapshot of the same
--     stream at the same instant: storing it twice could never change a
--     trace, so skipping it loses nothing, and a retry needs no report id
--     the client would have to invent and keep. For the same reason
--     created_at is required (a server default would make every retry a new
--     snapshot).
-- Errors: job (or input) missing or not visible: PT404 `job "<id>" not
-- found` as for reads (SPEC §3); nulls 22004, other bad values 22xxx from
-- the validation triggers; contradicting state PT409.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- PT404 with SPEC §3's message, unless the caller can see the job.
CREATE FUNCTION jobs.require_visible_job(job_id text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = require_visible_job.job_id) THEN
        RAISE EXCEPTION 'job "%" not found', job_id USING ERRCODE = 'PT404';
    END IF;
END $$;

-- Creates a pending (or given status) job for the caller's tenant. Returns
-- true when created, false when the caller's tenant already has it (a
-- retry); another tenant's job of that id is 23505 (ids are global).
-- tenant_id may be given only by roles that bypass row-level security
-- (administration); for anyone else the policy refuses a foreign tenant.
CREATE FUNCTION jobs.create_job(job_id text, created_at timestamptz DEFAULT now(),
                                status text DEFAULT 'pending', started_at timestamptz DEFAULT NULL,
                                tenant_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := coalesce(create_job.tenant_id, jobs.current_tenant());
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

-- Adds inputs (one status for the batch, pending by default); inputs that
-- exist are left as they are. Returns how many were added.
CREATE FUNCTION jobs.add_inputs(job_id text, input_ids text[], status text DEFAULT 'pending')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count bigint;
BEGIN
    PERFORM jobs.require_visible_job(job_id);
    IF input_ids IS NULL THEN
        RAISE EXCEPTION 'input_ids must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    INSERT INTO jobs.job_inputs (job_id, id, status)
    SELECT add_inputs.job_id, i.id, add_inputs.status
    FROM (SELECT DISTINCT u.id FROM unnest(input_ids) AS u(id)) i
    ORDER BY i.id
    ON CONFLICT ON CONSTRAINT job_inputs_pkey DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END $$;

-- Marks the job running as of started_at. True when it did; false when the
-- job had started already (the first start wins).
CREATE FUNCTION jobs.start_job(job_id text, started_at timestamptz DEFAULT now())
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
    RAISE EXCEPTION 'job "%" is already %, it cannot start', job_id, v_job.status
        USING ERRCODE = 'PT409';
END $$;

-- Finishes an input as completed or failed at completed_at. True when it
-- did; false when it was already finished with that status (the first
-- finish, and its time, stay); PT409 when finished with the other status or
-- when it is a reference input (never tracked work).
CREATE FUNCTION jobs.finish_input(job_id text, input_id text, status text,
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
        RAISE EXCEPTION 'input "%" of job "%" not found', input_id, job_id USING ERRCODE = 'PT404';
    ELSIF v_input.status = status THEN
        RETURN false;
    END IF;
    RAISE EXCEPTION 'input "%" of job "%" is already %', input_id, job_id, v_input.status
        USING ERRCODE = 'PT409';
END $$;

-- Ends the job with a terminal status at finished_at. True when it did;
-- false when it had already ended with that status; PT409 otherwise.
CREATE FUNCTION jobs.finish_job(job_id text, status text, finished_at timestamptz DEFAULT now())
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
    RAISE EXCEPTION 'job "%" is already %', job_id, v_status USING ERRCODE = 'PT409';
END $$;

-- Appends a batch of progress reports, one per array position (the arrays
-- are parallel and of equal length; input_ids elements may be null for
-- job-level reports). Jobs may differ within a batch. Reports equal to a
-- stored row, or to an earlier one of the batch, are skipped (see the top of
-- this file). Returns how many rows were stored.
--
-- Concurrent retries of one batch must not both insert: the batch takes a
-- transaction-scoped advisory lock per job (in job order, so batches never
-- deadlock), and the duplicate check runs after it, in a statement whose
-- snapshot sees whatever the lock holder committed.
CREATE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
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
            RAISE EXCEPTION 'job "%" not found', v_missing.job_id USING ERRCODE = 'PT404';
        END IF;
        RAISE EXCEPTION 'input "%" of job "%" not found', v_missing.input_id, v_missing.job_id
            USING ERRCODE = 'PT404';
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
