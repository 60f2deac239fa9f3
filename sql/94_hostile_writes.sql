-- 94_hostile_writes: the write path against hostile and buggy writers
-- (docs/contract.md §7.2, §7.5, §10):
--   * the batch caps refuse a call before it reads or locks anything;
--   * the write lock is the job row, taken after the visibility check: a
--     read-only role gets PT404 for a hidden job and 42501 for its own, a
--     read-only transaction 25006 (specs/write_lock.spec: a role with no
--     tenant cannot stall a tenant's writer);
--   * a job holds at most 100 distinct kinds and 8192 bytes of kind names,
--     through the write API and direct INSERT, tested at each cap and one past;
--   * a time more than traces.max_future_skew ahead is refused (22008) for
--     tenants' writers, not for the superuser loading data;
--   * a finished input keeps its status and time, for every role (PT409).
\set ECHO none
\i test/fixtures/regress_roles.sql
\set ECHO all
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
CREATE ROLE regress_nobody;
GRANT USAGE ON SCHEMA jobs TO regress_nobody;
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
SELECT j.id, CASE WHEN j.id = 'h94_other' THEN 'tenant_other' ELSE 'tenant_demo' END,
       'running', '2026-04-14 09:00+00', '2026-04-14 09:00+00'
FROM unnest('{h94_job,h94_kinds_api,h94_bytes_api,h94_kinds_sql,h94_bytes_sql,h94_other}'::text[]) AS j(id);
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES
    ('h94_job', 'in_1', 'pending', NULL), ('h94_job', 'in_2', 'completed', '2026-04-14 09:30+00');

-- ===== The trigger functions are the extension's tables' only =====
-- A login with no tenant cannot attach any of them to a table of its own
-- (src/sql/92_trigger_functions.sql): the SECURITY DEFINER ones would run as
-- the owner on rows it made up. Every function of the extension returning
-- trigger is tried, so a new one is covered.
CREATE FUNCTION pg_temp.attach_as_nobody() RETURNS TABLE (trigger_function regprocedure, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
    f regprocedure;
BEGIN
    CREATE TEMP TABLE h94_mine (id text, job_id text, kind text);
    FOR f IN SELECT p.oid FROM pg_proc p
             JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'traces'
             WHERE p.prorettype = 'trigger'::regtype ORDER BY p.oid::regprocedure::text LOOP
        trigger_function := f;
        BEGIN
            EXECUTE format('CREATE TRIGGER t AFTER DELETE ON h94_mine FOR EACH STATEMENT EXECUTE FUNCTION %s()',
                           f::oid::regproc);
            outcome := '00000';
        EXCEPTION WHEN OTHERS THEN
            outcome := SQLSTATE;
        END;
        RETURN NEXT;
    END LOOP;
    DROP TABLE h94_mine;
END $$;
SET SESSION AUTHORIZATION regress_nobody;
SELECT * FROM pg_temp.attach_as_nobody();
RESET SESSION AUTHORIZATION;
-- Attached by the owner to another table, the C ones refuse to run rather
-- than read its columns as ours.
CREATE TEMP TABLE h94_other_table (job_id integer, id text, kind text);
CREATE TRIGGER v BEFORE INSERT ON h94_other_table FOR EACH ROW EXECUTE FUNCTION jobs_internal.validate_input_row();
INSERT INTO h94_other_table VALUES (1, 'x', 'k');
DROP TRIGGER v ON h94_other_table;
CREATE TRIGGER m AFTER INSERT ON h94_other_table REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
INSERT INTO h94_other_table VALUES (1, 'x', 'k');
DROP TRIGGER m ON h94_other_table;
CREATE TRIGGER l AFTER INSERT ON h94_other_table REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
INSERT INTO h94_other_table VALUES (1, 'x', 'k');
DROP TABLE h94_other_table;

-- ===== Batch caps: phase 1, before anything is read or locked =====
SET SESSION AUTHORIZATION regress_nobody;
-- 50,000 distinct job ids from a role with no tenant and no grants: the
-- element cap, not 53200 out of shared memory.
SELECT jobs.report_progress(array_agg('h94_j' || g), array_agg(NULL::text), array_agg('k'::text),
                            array_agg('2026-04-14 09:00+00'::timestamptz), array_agg('{}'::jsonb))
FROM generate_series(1, 50000) g;
-- At the element cap with 101 distinct jobs: the distinct-jobs cap.
SELECT jobs.report_progress(array_agg('h94_j' || g % 101), array_agg(NULL::text), array_agg('k'::text),
                            array_agg('2026-04-14 09:00+00'::timestamptz), array_agg('{}'::jsonb))
FROM generate_series(1, 10000) g;
-- At both caps: past phase 1; a role without SELECT cannot even look (42501).
SELECT jobs.report_progress(array_agg('h94_j' || g % 100), array_agg(NULL::text), array_agg('k'::text),
                            array_agg('2026-04-14 09:00+00'::timestamptz), array_agg('{}'::jsonb))
FROM generate_series(1, 10000) g;
SELECT jobs.add_inputs('h94_job', array_agg('in_' || g)) FROM generate_series(1, 10001) g;
RESET SESSION AUTHORIZATION;
-- add_inputs at its cap (the superuser may insert inputs).
SELECT jobs.add_inputs('h94_job', array_agg('bulk_' || g)) FROM generate_series(1, 10000) g;
DELETE FROM jobs.job_inputs WHERE job_id = 'h94_job' AND id LIKE 'bulk\_%';

-- ===== The lock: visibility first, then the job row =====
SET SESSION AUTHORIZATION regress_analytics_demo;
-- Read-only role: PT404 for a job it cannot see, 42501 for its own.
SELECT jobs.report_progress('{h94_other}', '{NULL}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}');
SELECT jobs.report_progress('{h94_job}', '{NULL}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}');
SELECT jobs.finish_input('h94_job', 'in_1', 'completed', '2026-04-14 09:10+00');
SET SESSION AUTHORIZATION regress_worker_demo;
-- A read-only transaction cannot take it.
BEGIN READ ONLY;
SELECT jobs.report_progress('{h94_job}', '{NULL}', '{k}', '{2026-04-14 09:10+00}', '{"{}"}');
ROLLBACK;
-- A write advances change_count once per call and job, however many
-- statements (and statement triggers) it runs.
SELECT change_count AS before FROM jobs.jobs WHERE id = 'h94_job' \gset
SELECT jobs.report_progress('{h94_job,h94_job}', '{NULL,in_1}', '{k,k}',
                            '{2026-04-14 09:10+00,2026-04-14 09:10+00}', '{"{}","{}"}');
SELECT change_count - :before AS advanced FROM jobs.jobs WHERE id = 'h94_job';
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_job', 'k', '2026-04-14 09:11+00');
SELECT change_count - :before AS advanced FROM jobs.jobs WHERE id = 'h94_job';
-- A statement trusts the lock taken before it in the same transaction and
-- subtransaction (src/glue/write_lock.c): rolled back to a savepoint, that
-- lock and its advance are gone, and the next write takes the lock again.
BEGIN;
SELECT change_count AS before FROM jobs.jobs WHERE id = 'h94_job' \gset
SAVEPOINT s;
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_job', 'k', '2026-04-14 09:11:01+00');
ROLLBACK TO SAVEPOINT s;
RELEASE SAVEPOINT s;
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_job', 'k', '2026-04-14 09:11:02+00');
SELECT jobs.report_progress('{h94_job}', '{NULL}', '{k}', '{2026-04-14 09:11:03+00}', '{"{}"}');
COMMIT;
SELECT change_count - :before AS advanced FROM jobs.jobs WHERE id = 'h94_job';
RESET SESSION AUTHORIZATION;

-- ===== Kind caps: 100 distinct kinds, 8192 bytes of kind names =====
SET SESSION AUTHORIZATION regress_worker_demo;
-- Through the write API: 99 kinds, then the 100th (with a known one), then a 101st.
SELECT jobs.report_progress(array_agg('h94_kinds_api'::text), array_agg(NULL::text), array_agg('kind_' || g),
                            array_agg('2026-04-14 09:00+00'::timestamptz), array_agg('{}'::jsonb))
FROM generate_series(1, 99) g;
SELECT jobs.report_progress('{h94_kinds_api,h94_kinds_api}', '{NULL,NULL}', '{kind_1,kind_100}',
                            '{2026-04-14 09:01+00,2026-04-14 09:01+00}', '{"{}","{}"}');
SELECT jobs.report_progress('{h94_kinds_api}', '{NULL}', '{kind_101}', '{2026-04-14 09:02+00}', '{"{}"}');
-- Known kinds are still welcome at the cap.
SELECT jobs.report_progress('{h94_kinds_api}', '{NULL}', '{kind_7}', '{2026-04-14 09:02+00}', '{"{\"success\":1}"}');
-- Bytes: 16 kinds of 512 bytes are exactly 8192; one more byte is refused.
SELECT jobs.report_progress(array_agg('h94_bytes_api'::text), array_agg(NULL::text), array_agg(rpad('k' || g, 512, 'x')),
                            array_agg('2026-04-14 09:00+00'::timestamptz), array_agg('{}'::jsonb))
FROM generate_series(1, 16) g;
SELECT jobs.report_progress('{h94_bytes_api}', '{NULL}', '{y}', '{2026-04-14 09:02+00}', '{"{}"}');
-- Direct INSERT: the same caps, the same errors.
INSERT INTO jobs.job_progress (job_id, kind, created_at)
SELECT 'h94_kinds_sql', 'kind_' || g, '2026-04-14 09:00+00' FROM generate_series(1, 100) g;
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_kinds_sql', 'kind_101', '2026-04-14 09:01+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at)
SELECT 'h94_bytes_sql', rpad('k' || g, 512, 'x'), '2026-04-14 09:00+00' FROM generate_series(1, 15) g;
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_bytes_sql', rpad('k16', 512, 'x'), '2026-04-14 09:01+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_bytes_sql', 'z', '2026-04-14 09:02+00');
RESET SESSION AUTHORIZATION;
SELECT job_id, count(*) AS kinds, sum(octet_length(kind)) AS bytes
FROM jobs_internal.job_kinds WHERE job_id LIKE 'h94\_%' GROUP BY job_id ORDER BY job_id;
-- The traces of jobs at the caps are computed.
SELECT length(jobs.progress_traces('h94_kinds_api', 1000)::text) > 0 AS traced,
       length(jobs.progress_traces('h94_bytes_sql', 1000)::text) > 0 AS traced;

-- ===== One bad clock: a time far in the future =====
SET SESSION AUTHORIZATION regress_worker_demo;
\set VERBOSITY sqlstate
SELECT jobs.report_progress('{h94_job}', '{NULL}', '{k}', ARRAY[now() + interval '2 hours'], '{"{}"}');
SELECT jobs.report_progress('{h94_job}', '{NULL}', '{k}', '{9999-12-31 00:00+00}', '{"{}"}');
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_job', 'k', now() + interval '2 hours');
SELECT jobs.finish_input('h94_job', 'in_1', 'completed', '9999-12-31 00:00+00');
UPDATE jobs.job_inputs SET status = 'completed', completed_at = now() + interval '2 hours'
WHERE job_id = 'h94_job' AND id = 'in_1';
-- Within the skew: stored.
SELECT jobs.report_progress('{h94_job}', '{NULL}', '{k}', ARRAY[now() + interval '30 minutes'], '{"{}"}');
-- A worker cannot raise the limit.
SET traces.max_future_skew = '100 years';
\set VERBOSITY default
RESET SESSION AUTHORIZATION;
-- The superuser loads data as it is: the rule is for tenants' writers.
INSERT INTO jobs.job_progress (job_id, kind, created_at) VALUES ('h94_job', 'k', '9999-12-31 00:00+00');
-- The superuser may change the limit; -1 turns it off.
SET traces.max_future_skew = '3h';
SHOW traces.max_future_skew;
RESET traces.max_future_skew;
SHOW traces.max_future_skew;

-- ===== A finished input keeps its status and time =====
SET SESSION AUTHORIZATION regress_worker_demo;
UPDATE jobs.job_inputs SET status = 'pending', completed_at = NULL WHERE job_id = 'h94_job' AND id = 'in_2';
UPDATE jobs.job_inputs SET completed_at = '2026-04-14 09:40+00' WHERE job_id = 'h94_job' AND id = 'in_2';
UPDATE jobs.job_inputs SET status = 'failed' WHERE job_id = 'h94_job' AND id = 'in_2';
-- Setting what it already holds changes nothing and is allowed.
UPDATE jobs.job_inputs SET status = 'completed', completed_at = '2026-04-14 09:30+00'
WHERE job_id = 'h94_job' AND id = 'in_2' RETURNING id, status;
-- Finishing an unfinished one is allowed, once.
UPDATE jobs.job_inputs SET status = 'failed', completed_at = '2026-04-14 09:35+00'
WHERE job_id = 'h94_job' AND id = 'in_1' RETURNING id, status;
RESET SESSION AUTHORIZATION;
-- For every role, the superuser included.
UPDATE jobs.job_inputs SET status = 'pending', completed_at = NULL WHERE job_id = 'h94_job' AND id = 'in_2';
-- Served by PostgREST (request.headers set), the same refusal leaves in the
-- PGRST form, so no stored id reaches the HTTP status line.
BEGIN;
SELECT set_config('request.headers', '{}', true) IS NOT NULL AS serving_http;
UPDATE jobs.job_inputs SET status = 'pending', completed_at = NULL WHERE job_id = 'h94_job' AND id = 'in_2';
ROLLBACK;

DELETE FROM jobs.jobs WHERE id LIKE 'h94\_%';
SELECT count(*) AS kinds_left FROM jobs_internal.job_kinds WHERE job_id LIKE 'h94\_%';
DROP OWNED BY regress_nobody;
DROP ROLE regress_nobody;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
