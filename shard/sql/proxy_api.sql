-- The proxy database's public API: the single node's function names and
-- arguments in schema jobs (PostgREST points here), each routed to the
-- shard of its job. Run as a superuser (proxy.sql does, in order).
--
-- Each function is SECURITY DEFINER, owned by traces_router, the only role
-- allowed to reach the shards: it determines the caller's tenant here
-- (jobs_proxy.caller_tenant(): the verified JWT claim for the web role, the
-- fixed mapping for direct roles), and passes it to the shard, which
-- applies it through row-level security. A caller cannot pass a tenant of
-- its choosing: no argument takes one, and the PL/Proxy calls that do are
-- not executable by callers.
--
-- Errors are the shard's own (same SQLSTATE and message as on a single
-- node) or, when the shard fails, PT503 / PT504 (proxy_errors.sql).

CREATE SCHEMA IF NOT EXISTS jobs;

-- Failing without a tenant here rather than on the shard: same answer
-- (the job is invisible), one round trip less.
CREATE OR REPLACE FUNCTION jobs_proxy.require_tenant(job_id text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_tenant text := jobs_proxy.caller_tenant();
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'job "%" not found', job_id USING ERRCODE = 'PT404';
    END IF;
    RETURN v_tenant;
END $$;
ALTER FUNCTION jobs_proxy.require_tenant(text) OWNER TO traces_router;

CREATE OR REPLACE FUNCTION jobs.progress_traces(job_id text, buckets integer DEFAULT 100) RETURNS json
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.require_tenant(job_id);
    v_answer record;
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    FOR attempt IN 1..2 LOOP
        BEGIN
            SELECT * INTO v_answer FROM jobs_proxy.progress_traces(v_tenant, job_id, buckets,
                nullif(current_setting('request.method', true), ''),
                nullif(current_setting('request.headers', true), ''));
            EXIT;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
    PERFORM jobs_proxy.set_response(v_answer.status, v_answer.headers);
    RETURN v_answer.body;
END $$;

-- Rows arrive only once the shard has answered in full, so a failed first
-- attempt has returned none.
CREATE OR REPLACE FUNCTION jobs.progress_trace_points(job_id text, buckets integer DEFAULT 100)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER ROWS 100 SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.require_tenant(job_id);
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    FOR attempt IN 1..2 LOOP
        BEGIN
            RETURN QUERY SELECT * FROM jobs_proxy.progress_trace_points(v_tenant, job_id, buckets);
            RETURN;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

-- Writes. Defaults are taken here, on the proxy, and sent explicitly.
-- create_job takes no tenant_id: the tenant is always the caller's.
CREATE OR REPLACE FUNCTION jobs.create_job(job_id text, created_at timestamptz DEFAULT now(),
                                           status text DEFAULT 'pending', started_at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.caller_tenant();
    v_result boolean;
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'role "%" acts for no tenant: cannot create job "%"', jobs_proxy.caller_role(), job_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR attempt IN 1..2 LOOP
        BEGIN
            v_result := jobs_proxy.create_job(v_tenant, job_id, created_at, status, started_at);
            RETURN v_result;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION jobs.add_inputs(job_id text, input_ids text[], status text DEFAULT 'pending')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.require_tenant(job_id);
    v_result bigint;
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    FOR attempt IN 1..2 LOOP
        BEGIN
            v_result := jobs_proxy.add_inputs(v_tenant, job_id, input_ids, status);
            RETURN v_result;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION jobs.start_job(job_id text, started_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.require_tenant(job_id);
    v_result boolean;
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    FOR attempt IN 1..2 LOOP
        BEGIN
            v_result := jobs_proxy.start_job(v_tenant, job_id, started_at);
            RETURN v_result;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_input(job_id text, input_id text, status text,
                                             completed_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.require_tenant(job_id);
    v_result boolean;
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    FOR attempt IN 1..2 LOOP
        BEGIN
            v_result := jobs_proxy.finish_input(v_tenant, job_id, input_id, status, completed_at);
            RETURN v_result;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

CREATE OR REPLACE FUNCTION jobs.finish_job(job_id text, status text, finished_at timestamptz DEFAULT now())
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.require_tenant(job_id);
    v_result boolean;
    v_state text; v_message text; v_detail text; v_hint text;
BEGIN
    FOR attempt IN 1..2 LOOP
        BEGIN
            v_result := jobs_proxy.finish_job(v_tenant, job_id, status, finished_at);
            RETURN v_result;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, format('job "%s"', job_id),
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

-- A batch over many jobs, split per shard by PL/Proxy; returns the rows
-- stored over all shards. Checked here what PL/Proxy would otherwise
-- reject with an internal error (null arrays or ids, unequal lengths).
-- A shard failing mid-batch leaves the other shards' shares stored:
-- sending the whole batch again stores only what is missing.
CREATE OR REPLACE FUNCTION jobs.report_progress(job_ids text[], input_ids text[], kinds text[],
                                                created_ats timestamptz[], metrics jsonb[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_tenant text := jobs_proxy.caller_tenant();
    v_len integer := cardinality(job_ids);
    v_result bigint;
    v_state text; v_message text; v_detail text; v_hint text;
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
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'job "%" not found', (SELECT min(j) FROM unnest(job_ids) j)
            USING ERRCODE = 'PT404';
    END IF;
    FOR attempt IN 1..2 LOOP
        BEGIN
            SELECT coalesce(sum(n), 0) INTO v_result
            FROM jobs_proxy.report_progress(v_tenant, job_ids, input_ids, kinds, created_ats, metrics) n;
            RETURN v_result;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT,
                                    v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
            PERFORM jobs_proxy.on_shard_error(attempt, 'a job of this batch',
                                              v_state, v_message, v_detail, v_hint);
        END;
    END LOOP;
END $$;

-- The caller's tenant, as jobs.current_tenant() on a single node.
CREATE OR REPLACE FUNCTION jobs.current_tenant() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
RETURN jobs_proxy.caller_tenant();

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'jobs'::regnamespace LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO traces_router', f);
    END LOOP;
END $$;
