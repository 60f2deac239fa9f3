-- The role the proxy logs in as on a shard, and what it may do (shard.sql
-- runs this after routing.sql and setup_helpers.sql). Safe to run again. Give it a password separately (ALTER ROLE traces_proxy
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

CREATE EXTENSION IF NOT EXISTS traces;
CALL pg_temp.ensure_role('traces_proxy', 'LOGIN NOINHERIT');

GRANT USAGE ON SCHEMA jobs TO traces_proxy;
-- Reads (the traces, the write API's checks) and the write API's statements;
-- row-level security confines all of them to the asserted tenant.
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO traces_proxy;
GRANT INSERT (id, tenant_id, status, created_at, started_at),
      UPDATE (status, started_at, finished_at, change_count) ON jobs.jobs TO traces_proxy;
GRANT INSERT (job_id, id, status, port_name, file_id, data, created_at),
      UPDATE (status, completed_at, error_message) ON jobs.job_inputs TO traces_proxy;
GRANT INSERT (job_id, input_id, kind, created_at, metrics, step, message, payload, "index")
    ON jobs.job_progress TO traces_proxy;

CALL pg_temp.map_tenant_role('jobs.tenant_roles', 'traces_proxy', NULL);

-- What the proxy's session runs as on behalf of a caller who may not write
-- through the function called (jobs_shard.begin_request): the same tenant
-- (from the claim), reads only. traces_proxy may switch into it.
CALL pg_temp.ensure_role('traces_proxy_reader', 'NOLOGIN');
GRANT USAGE ON SCHEMA jobs TO traces_proxy_reader;
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO traces_proxy_reader;
CALL pg_temp.map_tenant_role('jobs.tenant_roles', 'traces_proxy_reader', NULL);
GRANT traces_proxy_reader TO traces_proxy;

-- Values cross between proxy and shard as text (PL/Proxy sends timestamps
-- as text); the shard's answers are written in these settings, which read
-- back the same whatever the proxy's session uses (the proxy's side pins
-- the same ones on its PL/Proxy functions, shard/generate).
ALTER ROLE traces_proxy SET DateStyle = 'ISO, YMD';
ALTER ROLE traces_proxy SET IntervalStyle = 'postgres';
ALTER ROLE traces_proxy SET TimeZone = 'UTC';
ALTER ROLE traces_proxy SET extra_float_digits = 3;
