-- docs/contract.md §11.2: a statement of at most 100 rows that reaches the
-- set-based maintenance (late rows, two of one stream) runs a cached generic
-- plan, whose estimates do not know it is small. Once the tables are
-- analyzed with many rows, it must still read only the stretches of the
-- timeline it changes: no sequential scan of jobs_internal.kind_timeline
-- (the scans of the table itself, counted in the transaction; index and
-- row-id scans are not). The timeline then equals its definition.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at)
VALUES ('gplan_a', 't', 'running', '2026-04-14 10:00+00', '2026-04-14 10:00+00');
SELECT count(*) FROM (SELECT jobs.add_inputs('gplan_a', ARRAY(SELECT 'in_' || i FROM generate_series(1, 200) i))) a;
-- 100000 rows in 4 kinds: each stream a row a second, cumulative counters.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'gplan_a', 'in_' || i, 'k' || k, timestamptz '2026-04-14 10:00+00' + (s * 1000 + i * 4 + k) * interval '1 ms',
       jsonb_build_object('success', s * 2, 'failed', s / 10)
FROM generate_series(1, 125) s, generate_series(1, 200) i, generate_series(1, 4) k
ORDER BY 4;
ANALYZE jobs.job_progress, jobs_internal.kind_timeline;

-- Late statements of 20 rows, two rows in each of 10 streams: the set-based
-- path. Several, so that the plan is the cached one.
BEGIN;
SELECT pg_stat_get_xact_numscans('jobs_internal.kind_timeline'::regclass) AS before \gset
DO $$
BEGIN
    FOR r IN 1..5 LOOP
        INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
        SELECT 'gplan_a', 'in_' || (r * 20 + i), 'k' || (1 + i % 4),
               timestamptz '2026-04-14 10:00+00' + ((20 + r * 10) * 1000 + 500 + j) * interval '1 ms',
               jsonb_build_object('success', (20 + r * 10) * 2 + j, 'failed', 0)
        FROM generate_series(1, 10) i, generate_series(1, 2) j;
    END LOOP;
END $$;
SELECT pg_stat_get_xact_numscans('jobs_internal.kind_timeline'::regclass) - :before AS timeline_seq_scans;
COMMIT;
SELECT count(*) AS differences FROM jobs.check_timeline('gplan_a');

DELETE FROM jobs.jobs WHERE id = 'gplan_a';
