-- Tenancy (docs/contract.md §5): row-level security on the three tables, keyed by the
-- caller's tenant, which the database itself decides from the role in
-- effect (jobs.tenant_roles). The extension creates no roles (roles are
-- cluster-wide; deploy/roles.sql creates and maps them) and grants nothing
-- on the data tables: privileges decide what a role may do, these policies
-- decide on which tenant's rows.
--
-- Superusers and the tables' owner (whoever ran CREATE EXTENSION) bypass
-- row-level security; every other role sees only its tenant.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Which tenant a database role acts for. A direct role (an analytics tool, a
-- worker) has a fixed tenant_id. A web role (the ones PostgREST switches
-- into) takes its tenant from the verified JWT's `tenant_id` claim: only
-- those roles ever read request.jwt.claims, so a GUC set by hand reaches no
-- other tenant. A role without a row sees no rows at all.
CREATE TABLE jobs.tenant_roles (
    role_name       name PRIMARY KEY,
    tenant_id       text,
    tenant_from_jwt boolean NOT NULL DEFAULT false,
    CONSTRAINT tenant_roles_one_source CHECK
        (tenant_from_jwt = (tenant_id IS NULL)),
    CONSTRAINT tenant_roles_tenant_not_empty CHECK (tenant_id <> '')
);
-- Deployment data, not extension code: pg_dump keeps its rows.
SELECT pg_catalog.pg_extension_config_dump('jobs.tenant_roles', '');
COMMENT ON TABLE jobs.tenant_roles IS
    'Tenant of each database role: fixed (tenant_id) or from the JWT claim tenant_id (tenant_from_jwt). Only the owner writes it.';

-- Every role may read its own mapping row and nothing else (the grant to
-- PUBLIC is what lets jobs_internal.current_tenant() run as the caller, without
-- SECURITY DEFINER, which would change current_user). Nobody but the owner
-- may write: there are no write grants and no write policies.
ALTER TABLE jobs.tenant_roles ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_mapping ON jobs.tenant_roles FOR SELECT
    USING (role_name = current_user);
GRANT SELECT ON jobs.tenant_roles TO PUBLIC;

-- The caller's tenant, or null (sees nothing). current_user, not
-- session_user: PostgREST logs in as its authenticator and switches role
-- per request. Malformed claims can only come from whoever holds the web
-- role, i.e. PostgREST; they raise 22P02 rather than leak. Only a JSON
-- string names a tenant: `->>` would turn {"tenant_id": 1.23e2} into "123"
-- and true into "true", so the strict path takes the claim only when it is
-- a string (no array unwrapping), and silently gives null otherwise.
-- shard/sql/proxy_tenancy.sql's caller_tenant reads the claim the same way.
CREATE FUNCTION jobs_internal.current_tenant() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (
    SELECT CASE WHEN r.tenant_from_jwt
                THEN jsonb_path_query_first(nullif(current_setting('request.jwt.claims', true), '')::jsonb,
                                            'strict $.tenant_id ? (@.type() == "string")', '{}', true) #>> '{}'
                ELSE r.tenant_id END
    FROM jobs.tenant_roles r
    WHERE r.role_name = current_user);

-- Policies, one per table, for every command: reads and writes alike are
-- confined to the caller's tenant (the grants choose the commands). The
-- tenant is computed once per query: `(SELECT jobs_internal.current_tenant())` is an
-- InitPlan, not a per-row call.
--
-- Equal work for a hidden and a missing job (docs/guarantees.md): with only
-- the primary key, a lookup by id found another tenant's row and only then
-- ran the tenant InitPlan and fetched the heap row to filter it, so a hidden
-- id took three times as long as a missing one. With (id, tenant_id) indexed
-- the planner makes the policy's tenant part of the index condition: the
-- tenant is computed before the descent, whatever the id, and neither a
-- hidden nor a missing id matches an index entry, so both do the same work
-- (sql/28_tenancy_equal_work.sql compares the executed plans and buffers).
CREATE INDEX jobs_id_tenant_idx ON jobs.jobs (id, tenant_id);
ALTER TABLE jobs.jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_jobs ON jobs.jobs
    USING (tenant_id = (SELECT jobs_internal.current_tenant()))
    WITH CHECK (tenant_id = (SELECT jobs_internal.current_tenant()));

-- Inputs and progress belong to a job: visible and writable when the job
-- is (the subquery is itself filtered by the policy above). PostgreSQL plans
-- this as a hashed subplan over the tenant's jobs, probed per row; the trace
-- functions therefore check the job row once and read its rows as the
-- tables' owner (src/glue/owner_access.c), paying nothing per row.
ALTER TABLE jobs.job_inputs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_job_inputs ON jobs.job_inputs
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_inputs.job_id))
    WITH CHECK (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_inputs.job_id));

ALTER TABLE jobs.job_progress ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_job_progress ON jobs.job_progress
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_progress.job_id))
    WITH CHECK (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = job_progress.job_id));
