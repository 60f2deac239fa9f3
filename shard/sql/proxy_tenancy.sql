-- Who the caller of the proxy is and which tenant it acts for: the same
-- rules as a single node's 40_security.sql (jobs.tenant_roles and
-- jobs.current_tenant()), held in the proxy database, which has no traces
-- tables of its own. Run as a superuser in the proxy database (proxy.sql
-- does, in order).
--
-- The proxy's API functions are SECURITY DEFINER (they alone may reach the
-- shards, see proxy_api.sql), so inside them current_user is their owner.
-- The caller is therefore the role the session acts as outside them: the
-- role set with SET ROLE / set_config('role', ...) -- which is how PostgREST
-- switches from its authenticator to the web or anonymous role -- or else
-- the session's login role. Both need a password or membership to obtain;
-- neither can be set by hand to a role one may not become.

CREATE SCHEMA IF NOT EXISTS jobs_proxy;
COMMENT ON SCHEMA jobs_proxy IS 'Internals of the traces proxy: tenancy, PL/Proxy calls, error mapping';
REVOKE ALL ON SCHEMA jobs_proxy FROM PUBLIC;

DO $$
BEGIN
    -- Owns the API functions and the PL/Proxy calls; the only role with a
    -- user mapping to the shards. Nobody logs in as it.
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'traces_router') THEN
        CREATE ROLE traces_router NOLOGIN;
    END IF;
    ALTER ROLE traces_router NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
END $$;
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
