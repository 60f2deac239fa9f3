-- The workers' write API: create a job, add inputs, start it, report
-- progress in batches, finish inputs, finish the job. The same functions
-- serve a single node and, behind PL/Proxy, each shard (generated from shard/signatures).
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
--   * start_job, start_input, finish_input, finish_job: the first call wins; repeating it
--     changes nothing; a call contradicting it (another terminal status) is
--     a conflict, PT409.
--   * report_progress: a report is identified by its whole content (contract
--     §7.3). A row equal to a stored one in job, input, kind, created_at,
--     metrics, step, message, payload and index is skipped.
--     Such a row is, per contract §1.6, the same cumulative snapshot of the same
--     stream at the same instant: storing it twice could never change a
--     trace, so skipping it loses nothing, and a retry needs no report id
--     the client would have to invent and keep. For the same reason
--     created_at is required (a server default would make every retry a new
--     snapshot).
-- Order of work (contract §7.2): shape of the arguments (nulls, lengths,
-- batch caps), values (jobs_internal.check_*_values, 47_batch_values.sql),
-- visibility (PT404), then the job's write lock (jobs_internal.lock_jobs,
-- 45_write_lock.sql), then stored state.
-- Plans: every function runs with plan_cache_mode = force_generic_plan
-- (its SET clause; the triggers its statements fire inherit it unless they
-- set their own, as the maintenance does). Their statements take arrays and
-- ids as parameters; the plan cache compares a generic plan, which guesses
-- 10 elements for an array, with custom plans that know 1, found the
-- generic one dearer and planned every call again: about 0.45 ms of a
-- single report's 1.1 ms, and most of jobs_internal.lock_jobs's cost
-- (issue 11's write budget, docs/load.md). The plans are the same shapes
-- (an index probe per element) either way. A batch of more than 100
-- elements is planned for its size, as the maintenance triggers do.
-- Errors: job (or input) missing or not visible: PT404 `job "<id>" not
-- found` as for reads (contract §3); nulls 22004, other bad values 22xxx from
-- the validation triggers; contradicting state PT409. PTnnn errors go
-- through jobs_internal.raise_error (25_pt_errors.sql), ids through
-- jobs_internal.echoed_id.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The batch caps of contract §7.5: they bound the row locks a call takes and
-- the work one statement does before it can be cancelled.
CREATE FUNCTION jobs_internal.max_batch_elements() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 10000;
CREATE FUNCTION jobs_internal.max_batch_jobs() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 100;

-- PT404 with contract §3's message, unless the caller can see the job.
CREATE FUNCTION jobs_internal.require_visible_job(job_id text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = require_visible_job.job_id) THEN
        PERFORM jobs_internal.raise_error('PT404', format('job "%s" not found', jobs_internal.echoed_id(job_id)));
    END IF;
END $$;

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

-- Marks the job running as of started_at. True when it did; false when the
-- job had started already (the first start wins).
CREATE FUNCTION jobs.start_job(job_id text, started_at timestamptz DEFAULT now())
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

-- Ends the job with a terminal status at finished_at. True when it did;
-- false when it had already ended with that status; PT409 otherwise.
CREATE FUNCTION jobs.finish_job(job_id text, status text, finished_at timestamptz DEFAULT now())
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
