-- 28_tenancy_equal_work: another tenant's job and a missing job cost the
-- same (docs/guarantees.md, "No side channel in the lookup"). Timing is
-- never asserted; the work is: the executed plan of each visibility query,
-- with its nodes, loops, rows and buffer counts, must be the same for a
-- hidden and a missing id once the id itself is masked. Before the tenant
-- became part of the index condition, a hidden id ran the tenant InitPlan
-- and fetched the heap row, a missing one did neither.
\set ECHO none
\i test/fixtures/http_preamble.sql
\pset format aligned
\x off

-- The executed plan of query (a format string for the id), after one
-- unmeasured run so that caches are warm for both ids alike. The planning
-- block is left out (it is not execution, and depends on catalog caches).
CREATE FUNCTION pg_temp.work(query text, job_id text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    EXECUTE format(query, job_id);
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || format(query, job_id) LOOP
        EXIT WHEN line ~ '^\s*Planning:';
        plan := plan || replace(line, job_id, '<id>') || E'\n';
    END LOOP;
    RETURN plan;
END $$;

-- The lookups whose cost could tell the two apart: the trace's job row
-- (src/glue/job_reader.c), the write API's visibility check
-- (jobs_internal.require_visible_job), and the ETag probe.
CREATE TEMP TABLE lookups (name text, query text);
INSERT INTO lookups VALUES
    ('trace job row', 'SELECT created_at, started_at, finished_at FROM jobs.jobs WHERE id = %L'),
    ('write visibility', 'SELECT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = %L)'),
    ('job_visible', 'SELECT jobs_internal.job_visible(%L)'),
    ('latest_event_at', 'SELECT jobs.latest_event_at(%L)');
GRANT SELECT ON lookups TO PUBLIC;
\set ECHO all

-- A direct role of tenant_demo: tenant_other's job_other against a missing id.
SET SESSION AUTHORIZATION regress_analytics_demo;
SELECT name, pg_temp.work(query, 'job_other') = pg_temp.work(query, 'job_nope') AS same_work
FROM lookups ORDER BY name;
-- The lookup does run for its own job (the comparison is not vacuous).
SELECT pg_temp.work(query, 'job_2abc') <> pg_temp.work(query, 'job_nope') AS own_job_differs
FROM lookups WHERE name = 'trace job row';
RESET SESSION AUTHORIZATION;

-- The web role with tenant_other's claim: tenant_demo's job_2abc against a missing id.
SET SESSION AUTHORIZATION regress_web;
SELECT set_config('request.jwt.claims', '{"role":"regress_web","tenant_id":"tenant_other"}', false) IS NOT NULL AS claims_set;
SELECT name, pg_temp.work(query, 'job_2abc') = pg_temp.work(query, 'job_nope') AS same_work
FROM lookups ORDER BY name;
RESET SESSION AUTHORIZATION;
SELECT set_config('request.jwt.claims', '', false) IS NOT NULL AS claims_reset;

\set ECHO none
DROP TABLE lookups;
\i test/fixtures/regress_roles_drop.sql
