-- Jobs beside the published sample (tenant_demo's job_2abc) for the HTTP and
-- tenancy tests: another tenant's job, a job with no events yet (no ETag),
-- and a running job of tenant_demo for the writer tests. Run as a superuser
-- (row-level security does not apply); running it again replaces them.

DELETE FROM jobs.jobs WHERE id IN ('job_other', 'job_quiet', 'job_live');

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at) VALUES
    ('job_other', 'tenant_other', 'completed',
     '2026-04-14 09:00:00+00', '2026-04-14 09:00:00+00', '2026-04-14 09:10:00+00'),
    ('job_quiet', 'tenant_demo', 'completed',
     '2026-04-14 09:00:00+00', NULL, '2026-04-14 09:05:00+00'),
    ('job_live', 'tenant_demo', 'running',
     '2026-04-14 11:00:00+00', '2026-04-14 11:00:00+00', NULL);

INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES
    ('job_other', 'in_01', 'completed', '2026-04-14 09:07:00+00'),
    ('job_live', 'in_01', 'processing', NULL),
    ('job_live', 'in_02', 'processing', NULL);

INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('job_other', 'in_01', 'inference', '2026-04-14 09:06:00+00', '{"success": 7, "failed": 0}'),
    ('job_live', 'in_01', 'inference', '2026-04-14 11:01:00+00', '{"success": 3}');
