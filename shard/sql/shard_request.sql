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

-- The tenant goes where jobs_internal.current_tenant() reads it for a "tenant from
-- JWT" role (traces_proxy and traces_proxy_reader are such roles, see
-- shard_roles.sql); method and headers where the trace's conditional-request
-- code reads them. Empty means unset. Then the caller's rights, so that the
-- extension refuses exactly what a single node refuses, where it refuses it:
--   read_only   the caller's transaction on the proxy is read-only: so is
--               this one (a write is 25006, at the single node's step);
--   may_write   the caller may write through this function (the proxy's
--               jobs_proxy.write_grants); otherwise the rest of the
--               transaction runs as traces_proxy_reader, which may only
--               read: a write is 42501, after the same checks as on a
--               single node.
DROP FUNCTION IF EXISTS jobs_shard.begin_request(text, text, text);  -- before the rights
CREATE OR REPLACE FUNCTION jobs_shard.begin_request(tenant text, read_only boolean, may_write boolean,
                                                    request_method text DEFAULT NULL,
                                                    request_headers text DEFAULT NULL)
RETURNS void
LANGUAGE sql VOLATILE
BEGIN ATOMIC
    SELECT set_config('request.jwt.claims', json_build_object('tenant_id', tenant)::text, true),
           set_config('request.method', coalesce(request_method, ''), true),
           set_config('request.headers', coalesce(request_headers, ''), true),
           set_config('response.status', '', true),
           set_config('response.headers', '', true),
           CASE WHEN read_only IS NOT false THEN set_config('transaction_read_only', 'on', true) END,
           CASE WHEN may_write IS NOT true THEN set_config('role', 'traces_proxy_reader', true) END;
END;

-- What the validation round of a batch reports (generated NAME_check, one
-- per batch function; docs/contract.md §7.4): the error the shard's share
-- met, its phase of §7.2 (1 shape, 2 values, 3 visibility, 4 the lock and
-- the caller's rights, 5 stored state) and what orders it within the phase
-- (the original array position of a bad value; the missing job / input).
DO $$
BEGIN
    IF to_regtype('jobs_shard.batch_error') IS NULL THEN
        CREATE TYPE jobs_shard.batch_error AS (phase integer, pos bigint, job_id text, input_id text,
                                               state text, message text, detail text, hint text);
    END IF;
END $$;

-- The error a share met, classified by its phase of §7.2: a bad value
-- (phase 2) is the one the extension reports with DETAIL `element <n> of
-- the batch`, n counted in the share: it becomes the element's position in
-- the whole batch (`positions`), DETAIL renumbered to match. PT404 names a
-- job or an input of the share (found by its message among the share's
-- ids); 25006, 42501 are the lock step; anything else is stored state
-- (phase 5: the kind caps, 22023, name their job, ordered by it). No shape
-- error (phase 1) reaches a share: the proxy sends a batch that could have
-- one whole to one shard (jobs_proxy.can_split, jobs_proxy.within_caps).
DROP FUNCTION IF EXISTS jobs_shard.value_error(jobs_shard.batch_error, bigint);
DROP FUNCTION IF EXISTS jobs_shard.classify(jobs_shard.batch_error, text[], text[]);
CREATE OR REPLACE FUNCTION jobs_shard.classify(e jobs_shard.batch_error, job_ids text[], input_ids text[],
                                               positions bigint[])
RETURNS jobs_shard.batch_error
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_element integer := substring(e.detail FROM '^element ([0-9]+) of the batch$')::integer;
    r record;
BEGIN
    e.phase := CASE WHEN v_element IS NOT NULL THEN 2
                    WHEN e.state = 'PT404' THEN 3
                    WHEN e.state IN ('25006', '42501') THEN 4
                    ELSE 5 END;
    IF e.phase = 2 THEN
        e.pos := positions[v_element];
        e.detail := format('element %s of the batch', e.pos);
    ELSIF e.phase = 3 THEN
        SELECT u.j, u.i INTO r
        FROM unnest(job_ids, coalesce(input_ids, array_fill(NULL::text, ARRAY[cardinality(job_ids)]))) u(j, i)
        WHERE e.message IN (format('job "%s" not found', u.j), format('input "%s" of job "%s" not found', u.i, u.j))
        ORDER BY e.message = format('job "%s" not found', u.j) DESC
        LIMIT 1;
        e.job_id := r.j;
        e.input_id := CASE WHEN e.message <> format('job "%s" not found', r.j) THEN r.i END;
    ELSIF e.phase = 5 THEN
        e.job_id := (SELECT min(u.j COLLATE "C") FROM unnest(job_ids) u(j)
                     WHERE strpos(e.message, format('job "%s"', u.j)) > 0);
    END IF;
    RETURN e;
END $$;

-- The extension's batch caps (contract §7.5: elements, distinct jobs of
-- one call), which the proxy applies to a whole batch before splitting it
-- (jobs_proxy.within_caps): the numbers stay written once, in the extension.
CREATE OR REPLACE FUNCTION jobs_shard.batch_caps() RETURNS integer[]
LANGUAGE sql STABLE
RETURN ARRAY[jobs_internal.max_batch_elements(), jobs_internal.max_batch_jobs()];

-- The cancelled statement, as PT504 (see the top).
CREATE OR REPLACE FUNCTION jobs_shard.raise_timeout() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the shard cancelled the statement (statement_timeout or a cancel request)'
        USING ERRCODE = 'PT504';
END $$;
