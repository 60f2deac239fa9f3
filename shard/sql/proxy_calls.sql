-- The PL/Proxy calls: each runs the jobs_shard function of the same name on
-- the partition of its job, by the pinned hash of routing.sql, in the
-- cluster 'traces_cluster' (a SQL/MED server, see shard/bin/cluster-sql).
-- Internal: only traces_router (owner of the API functions) may call them,
-- since they take the tenant as an argument.
--
-- PL/Proxy runs each call as its own transaction on the shard (autocommit):
-- nothing is atomic across calls, which is why every write is idempotent.

CREATE OR REPLACE FUNCTION jobs_proxy.progress_traces(
    tenant text, job_id text, buckets integer, request_method text, request_headers text,
    OUT status integer, OUT headers text, OUT body json)
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.progress_traces;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.progress_trace_points(tenant text, job_id text, buckets integer)
RETURNS TABLE (t timestamptz, step bigint, files_completed bigint, files_failed bigint, items jsonb)
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.progress_trace_points;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.create_job(tenant text, job_id text, created_at timestamptz,
                                                 status text, started_at timestamptz)
RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.create_job;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.add_inputs(tenant text, job_id text, input_ids text[], status text)
RETURNS bigint
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.add_inputs;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.start_job(tenant text, job_id text, started_at timestamptz)
RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.start_job;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.finish_input(tenant text, job_id text, input_id text, status text,
                                                   completed_at timestamptz)
RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.finish_input;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.finish_job(tenant text, job_id text, status text, finished_at timestamptz)
RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON traces_routing.job_hash(job_id);
    TARGET jobs_shard.finish_job;
$$;

-- A batch for many jobs: SPLIT evaluates RUN ON per element and sends each
-- shard (each distinct connection string) one call with its elements, all
-- shards in parallel; one row back per shard.
CREATE OR REPLACE FUNCTION jobs_proxy.report_progress(tenant text, job_ids text[], input_ids text[], kinds text[],
                                                      created_ats timestamptz[], metrics jsonb[])
RETURNS SETOF bigint
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    SPLIT job_ids, input_ids, kinds, created_ats, metrics;
    RUN ON traces_routing.job_hash(job_ids);
    TARGET jobs_shard.report_progress;
$$;

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
             JOIN pg_catalog.pg_language l ON l.oid = p.prolang
             WHERE p.pronamespace = 'jobs_proxy'::regnamespace AND l.lanname = 'plproxy'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO traces_router', f);
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
