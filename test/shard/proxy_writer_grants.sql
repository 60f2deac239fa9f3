-- The proxy's counterpart of single_writer_grants.sql: the two test workers
-- may write through the whole write API (jobs_proxy.write_grants), as their
-- table grants let them on the single-node reference.
INSERT INTO jobs_proxy.write_grants (role_name, function_name)
SELECT r, f
FROM unnest('{traces_worker_demo,traces_worker_b}'::name[]) r,
     unnest('{create_job,add_inputs,start_job,start_input,finish_input,finish_job,report_progress}'::name[]) f
ON CONFLICT DO NOTHING;
