-- The role the proxy logs in as on a shard, and what it may do. Run as a
-- superuser in each shard database, after CREATE EXTENSION traces. Safe to
-- run again. Give it a password separately (ALTER ROLE traces_proxy
-- PASSWORD ...), the one in the proxy's user mapping, and let pg_hba.conf
-- admit it only from the proxy hosts.
--
-- Trust: on a shard, traces_proxy is a "tenant from JWT" role
-- (jobs.tenant_roles), like the web role PostgREST switches into on a single
-- node. The tenant it acts for is whatever the proxy puts into
-- request.jwt.claims, which the proxy takes from its own verified caller
-- (see proxy_api.sql). Nobody else can assert a tenant here: other roles
-- have fixed tenants or none, and logging in as traces_proxy takes its
-- password, exactly as acting as the web role takes the authenticator's.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'traces_proxy') THEN
        CREATE ROLE traces_proxy LOGIN;
    END IF;
    ALTER ROLE traces_proxy LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
END $$;

GRANT USAGE ON SCHEMA jobs TO traces_proxy;
-- Reads (the traces, the write API's checks) and the write API's statements;
-- row-level security confines all of them to the asserted tenant.
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO traces_proxy;
GRANT INSERT (id, tenant_id, status, created_at, started_at),
      UPDATE (status, started_at, finished_at) ON jobs.jobs TO traces_proxy;
GRANT INSERT (job_id, id, status), UPDATE (status, completed_at) ON jobs.job_inputs TO traces_proxy;
GRANT INSERT (job_id, input_id, kind, created_at, metrics) ON jobs.job_progress TO traces_proxy;

INSERT INTO jobs.tenant_roles (role_name, tenant_id, tenant_from_jwt)
VALUES ('traces_proxy', NULL, true)
ON CONFLICT (role_name) DO UPDATE
    SET tenant_id = EXCLUDED.tenant_id, tenant_from_jwt = EXCLUDED.tenant_from_jwt;
