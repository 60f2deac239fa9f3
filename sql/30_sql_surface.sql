-- 30_sql_surface: the SQL surface is what docs/contract.md §8 says. Schema
-- `jobs` holds the API and nothing else, every table, column and function
-- there has a comment (PostgREST's OpenAPI, psql's \d+ and \df+ show them),
-- the helpers live in `jobs_internal`, and each deployment role may execute
-- exactly the functions §8 lists for it.
\set ECHO none
\i test/fixtures/regress_roles.sql
\set ECHO all
-- A login that acts for no tenant (no row in jobs.tenant_roles).
CREATE ROLE regress_no_tenant LOGIN;

-- The API: every function of schema jobs, with its kind.
SELECT p.oid::regprocedure AS function, p.prokind, p.prosecdef AS security_definer
FROM pg_proc p WHERE p.pronamespace = 'jobs'::regnamespace
ORDER BY p.oid::regprocedure::text;

-- Tables of schema jobs (the data and the tenant mapping), nothing else.
SELECT c.relname, c.relkind FROM pg_class c
WHERE c.relnamespace = 'jobs'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
ORDER BY 1;

-- Without a comment (each list must be empty): functions, tables and
-- columns of jobs; functions of jobs_internal.
SELECT p.oid::regprocedure AS uncommented_function
FROM pg_proc p WHERE p.pronamespace IN ('jobs'::regnamespace, 'jobs_internal'::regnamespace)
  AND obj_description(p.oid, 'pg_proc') IS NULL;
SELECT c.relname AS uncommented_table FROM pg_class c
WHERE c.relnamespace = 'jobs'::regnamespace AND c.relkind = 'r'
  AND obj_description(c.oid, 'pg_class') IS NULL;
SELECT c.relname, a.attname AS uncommented_column
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'jobs'::regnamespace AND c.relkind = 'r'
  AND col_description(c.oid, a.attnum) IS NULL;

-- Who may use the internal schema: everyone (see 01_internal_schema.sql).
SELECT r AS role, has_schema_privilege(r, 'jobs_internal', 'USAGE') AS internal_usage,
       has_schema_privilege(r, 'jobs', 'USAGE') AS jobs_usage
FROM unnest(ARRAY['regress_web', 'regress_anon', 'regress_analytics_demo', 'regress_worker_demo',
                  'regress_authenticator', 'regress_no_tenant']) AS r;

-- Per role, the functions it may execute (contract §8): one row per
-- function, one column per role.
SELECT n.nspname AS schema, p.oid::regprocedure AS function,
       has_function_privilege('regress_web', p.oid, 'EXECUTE') AS web,
       has_function_privilege('regress_anon', p.oid, 'EXECUTE') AS anon,
       has_function_privilege('regress_analytics_demo', p.oid, 'EXECUTE') AS analytics,
       has_function_privilege('regress_worker_demo', p.oid, 'EXECUTE') AS worker,
       has_function_privilege('regress_authenticator', p.oid, 'EXECUTE') AS authenticator,
       has_function_privilege('regress_no_tenant', p.oid, 'EXECUTE') AS no_tenant
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname IN ('jobs', 'jobs_internal')
ORDER BY n.nspname, p.oid::regprocedure::text;

DROP ROLE regress_no_tenant;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
