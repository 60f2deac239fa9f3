-- 43_siblings_rank: the completion rank (docs/contract.md §12.2) read from
-- the file timeline by one probe, and by a count for a job whose timeline is
-- pending (§11.5); ranks shifting after a late completion; keyset pages
-- across ties of completed_at, both orders, with a status filter.
\set ECHO none
\i test/fixtures/http_preamble.sql
\pset format aligned
\x off
-- Each input of a job as id=rank in the list's order (unfinished: id=-).
CREATE FUNCTION pg_temp.ranks(job text) RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(i -> 'input' ->> 'id' || '=' || coalesce(i ->> 'step', '-'), ' ')
        FROM json_array_elements(jobs.input_progress(job, p_limit => 1000) -> 'items') i);
-- The same from plain SQL: row_number over (completed_at, id in byte order).
CREATE FUNCTION pg_temp.reference_ranks(job text) RETURNS text LANGUAGE sql
RETURN (SELECT string_agg(id || '=' || coalesce(r::text, '-'), ' ' ORDER BY completed_at IS NULL, r, id COLLATE "C")
        FROM (SELECT i.id, i.completed_at,
                     CASE WHEN i.completed_at IS NOT NULL
                          THEN row_number() OVER (PARTITION BY i.completed_at IS NULL ORDER BY i.completed_at, i.id COLLATE "C") END AS r
              FROM jobs.job_inputs i WHERE i.job_id = job AND i.status <> 'reference') s);
-- Every keyset page of a list, one line per page: start with no `after`,
-- then pass the last id of each page until a page comes back empty.
CREATE FUNCTION pg_temp.pages(job text, statuses text[], p_order text, p_limit integer) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    v_after text;
    v_page json;
BEGIN
    LOOP
        v_page := jobs.input_progress(job, statuses => statuses, p_order => p_order, p_limit => p_limit, after => v_after);
        EXIT WHEN json_array_length(v_page -> 'items') = 0;
        RETURN NEXT (SELECT string_agg(i -> 'input' ->> 'id' || '=' || coalesce(i ->> 'step', '-'), ' ')
                     FROM json_array_elements(v_page -> 'items') i);
        v_after := v_page -> 'items' -> (json_array_length(v_page -> 'items') - 1) -> 'input' ->> 'id';
    END LOOP;
END $$;

-- A job with ties: r1, R7 and r2 finish at the same microsecond (byte order:
-- R7 < r1 < r2), r5 fails, r4 and r6 stay unfinished, ref is a reference.
SELECT jobs.create_job('job_rank', '2026-04-14 08:00:00+00', 'running', '2026-04-14 08:00:00+00', 'tenant_demo');
SELECT jobs.add_inputs('job_rank', '{r1,r2,r3,r4,r5,r6,R7}');
SELECT jobs.add_inputs('job_rank', '{ref}', 'reference');
UPDATE jobs.job_inputs SET status = 'processing' WHERE job_id = 'job_rank' AND id = 'r6';
SELECT jobs.finish_input('job_rank', 'r3', 'completed', '2026-04-14 08:01:00+00'),
       jobs.finish_input('job_rank', 'r1', 'completed', '2026-04-14 08:02:00+00'),
       jobs.finish_input('job_rank', 'R7', 'completed', '2026-04-14 08:02:00+00'),
       jobs.finish_input('job_rank', 'r2', 'completed', '2026-04-14 08:02:00+00'),
       jobs.finish_input('job_rank', 'r5', 'failed', '2026-04-14 08:03:00+00');
SELECT pg_temp.ranks('job_rank') AS ranks, pg_temp.ranks('job_rank') = pg_temp.reference_ranks('job_rank') AS same;

-- The rank is the timeline's completed + failed: shifting the stored rows
-- (inside a rolled-back transaction) shifts every rank shown.
BEGIN;
UPDATE jobs_internal.file_timeline SET completed = completed + 100 WHERE job_id = 'job_rank';
SELECT pg_temp.ranks('job_rank') AS ranks_from_the_timeline;
ROLLBACK;

-- A late completion: r4 finishes before every other input, so it takes
-- rank 1 and every finished input moves up by one.
SELECT jobs.finish_input('job_rank', 'r4', 'completed', '2026-04-14 08:00:30+00');
SELECT pg_temp.ranks('job_rank') AS ranks, pg_temp.ranks('job_rank') = pg_temp.reference_ranks('job_rank') AS same;

-- Keyset pages across the tie, both orders, with and without a filter.
SELECT p AS asc_pages_of_2 FROM pg_temp.pages('job_rank', NULL, 'asc', 2) p;
SELECT p AS desc_pages_of_2 FROM pg_temp.pages('job_rank', NULL, 'desc', 2) p;
SELECT p AS completed_pages_of_1 FROM pg_temp.pages('job_rank', '{completed}', 'asc', 1) p;
SELECT p AS desc_completed_failed_pages_of_3 FROM pg_temp.pages('job_rank', '{failed,completed}', 'desc', 3) p;

-- A job whose timeline is pending (as after the update from 1.0): its ranks
-- come from the count, equal; a completion while pending shifts them too;
-- building its timeline keeps them.
DELETE FROM jobs_internal.file_timeline WHERE job_id = 'job_rank';
INSERT INTO jobs_internal.timeline_pending (job_id) VALUES ('job_rank');
SELECT pg_temp.ranks('job_rank') AS pending_ranks, pg_temp.ranks('job_rank') = pg_temp.reference_ranks('job_rank') AS same;
SELECT jobs.finish_input('job_rank', 'r6', 'failed', '2026-04-14 08:01:30+00');
SELECT pg_temp.ranks('job_rank') AS pending_ranks, pg_temp.ranks('job_rank') = pg_temp.reference_ranks('job_rank') AS same,
       (SELECT count(*) FROM jobs_internal.file_timeline WHERE job_id = 'job_rank') AS timeline_rows;
SELECT jobs.rebuild_timeline('job_rank') AS rows_built;
SELECT pg_temp.ranks('job_rank') AS built_ranks, pg_temp.ranks('job_rank') = pg_temp.reference_ranks('job_rank') AS same,
       (SELECT count(*) FROM jobs.check_timeline('job_rank')) AS differences;

-- Tenancy: a tenant's role reads the ranks of its own job, and neither the
-- file timeline nor the pending list shows it another tenant's rows.
INSERT INTO jobs_internal.timeline_pending (job_id) VALUES ('job_other');
SELECT count(*) > 0 AS other_tenants_rows FROM jobs_internal.file_timeline f JOIN jobs.jobs j ON j.id = f.job_id
WHERE j.tenant_id <> 'tenant_demo';
SET ROLE regress_analytics_demo;
SELECT pg_temp.ranks('job_rank') AS tenant_ranks;
SELECT count(*) FILTER (WHERE j.tenant_id IS NULL) AS hidden_rows, count(*) > 0 AS own_rows
FROM jobs_internal.file_timeline f LEFT JOIN jobs.jobs j ON j.id = f.job_id;
SELECT count(*) AS pending_rows_seen FROM jobs_internal.timeline_pending;
RESET ROLE;
DELETE FROM jobs_internal.timeline_pending WHERE job_id = 'job_other';

DELETE FROM jobs.jobs WHERE id = 'job_rank';
\i test/fixtures/regress_roles_drop.sql
