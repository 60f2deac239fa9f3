-- What a worker needs on a single node to use the whole write API
-- (src/sql/50_writes.sql), beyond deploy/roles.sql's appending of progress
-- and finishing of inputs: creating jobs and inputs, starting and
-- finishing jobs. Row-level security still confines it to its tenant.
-- Also a second tenant's worker, for the isolation tests.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'traces_worker_b') THEN
        CREATE ROLE traces_worker_b LOGIN;
    END IF;
END $$;
GRANT SELECT ON jobs.jobs, jobs.job_inputs, jobs.job_progress TO traces_worker_demo, traces_worker_b;
GRANT INSERT (id, tenant_id, status, created_at, started_at),
      UPDATE (status, started_at, finished_at, change_count) ON jobs.jobs TO traces_worker_demo, traces_worker_b;
GRANT INSERT (job_id, id, status, port_name, file_id, data, created_at),
      UPDATE (status, completed_at, error_message) ON jobs.job_inputs
    TO traces_worker_demo, traces_worker_b;
GRANT INSERT (job_id, input_id, kind, created_at, metrics, step, message, payload, "index") ON jobs.job_progress
    TO traces_worker_demo, traces_worker_b;
