-- What the proxy calls on a shard: one function per API call, taking the
-- tenant the proxy verified (and, for the trace, PostgREST's method and
-- headers) as arguments. This file holds the schema and the two steps every
-- entry point takes; the entry points themselves are generated from
-- shard/signatures (shard/generate, template shard_entry_point). shard.sql
-- runs this after shard_roles.sql. Safe to run again.
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
-- Only the proxy's role may call them (they let it act for any tenant):
-- shard_grants.sql, once they exist.

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
