-- 31_search_path: every function of the extension whose names resolve at
-- run time pins search_path (docs/contract.md §8), so nothing a caller puts
-- on its search path runs inside it. Exempt: SQL-standard bodies (BEGIN
-- ATOMIC / RETURN, bound when created; a SET clause would also stop their
-- inlining) and C functions that run no query (the row validation calls
-- only pinned functions, by qualified name), named here one by one so
-- that a new C function has to be added deliberately.

-- Functions that break the rule (expected: none).
SELECT p.oid::regprocedure AS unpinned
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'traces'
JOIN pg_language l ON l.oid = p.prolang
WHERE NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)
  AND NOT (l.lanname = 'sql' AND p.prosqlbody IS NOT NULL)
  AND NOT (l.lanname = 'c' AND p.oid IN ('jobs_internal.metric_count(jsonb, text)'::regprocedure,
                                         -- they call pinned PL/pgSQL functions by qualified name
                                         'jobs_internal.validate_input_row()'::regprocedure,
                                         'jobs_internal.validate_progress_row()'::regprocedure))
ORDER BY 1;

-- The rule has something to hold: how many functions each kind covers.
SELECT l.lanname, p.prosqlbody IS NOT NULL AS standard_body,
       coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) AS pinned, count(*)
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'traces'
JOIN pg_language l ON l.oid = p.prolang
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- A caller's own `=` for text, planted ahead of pg_catalog, never runs in the
-- validation triggers: a good row goes in, a bad one gets the usual message.
CREATE SCHEMA regress_planted;
CREATE FUNCTION regress_planted.text_eq(text, text) RETURNS boolean
LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the planted operator ran'; END $$;
CREATE OPERATOR regress_planted.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_planted.text_eq);
BEGIN;
SET LOCAL search_path = regress_planted, pg_catalog;
SELECT 'a'::text = 'a'::text AS planted_operator_in_effect;
ROLLBACK;
BEGIN;
SET LOCAL search_path = regress_planted, pg_catalog;
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('job_regress_planted', 'tenant_demo', '2026-04-14 09:00:00+00');
INSERT INTO jobs.job_inputs (job_id, id) VALUES ('job_regress_planted', 'f1');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_regress_planted', 'f1', 'k', '2026-04-14 09:00:00+00', '{"success":1}');
SELECT count(*) AS stored FROM jobs.job_progress WHERE job_id OPERATOR(pg_catalog.=) 'job_regress_planted';
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('', 'tenant_demo', '2026-04-14 09:00:00+00');
ROLLBACK;
DROP SCHEMA regress_planted CASCADE;
