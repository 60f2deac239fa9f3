-- Jobs the browser suite draws besides the published sample (test/fixtures/sample_job.sql):
-- one with no event, one still running, one with 50 kinds, one whose id and kinds are
-- markup and script.
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at) VALUES
    ('job_empty', 'tenant_demo', 'completed', '2026-04-14 08:00:00+00', '2026-04-14 08:00:00+00', '2026-04-14 08:20:00+00'),
    ('job_live', 'tenant_demo', 'running', now() - interval '3 hours', now() - interval '3 hours', NULL),
    ('job_kinds', 'tenant_demo', 'completed', '2026-04-10 00:00:00+00', '2026-04-10 00:00:00+00', '2026-04-13 00:00:00+00'),
    ('job_<b>&"x''', 'tenant_demo', 'completed', '2026-04-14 10:00:00+00', '2026-04-14 10:00:00+00', '2026-04-14 10:00:30.5+00');

INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
SELECT 'job_live', 'in_' || i, CASE WHEN i % 7 = 0 THEN 'failed' ELSE 'completed' END,
       now() - interval '3 hours' + i * interval '4 minutes'
FROM generate_series(1, 40) AS i;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'job_live', NULL, 'inference', now() - interval '3 hours' + i * interval '2 minutes',
       jsonb_build_object('success', i * i * 40, 'failed', i * 3)
FROM generate_series(1, 85) AS i;

-- 50 kinds, each growing at its own rate over three days.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'job_kinds', NULL, 'kind_' || lpad(k::text, 2, '0'),
       '2026-04-10 00:00:00+00'::timestamptz + h * interval '1 hour',
       jsonb_build_object('success', h * k * 1000, 'failed', (h * k) / 7)
FROM generate_series(1, 50) AS k, generate_series(0, 71) AS h;

INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('job_<b>&"x''', NULL, '</text><script>alert(1)</script>', '2026-04-14 10:00:05+00', '{"success": 3, "failed": 1}'),
    ('job_<b>&"x''', NULL, '</text><script>alert(1)</script>', '2026-04-14 10:00:20+00', '{"success": 9, "failed": 2}'),
    ('job_<b>&"x''', NULL, '<script>document.documentElement.setAttribute("data-ran","1")</script>',
     '2026-04-14 10:00:10+00', '{"success": 5}');
