-- The timeline (docs/contract.md §11): what a trace reads instead of a job's
-- rows, kept at write time so that a trace costs what it returns (points ×
-- kinds), not the rows behind it.
--
-- This file holds the tables and their definition: the functions below say
-- in plain SQL what every timeline row must be, so that a rebuild, the
-- operators' check and the tests share one statement of it. Incremental
-- maintenance (the triggers that keep the tables equal to that definition
-- after every write) is in 61_timeline_maintenance.sql.
--
-- Extension-internal: no role but the owner writes these tables or reads
-- kind_timeline; file_timeline and timeline_pending are readable row by row
-- by whoever sees the job, for the completion rank (63_input_rank.sql).
-- The trace reads them as the owner after its visibility check (contract
-- §5.4), like it reads the rows today; the triggers are SECURITY DEFINER.
-- Derived data, not dumped: restoring the rows runs the triggers, which
-- build the timeline again (contract §11).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- One row per progress row: the totals of its kind just after it, in the
-- kind's (created_at, id) order. That is, for each stream (input_id, kind)
-- of the kind, its latest snapshot at or before this row, summed (contract
-- §2.7). A point's items of a kind are then the row of the last report
-- that counts at the point: one backward probe of an index.
-- numeric, not bigint: a kind's running total may pass 2^63-1 between
-- points (§2.12 only refuses a total a point shows), and the reader refuses
-- such a total exactly where the scan would.
-- No foreign key to jobs.jobs: its check per inserted row was most of what
-- a bulk load's maintenance cost (about 20 µs a row); the rows of a deleted
-- job are deleted by a statement trigger on jobs.jobs instead
-- (61_timeline_maintenance.sql), and only the triggers write these tables.
CREATE TABLE jobs_internal.kind_timeline (
    job_id     text NOT NULL,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL,
    id         bigint NOT NULL,
    success    numeric NOT NULL,
    failed     numeric NOT NULL,
    probe_key  bigint NOT NULL GENERATED ALWAYS AS (hashtextextended(kind, hashtextextended(job_id, 0))) STORED,
    PRIMARY KEY (job_id, kind, created_at, id)
);
-- The reader's probes (contract §11.7): a key of fixed-width columns, which a
-- btree descent compares without walking two text columns at every step
-- (half the cost of a probe by the primary key). probe_key is a hash of
-- (job, kind): the reader filters each probe on job_id and kind as well, so
-- two pairs with one hash only cost a longer walk, never a wrong row. The
-- writers keep using the primary key; this index is one more entry per row.
CREATE INDEX kind_timeline_probe_idx ON jobs_internal.kind_timeline (probe_key, created_at, id);

-- One row per finished input: the job's finished inputs up to and including
-- it in (completed_at, input id in byte order) order, counted by status.
-- completed + failed is the input's completion rank (the trace's "step",
-- contract §2.6); a point's files are the row of the last input that counts
-- at it.
-- No foreign key, as for kind_timeline.
CREATE TABLE jobs_internal.file_timeline (
    job_id       text NOT NULL,
    completed_at timestamptz NOT NULL,
    input_id     text COLLATE "C" NOT NULL,
    completed    bigint NOT NULL,
    failed       bigint NOT NULL,
    probe_key    bigint NOT NULL GENERATED ALWAYS AS (hashtextextended(job_id, 0)) STORED,
    PRIMARY KEY (job_id, completed_at, input_id)
);
-- The reader's probes, as for kind_timeline: probe_key is a hash of the job.
CREATE INDEX file_timeline_probe_idx ON jobs_internal.file_timeline (probe_key, completed_at, input_id);

-- Jobs whose timeline is not built yet (those that existed before the
-- version that introduced it): their traces take the scan path, writes
-- leave them alone, and jobs.build_timelines() works through them.
CREATE TABLE jobs_internal.timeline_pending (
    job_id text PRIMARY KEY REFERENCES jobs.jobs (id) ON DELETE CASCADE
);

-- The definition of a job's kind timeline, from its rows.
CREATE FUNCTION jobs_internal.kind_timeline_of(job_id text)
RETURNS TABLE (kind text, created_at timestamptz, id bigint, success numeric, failed numeric)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT d.kind, d.created_at, d.id,
           sum(d.d_success) OVER k, sum(d.d_failed) OVER k
    FROM (SELECT p.kind, p.created_at, p.id,
                 p.success - coalesce(lag(p.success) OVER s, 0) AS d_success,
                 p.failed - coalesce(lag(p.failed) OVER s, 0) AS d_failed
          FROM jobs.job_progress p
          WHERE p.job_id = kind_timeline_of.job_id
          WINDOW s AS (PARTITION BY p.input_id, p.kind ORDER BY p.created_at, p.id)) d
    WINDOW k AS (PARTITION BY d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
END;

-- The definition of a job's file timeline, from its inputs.
CREATE FUNCTION jobs_internal.file_timeline_of(job_id text)
RETURNS TABLE (completed_at timestamptz, input_id text, completed bigint, failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT i.completed_at, i.id,
           count(*) FILTER (WHERE i.status = 'completed') OVER w,
           count(*) FILTER (WHERE i.status = 'failed') OVER w
    FROM jobs.job_inputs i
    WHERE i.job_id = file_timeline_of.job_id AND i.completed_at IS NOT NULL
    WINDOW w AS (ORDER BY i.completed_at, i.id COLLATE "C" ROWS UNBOUNDED PRECEDING);
END;
