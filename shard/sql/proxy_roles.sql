-- Roles calling the proxy, as deploy/roles.sql sets them up on a single
-- node: PostgREST's authenticator and the roles it switches into, and
-- example direct roles. Run as a superuser in the proxy database after
-- proxy_api.sql (proxy.sql does). Safe to run again. Passwords separately.
--
--   traces_authenticator  PostgREST logs in as it (NOINHERIT, no tenant)
--   traces_web            JWT "role"; tenant = the verified JWT's tenant_id
--   traces_anon           requests without JWT: no tenant, every job 404
--   traces_analytics_demo direct reader of tenant_demo
--   traces_worker_demo    direct writer of tenant_demo

DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES
        ('traces_authenticator',  'LOGIN NOINHERIT'),
        ('traces_web',            'NOLOGIN'),
        ('traces_anon',           'NOLOGIN'),
        ('traces_analytics_demo', 'LOGIN'),
        ('traces_worker_demo',    'LOGIN')) AS v(name, options)
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            EXECUTE format('CREATE ROLE %I %s', r.name, r.options);
        END IF;
        EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS %s',
                       r.name, r.options);
    END LOOP;
    IF NOT pg_catalog.pg_has_role('traces_authenticator', 'traces_web', 'MEMBER') THEN
        GRANT traces_web TO traces_authenticator;
    END IF;
    IF NOT pg_catalog.pg_has_role('traces_authenticator', 'traces_anon', 'MEMBER') THEN
        GRANT traces_anon TO traces_authenticator;
    END IF;
END $$;

-- The API functions are executable by PUBLIC (SECURITY DEFINER, and they
-- act only for the caller's own tenant); the schema must be usable.
GRANT USAGE ON SCHEMA jobs
    TO traces_web, traces_anon, traces_analytics_demo, traces_worker_demo;

INSERT INTO jobs_proxy.tenant_roles (role_name, tenant_id, tenant_from_jwt) VALUES
    ('traces_web',            NULL,          true),
    ('traces_analytics_demo', 'tenant_demo', false),
    ('traces_worker_demo',    'tenant_demo', false)
ON CONFLICT (role_name) DO UPDATE
    SET tenant_id = EXCLUDED.tenant_id, tenant_from_jwt = EXCLUDED.tenant_from_jwt;
