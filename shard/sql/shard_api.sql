-- What the proxy calls on a shard: one function per API call, taking the
-- tenant the proxy verified (and, for the trace, PostgREST's method and
-- headers) as arguments. Run as a superuser in each shard database after
-- CREATE EXTENSION traces and shard_roles.sql. Safe to run again.
--
-- Each function runs as the caller, traces_proxy (SECURITY INVOKER): it
-- puts the request into this transaction's settings, as PostgREST does on a
-- single node, then calls the extension's own function, so row-level
-- security, validation and the ETag / If-None-Match logic are exactly the
-- single node's. PL/Proxy runs each call as its own transaction on the
-- shard, so the settings end with it.
--
-- A cancelled statement (the shard's statement_timeout for traces_proxy, or
-- a cancel the proxy forwarded) leaves as SQLSTATE PT504, not 57014: PL/Proxy
-- 2.10 takes a remote 57014 for a cancel of its own, forwards a cancel and
-- then waits for an answer it has already read -- until the proxy's own
-- statement_timeout, or forever without one.

CREATE SCHEMA IF NOT EXISTS jobs_shard;
COMMENT ON SCHEMA jobs_shard IS 'Entry points of the traces proxy (PL/Proxy) on a shard';
REVOKE ALL ON SCHEMA jobs_shard FROM PUBLIC;
GRANT USAGE ON SCHEMA jobs_shard TO traces_proxy;
-- Only the proxy's role may call them (they let it act for any tenant).
ALTER DEFAULT PRIVILEGES IN SCHEMA jobs_shard REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- The tenant goes where jobs.current_tenant() reads it for a "tenant from
-- JWT" role (traces_proxy is one, see shard_roles.sql); method and headers
-- where the trace's conditional-request code reads them. Empty means unset.
CREATE OR REPLACE FUNCTION jobs_shard.begin_request(tenant text, request_method text DEFAULT NULL,
                                                    request_headers text DEFAULT NULL)
RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
    SELECT set_config('request.jwt.claims', json_build_object('tenant_id', tenant)::text, true),
           set_config('request.method', coalesce(request_method, ''), true),
           set_config('request.headers', coalesce(request_headers, ''), true),
           set_config('response.status', '', true),
           set_config('response.headers', '', true);
END;

-- The cancelled statement, as PT504 (see the top).
CREATE OR REPLACE FUNCTION jobs_shard.raise_timeout() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the shard cancelled the statement (statement_timeout or a cancel request)'
        USING ERRCODE = 'PT504';
END $$;

-- The trace and what PostgREST would read after it: response.status
-- (null, or 304 / 412 on an If-None-Match match) and response.headers
-- (ETag, Cache-Control, Vary when headers were passed).
CREATE OR REPLACE FUNCTION jobs_shard.progress_traces(
    tenant text, job_id text, buckets integer, request_method text, request_headers text,
    OUT status integer, OUT headers text, OUT body json)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant, request_method, request_headers);
        body := jobs.progress_traces(job_id, buckets);
        status := nullif(current_setting('response.status', true), '')::integer;
        headers := nullif(current_setting('response.headers', true), '');
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

CREATE OR REPLACE FUNCTION jobs_shard.progress_trace_points(tenant text, job_id text, buckets integer)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
LANGUAGE plpgsql VOLATILE ROWS 100 AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN QUERY SELECT * FROM jobs.progress_trace_points(job_id, buckets);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

CREATE OR REPLACE FUNCTION jobs_shard.create_job(tenant text, job_id text, created_at timestamptz,
                                                 status text, started_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN jobs.create_job(job_id, created_at, status, started_at);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

CREATE OR REPLACE FUNCTION jobs_shard.add_inputs(tenant text, job_id text, input_ids text[], status text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN jobs.add_inputs(job_id, input_ids, status);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

CREATE OR REPLACE FUNCTION jobs_shard.start_job(tenant text, job_id text, started_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN jobs.start_job(job_id, started_at);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

CREATE OR REPLACE FUNCTION jobs_shard.finish_input(tenant text, job_id text, input_id text, status text,
                                                   completed_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN jobs.finish_input(job_id, input_id, status, completed_at);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

CREATE OR REPLACE FUNCTION jobs_shard.finish_job(tenant text, job_id text, status text, finished_at timestamptz)
RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN jobs.finish_job(job_id, status, finished_at);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

-- One shard's share of a batch (PL/Proxy's SPLIT hands each shard the
-- elements of its jobs).
CREATE OR REPLACE FUNCTION jobs_shard.report_progress(tenant text, job_ids text[], input_ids text[], kinds text[],
                                                      created_ats timestamptz[], metrics jsonb[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    BEGIN
        PERFORM jobs_shard.begin_request(tenant);
        RETURN jobs.report_progress(job_ids, input_ids, kinds, created_ats, metrics);
    EXCEPTION WHEN query_canceled THEN
        PERFORM jobs_shard.raise_timeout();
    END;
END $$;

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA jobs_shard FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA jobs_shard TO traces_proxy;
