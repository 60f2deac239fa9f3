-- 29_tenancy_claims_writes: only a JSON string names a tenant
-- (docs/contract.md §5.2), and a role that cannot create jobs learns
-- nothing from the write API: another tenant's job answers exactly like a
-- missing one, for every write function (§5.5).
\set ECHO none
\i test/fixtures/http_preamble.sql
\pset format aligned
\x off
\set ECHO all

-- The web role's tenant for each form of the tenant_id claim: a string
-- names one; a number, a boolean, an array, an object, null and a missing
-- claim name none (`->>` used to turn 1.23e2 into "123" and true into "true").
SET SESSION AUTHORIZATION regress_web;
SELECT c.claims, (SELECT jobs_internal.current_tenant()
                  FROM (SELECT set_config('request.jwt.claims', c.claims, true)) s) AS tenant
FROM (VALUES ('{"tenant_id":"tenant_demo"}'), ('{"tenant_id":"123"}'), ('{"tenant_id":1.23e2}'),
             ('{"tenant_id":123}'), ('{"tenant_id":true}'), ('{"tenant_id":["tenant_demo"]}'),
             ('{"tenant_id":{"a":"tenant_demo"}}'), ('{"tenant_id":null}'), ('{}'), ('"tenant_demo"'),
             ('["tenant_demo"]')) AS c(claims);
RESET SESSION AUTHORIZATION;

-- A job of tenant "123" is not reachable with the number 123 in the claim.
SELECT jobs.create_job('job_regress_123', '2026-04-14 09:00:00+00', tenant_id => '123');
SET SESSION AUTHORIZATION regress_web;
SELECT set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":123}', false) IS NOT NULL AS claims_set;
SELECT jobs.progress_traces('job_regress_123', 10);
SELECT :'LAST_ERROR_SQLSTATE' AS sqlstate;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_reset;
RESET SESSION AUTHORIZATION;
DELETE FROM jobs.jobs WHERE id = 'job_regress_123';

-- Every write function, called by tenant_demo's worker (which cannot create
-- jobs) for tenant_other's job_other and for a missing id: the same SQLSTATE
-- and the same message once the id is masked.
CREATE FUNCTION pg_temp.answer(call text, job_id text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(call, job_id);
    RETURN 'ok (no error)';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || replace(SQLERRM, job_id, '<id>');
END $$;
SET SESSION AUTHORIZATION regress_worker_demo;
SELECT split_part(c.call, '(', 1) AS function,
       pg_temp.answer(c.call, 'job_other') = pg_temp.answer(c.call, 'job_nope') AS same_answer,
       split_part(pg_temp.answer(c.call, 'job_nope'), ' ', 1) AS sqlstate
FROM (VALUES ('SELECT jobs.create_job(%L)'),
             ('SELECT jobs.add_inputs(%L, ''{f1}'')'),
             ('SELECT jobs.start_job(%L)'),
             ('SELECT jobs.finish_input(%L, ''f1'', ''completed'')'),
             ('SELECT jobs.finish_job(%L, ''completed'')'),
             ('SELECT jobs.report_progress(ARRAY[%L], ''{NULL}'', ''{k}'', ''{2026-04-14 09:00:00+00}'', ''{"{}"}'')'),
             ('SELECT jobs.latest_event_at(%L)')) AS c(call)
ORDER BY 1;
RESET SESSION AUTHORIZATION;

\set ECHO none
\i test/fixtures/regress_roles_drop.sql
