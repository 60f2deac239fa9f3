-- Who the caller of the proxy is and which tenant it acts for: the same
-- rules as a single node's 40_security.sql (jobs.tenant_roles and
-- jobs.current_tenant()), held in the proxy database, which has no traces
-- tables of its own. proxy.sql runs this after routing.sql and
-- setup_helpers.sql.
--
-- The proxy's API functions are SECURITY DEFINER (they alone may reach the
-- shards, see proxy_api.sql), so inside them current_user is their owner.
-- The caller is therefore the role the session acts as outside them: the
-- role set with SET ROLE / set_config('role', ...) -- which is how PostgREST
-- switches from its authenticator to the web or anonymous role -- or else
-- the session's login role. Both need a password or membership to obtain;
-- neither can be set by hand to a role one may not become.

CREATE EXTENSION IF NOT EXISTS plproxy;
CREATE SCHEMA IF NOT EXISTS jobs;
CREATE SCHEMA IF NOT EXISTS jobs_proxy;
COMMENT ON SCHEMA jobs_proxy IS 'Internals of the traces proxy: tenancy, PL/Proxy calls, error mapping';
REVOKE ALL ON SCHEMA jobs_proxy FROM PUBLIC;

-- Owns the API functions and the PL/Proxy calls; the only role with a
-- user mapping to the shards. Nobody logs in as it.
CALL pg_temp.ensure_role('traces_router', 'NOLOGIN');
GRANT USAGE ON SCHEMA jobs_proxy TO traces_router;

-- Same shape and meaning as jobs.tenant_roles on a single node.
CREATE TABLE IF NOT EXISTS jobs_proxy.tenant_roles (
    role_name       name PRIMARY KEY,
    tenant_id       text,
    tenant_from_jwt boolean NOT NULL DEFAULT false,
    CONSTRAINT tenant_roles_one_source CHECK (tenant_from_jwt = (tenant_id IS NULL)),
    CONSTRAINT tenant_roles_tenant_not_empty CHECK (tenant_id <> '')
);
COMMENT ON TABLE jobs_proxy.tenant_roles IS
    'Tenant of each role calling the proxy: fixed (tenant_id) or the verified JWT''s tenant_id claim (tenant_from_jwt).';
GRANT SELECT ON jobs_proxy.tenant_roles TO traces_router;

-- The role the request runs as, seen from inside a SECURITY DEFINER
-- function ('none' means no SET ROLE is in effect).
CREATE OR REPLACE FUNCTION jobs_proxy.caller_role() RETURNS name
LANGUAGE sql STABLE
RETURN CASE WHEN current_setting('role') = 'none' THEN session_user
            ELSE current_setting('role')::name END;

-- The caller's tenant, or null: then it sees no job at all.
CREATE OR REPLACE FUNCTION jobs_proxy.caller_tenant() RETURNS text
LANGUAGE sql STABLE
RETURN (
    SELECT CASE WHEN r.tenant_from_jwt
                THEN nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'tenant_id'
                ELSE r.tenant_id END
    FROM jobs_proxy.tenant_roles r
    WHERE r.role_name = jobs_proxy.caller_role());

-- A PTnnn error as a single node raises it (src/glue/pt_errors.c): for a
-- plain SQL caller SQLSTATE PTnnn; through PostgREST (request.headers set)
-- SQLSTATE PGRST with the JSON body in the message and the status in the
-- detail, so no client byte reaches the HTTP status line. The text of the
-- JSON is the node's byte for byte (to_json escapes as its escape_json).
CREATE OR REPLACE FUNCTION jobs_proxy.raise_pt(code text, message text, details text, hint text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('request.headers', true), '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PGRST',
            MESSAGE = format('{"code": %s, "message": %s%s%s}', to_json(code), to_json(message),
                             ', "details": ' || to_json(details), ', "hint": ' || to_json(hint)),
            DETAIL = format('{"status": %s, "headers": {}}', substr(code, 3));
    END IF;
    PERFORM jobs_proxy.raise_as(code, message, details, hint);
END $$;

-- An id as error messages show it: at most 512 bytes (whole characters),
-- then "…" (jobs.echoed_id on a node).
CREATE OR REPLACE FUNCTION jobs_proxy.echoed_id(id text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN octet_length(id) <= 512 THEN id
            ELSE (SELECT left(id, n) FROM generate_series(512, 1, -1) AS n
                  WHERE octet_length(left(id, n)) <= 512 LIMIT 1) || '…' END;

-- The tenant of a call for one job, checked here: without a tenant the
-- answer is the single node's -- the job is invisible (PT404), or, to
-- create one, 42501 naming the caller's role, which only the proxy knows (on
-- the shard the caller is always traces_proxy) -- and one round trip less.
CREATE OR REPLACE FUNCTION jobs_proxy.require_tenant(job_id text, creating boolean DEFAULT false)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_tenant text := jobs_proxy.caller_tenant();
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF v_tenant IS NULL AND creating THEN
        RAISE EXCEPTION 'role "%" acts for no tenant: cannot create job "%"', jobs_proxy.caller_role(), job_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_tenant IS NULL THEN
        PERFORM jobs_proxy.raise_pt('PT404', format('job "%s" not found', jobs_proxy.echoed_id(job_id)), NULL, NULL);
    END IF;
    RETURN v_tenant;
END $$;

-- Whether PL/Proxy can split a batch by its key array: a tenant, every
-- array given and of the key's length, at least one element, no null key
-- (its routing hash would be null). Anything else goes whole to one shard,
-- where the extension's own checks answer exactly as a single node (the
-- errors for null or unequal arrays, 0 for an empty batch, PT404 for the
-- first job when the caller has no tenant): those checks are written once,
-- in the extension, and not repeated here.
CREATE OR REPLACE FUNCTION jobs_proxy.can_split(tenant text, keys text[], VARIADIC lengths integer[])
RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN tenant IS NOT NULL AND cardinality(keys) > 0 AND array_position(keys, NULL) IS NULL
       AND (SELECT bool_and(l IS NOT DISTINCT FROM cardinality(keys)) FROM unnest(lengths) l);
