-- The one write lock (contract §7.2) and the per-job kind caps (§7.5).
--
-- The lock is the job's row in jobs.jobs, locked FOR NO KEY UPDATE by the
-- caller after the visibility check, by the statement that advances the
-- job's change_count. Only a role that sees the job (row-level security
-- filters the row before it is locked) and holds UPDATE (change_count) on
-- jobs.jobs can take it, so no other role can stall a tenant's writers; row
-- locks live in the tuples, not in the shared lock table. Jobs are locked in
-- byte order of id, so two writers never deadlock.
--
-- The write API (50_writes.sql) takes it before reading stored state; direct
-- INSERTs and UPDATEs on job_inputs and job_progress take it in a statement
-- trigger, which skips the jobs this transaction has locked already; so do
-- direct DELETEs, and UPDATEs of job_progress.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Locks the jobs (those the caller can see) in byte order of id and
-- advances their change_count; jobs this transaction already updated are
-- locked already and left alone. 25006 in a read-only transaction, 42501
-- without UPDATE (change_count) on jobs.jobs. C (src/glue/write_lock.c):
-- one kept plan of that one statement, run as the caller.
CREATE FUNCTION jobs_internal.lock_jobs(job_ids text[]) RETURNS void
LANGUAGE C VOLATILE SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_lock_jobs';

-- Statement trigger on job_inputs and job_progress: the jobs written (an
-- UPDATE's new and old rows, a DELETE's old rows; a job being deleted is no
-- longer visible to its cascades, which lock nothing). C, reading the
-- transition tables itself: the same statement as lock_jobs for the
-- distinct job ids, without a nested call (docs/load.md, "What a write
-- runs"). Not SECURITY DEFINER: the lock is taken as the writer (§7.2).
CREATE FUNCTION jobs_internal.lock_written_jobs() RETURNS trigger
LANGUAGE C SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_lock_written_jobs';

-- Triggers fire in name order: "lock_job*" before "maintain_*"
-- (61_timeline_maintenance.sql).
CREATE TRIGGER lock_job AFTER INSERT ON jobs.job_inputs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job_update AFTER UPDATE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
-- Changing or removing stored rows takes the lock too: the timeline
-- (61_timeline_maintenance.sql) is kept from what the previous writer of the
-- job stored, whatever the statement.
CREATE TRIGGER lock_job_update AFTER UPDATE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job_delete AFTER DELETE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();
CREATE TRIGGER lock_job_delete AFTER DELETE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.lock_written_jobs();

-- Each job's distinct progress kinds, kept under the job's lock so that the
-- caps of contract §7.5 cost one index probe per (job, kind) a statement
-- writes, not a scan of the job's progress. Extension-internal: no role but
-- the owner reads or writes it; the trigger below maintains it.
CREATE TABLE jobs_internal.job_kinds (
    job_id text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    kind   text NOT NULL,
    PRIMARY KEY (job_id, kind)
);
-- Derived data, not dumped: restoring job_progress's rows runs the trigger
-- below, which fills it again (a restore with --disable-triggers leaves it
-- short, so the caps count fewer kinds; rebuild it with INSERT INTO
-- jobs_internal.job_kinds SELECT DISTINCT job_id, kind FROM jobs.job_progress
-- ON CONFLICT DO NOTHING).

-- The caps: a 1000-point trace of a job at both stays under 16 MiB of JSON
-- (contract §7.5).
CREATE FUNCTION jobs_internal.max_kinds_per_job() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 100;
CREATE FUNCTION jobs_internal.max_kind_bytes_per_job() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 8192;

-- The kinds a statement inserts are recorded, and a job whose new kinds
-- pass a cap refused (22023), by the statement's maintenance trigger after
-- the lock (jobs_internal.maintain_progress, 61_timeline_maintenance.sql):
-- the one statement trigger after the lock per table and event.
