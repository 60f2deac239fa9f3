-- 41_siblings_eta: the summary's throughput and ETA (docs/contract.md
-- §12.6) on jobs with a known rate, all at one now() (one transaction).
BEGIN;
CREATE FUNCTION pg_temp.job_at_rate(job text, finished int, every_s numeric, offset_s numeric, pending int)
RETURNS void LANGUAGE sql AS $$
    SELECT jobs.create_job(job, now() - interval '2 hours', 'running', now() - interval '2 hours', 'tenant_demo');
    INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
    SELECT job, format('f%s', lpad(k::text, 5, '0')), 'completed', now() - make_interval(secs => offset_s + k * every_s)
    FROM generate_series(0, finished - 1) k;
    INSERT INTO jobs.job_inputs (job_id, id, status)
    SELECT job, format('p%s', lpad(k::text, 5, '0')), 'pending' FROM generate_series(1, pending) k;
$$;
-- One input every 10 s (5 s after the last): 30 in the last 300 s, 0.1 per
-- second; 5 remaining: eta = now + 50 s exactly.
SELECT pg_temp.job_at_rate('eta_steady', 600, 10, 5, 5);
-- Each finished input reported 2 items succeeded and 1 failed when it
-- finished: 30 × 3 items in the window, 0.3 per second.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT i.job_id, i.id, 'k', i.completed_at, '{"success": 2, "failed": 1}'
FROM jobs.job_inputs i WHERE i.job_id = 'eta_steady' AND i.completed_at IS NOT NULL;
SELECT s -> 'throughput' AS throughput, (s ->> 'eta')::timestamptz - now() AS eta_in, s -> 'counts' AS counts,
       s -> 'items' AS items, s ->> 'step' AS step
FROM (SELECT jobs.progress_summary('eta_steady') AS s) x;
-- Changing rate: one per 10 s for hours, then one per 2 s for the last
-- 300 s: the window sees only the new rate (150 in 300 s, 0.5 per second).
SELECT pg_temp.job_at_rate('eta_change', 150, 2, 1, 10);
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
SELECT 'eta_change', format('old%s', k), 'completed', now() - make_interval(secs => 301 + k * 10)
FROM generate_series(0, 300) k;
SELECT s -> 'throughput' ->> 'files_per_second' AS files_per_second, (s ->> 'eta')::timestamptz - now() AS eta_in
FROM (SELECT jobs.progress_summary('eta_change') AS s) x;
-- Stalled: nothing finished in the last 300 s: rate 0, eta null.
SELECT pg_temp.job_at_rate('eta_stalled', 20, 10, 400, 3);
SELECT s -> 'throughput' AS throughput, s -> 'eta' AS eta FROM (SELECT jobs.progress_summary('eta_stalled') AS s) x;
-- No inputs: eta null.
SELECT jobs.create_job('eta_empty', now() - interval '1 hour', 'running', now() - interval '1 hour', 'tenant_demo');
SELECT s -> 'counts' AS counts, s -> 'eta' AS eta FROM (SELECT jobs.progress_summary('eta_empty') AS s) x;
-- Terminal: the window ends at finished_at, eta null even with pending inputs.
SELECT jobs.finish_job('eta_steady', 'cancelled', now());
SELECT s ->> 'status' AS status, s -> 'throughput' ->> 'files_per_second' AS files_per_second, s -> 'eta' AS eta
FROM (SELECT jobs.progress_summary('eta_steady') AS s) x;
-- A job younger than the window: the window is the job's (60 s), every
-- finish so far counts: 12 in 60 s, 0.2 per second, 4 remaining: 20 s.
SELECT jobs.create_job('eta_young', now() - interval '60 seconds', 'running', now() - interval '60 seconds', 'tenant_demo');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
SELECT 'eta_young', format('f%s', k), 'completed', now() - make_interval(secs => k * 5) FROM generate_series(0, 11) k;
SELECT jobs.add_inputs('eta_young', '{a,b,c,d}');
SELECT s -> 'throughput' AS throughput, (s ->> 'eta')::timestamptz - now() AS eta_in
FROM (SELECT jobs.progress_summary('eta_young') AS s) x;
ROLLBACK;
