-- The completion rank of a finished input (contract §12.2), read from the
-- file timeline (§11.1) by one probe: that timeline holds, per finished
-- input, the job's finished inputs up to and including it, so its
-- completed + failed is the input's rank. After 60_timeline.sql, which
-- creates the tables this function's body names.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The rank runs as the caller (the list is SECURITY INVOKER), so the caller
-- reads the file timeline and the pending list, row by row as job_inputs:
-- the policy shows a job's rows to whoever sees the job. They reveal
-- nothing the job's inputs would not (ranks and counts of its finished
-- inputs, whether its timeline is built), as input_counts (46_input_counts.sql).
-- The owner (triggers, the trace's reader, the operators' functions) is not
-- subject to these policies.
ALTER TABLE jobs_internal.file_timeline ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_file_timeline ON jobs_internal.file_timeline FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = file_timeline.job_id));
GRANT SELECT ON jobs_internal.file_timeline TO PUBLIC;
ALTER TABLE jobs_internal.timeline_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_timeline_pending ON jobs_internal.timeline_pending FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = timeline_pending.job_id));
GRANT SELECT ON jobs_internal.timeline_pending TO PUBLIC;

-- The completion rank (contract §12.2) of an input finished at completed_at:
-- its 1-based place among the job's finished inputs by (completed_at, id in
-- byte order); null when completed_at is null. Every rank the extension
-- shows comes from here. A job with a built timeline: one probe of
-- file_timeline's primary key, whatever the rank. A job still listed in
-- timeline_pending (§11.5, no timeline rows yet): 1 + the count of its
-- finished inputs before it, over the completed and failed ranges of
-- job_inputs_status_rank_idx (O(rank)), until the operators build it. Both give the same number: the timeline's rows are
-- kept in the writer's transaction (§11.2), so any snapshot sees them equal
-- to the inputs it sees. Runs as the caller: row-level security applies.
CREATE FUNCTION jobs_internal.input_rank(job_id text, completed_at timestamptz, input_id text)
RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE
    WHEN input_rank.completed_at IS NULL THEN NULL
    WHEN NOT EXISTS (SELECT FROM jobs_internal.timeline_pending p WHERE p.job_id = input_rank.job_id) THEN (
        SELECT t.completed + t.failed FROM jobs_internal.file_timeline t
        WHERE t.job_id = input_rank.job_id AND t.completed_at = input_rank.completed_at
          AND t.input_id = input_rank.input_id COLLATE "C")
    ELSE (
        SELECT count(*) FROM jobs.job_inputs i
        WHERE i.job_id = input_rank.job_id AND i.status = ANY (jobs_internal.finished_input_statuses())
          AND (i.completed_at, i.id COLLATE "C") <= (input_rank.completed_at, input_rank.input_id COLLATE "C"))
    END;
