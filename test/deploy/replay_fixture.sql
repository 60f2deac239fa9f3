-- What sql/28-30 replay PostgREST against: the deployment's roles, the
-- published sample job, the tenants' jobs, and both release lines'
-- statements (test/deploy/postgrest_v12.sql, postgrest_v16.sql,
-- postgrest_routed.sql).
\i deploy/roles.sql
\i test/fixtures/sample_job.sql
\i test/deploy/tenants_fixture.sql
\i test/deploy/postgrest_v12.sql
\i test/deploy/postgrest_v16.sql
\i test/deploy/postgrest_routed.sql
