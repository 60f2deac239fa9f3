-- What sql/28, 29 and 31 replay PostgREST against: the deployment's roles
-- under regress_* names (each file ends with regress_roles_drop.sql), the
-- published sample job, the tenants' jobs, and both release lines'
-- statements (postgrest_v12.sql, postgrest_v16.sql, postgrest_routed.sql).
\ir ../fixtures/regress_roles.sql
\ir ../fixtures/sample_job.sql
\ir tenants_fixture.sql
\ir postgrest_v12.sql
\ir postgrest_v16.sql
\ir postgrest_routed.sql
