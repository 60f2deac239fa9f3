-- What the sibling endpoints read without scanning a job (contract §12):
-- the inputs in completion order, and the number of inputs per
-- (job, port_name, status). The completion rank is in 63_input_rank.sql,
-- after the timeline it reads.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Each status's inputs in completion order: the finished ones by
-- (completed_at, id in byte order), the unfinished ones (completed_at null)
-- by id. A keyset page of the list (both directions) reads one range of it
-- per status it shows, so a status filter is a range, not a filter over the
-- job's other inputs, and reference inputs are never read; the rank's count
-- (for a job whose timeline is pending) reads the completed and failed
-- ranges.
CREATE INDEX job_inputs_status_rank_idx ON jobs.job_inputs (job_id, status, completed_at, id COLLATE "C");

-- Inputs per (job, port_name, status), kept by the statement triggers
-- below. Writers of a job already hold its row lock (contract §7.2), so
-- updating these rows adds no contention between jobs and none a writer of
-- the same job did not already wait for; readers never lock. The list's
-- total and the counts then cost one index range of at most
-- (port names × 5) rows, whatever the job's size.
-- Extension-internal: no role but the owner reads or writes it directly.
CREATE TABLE jobs_internal.input_counts (
    job_id    text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    port_name text,
    status    text NOT NULL,
    n         bigint NOT NULL,
    CONSTRAINT input_counts_key UNIQUE NULLS NOT DISTINCT (job_id, port_name, status)
);
-- Derived data, not dumped: restoring job_inputs's rows runs the triggers
-- below, which fill it again.

-- Kept by the maintenance triggers of job_inputs after the lock
-- (jobs_internal.maintain_inputs, 61_timeline_maintenance.sql): the rows
-- inserted are added, the rows updated moved, the rows deleted removed, in
-- one set-based statement.

-- Readable by every role, row by row as job_inputs is: the policy shows a
-- job's counts to whoever sees the job (40_security.sql), so the counts
-- reveal nothing the inputs themselves would not.
ALTER TABLE jobs_internal.input_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_input_counts ON jobs_internal.input_counts FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = input_counts.job_id));
GRANT SELECT ON jobs_internal.input_counts TO PUBLIC;

-- The counts of a job's inputs with the given port name (null: every port)
-- by status, as the caller may see them (zeros for a hidden job: callers
-- check visibility first).
CREATE FUNCTION jobs_internal.job_input_counts(job_id text, port_name text,
    OUT pending bigint, OUT processing bigint, OUT completed bigint, OUT failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT coalesce(sum(c.n) FILTER (WHERE c.status = 'pending'), 0),
           coalesce(sum(c.n) FILTER (WHERE c.status = 'processing'), 0),
           coalesce(sum(c.n) FILTER (WHERE c.status = 'completed'), 0),
           coalesce(sum(c.n) FILTER (WHERE c.status = 'failed'), 0)
    FROM jobs_internal.input_counts c
    WHERE c.job_id = job_input_counts.job_id
      AND (job_input_counts.port_name IS NULL OR c.port_name = job_input_counts.port_name);
END;

-- Progress reports per (job, kind), kept like input_counts: the log's total
-- for a job or a kind is one index range, not a count of the job's rows.
CREATE TABLE jobs_internal.progress_counts (
    job_id text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    kind   text NOT NULL,
    n      bigint NOT NULL,
    PRIMARY KEY (job_id, kind)
);
ALTER TABLE jobs_internal.progress_counts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_progress_counts ON jobs_internal.progress_counts FOR SELECT
    USING (EXISTS (SELECT 1 FROM jobs.jobs j WHERE j.id = progress_counts.job_id));
GRANT SELECT ON jobs_internal.progress_counts TO PUBLIC;

-- Kept by the maintenance triggers of job_progress after the lock
-- (jobs_internal.maintain_progress, 61_timeline_maintenance.sql): rows are
-- appended, and removed only with their job or input.

-- An input's reports newest first, whatever their kind: the list's
-- latest_progress (one backward probe per input) and the log filtered by
-- input read it.
CREATE INDEX job_progress_input_time_idx ON jobs.job_progress (job_id, input_id, created_at, id);
