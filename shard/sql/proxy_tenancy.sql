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
        RAISE EXCEPTION 'job "%" not found', job_id USING ERRCODE = 'PT404';
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
