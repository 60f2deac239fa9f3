-- The job and input statuses, spelled out once. The validation triggers,
-- the write functions and their messages use these functions; the tables'
-- CHECKs (10_tables.sql) write the same lists out, since a CHECK calling a
-- function pays for inlining it on every statement, and sql/01_constraints
-- proves they accept the same rows. The C reader does not need them (a job
-- has finished_at exactly when its status is terminal, which a CHECK enforces).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

CREATE FUNCTION jobs_internal.job_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{pending,admitted,running,completed,failed,preempted,cancelled}'::text[];
COMMENT ON FUNCTION jobs_internal.job_statuses() IS
    'Every status a job may have, in lifecycle order.';

-- A terminal job has ended for good: its trace ends at finished_at.
CREATE FUNCTION jobs_internal.terminal_job_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{completed,failed,cancelled}'::text[];
COMMENT ON FUNCTION jobs_internal.terminal_job_statuses() IS
    'The statuses a job ends with; exactly these jobs have finished_at.';

CREATE FUNCTION jobs_internal.is_terminal_job_status(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN status = ANY (jobs_internal.terminal_job_statuses());
COMMENT ON FUNCTION jobs_internal.is_terminal_job_status(text) IS
    'True when a job with this status has ended (see terminal_job_statuses).';

CREATE FUNCTION jobs_internal.input_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{pending,processing,completed,failed,reference}'::text[];
COMMENT ON FUNCTION jobs_internal.input_statuses() IS
    'Every status an input may have; reference inputs are not work and never count.';

-- A finished input counts in the files of the trace from completed_at on.
CREATE FUNCTION jobs_internal.finished_input_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN '{completed,failed}'::text[];
COMMENT ON FUNCTION jobs_internal.finished_input_statuses() IS
    'The statuses an input finishes with; exactly these inputs have completed_at.';

CREATE FUNCTION jobs_internal.is_finished_input_status(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN status = ANY (jobs_internal.finished_input_statuses());
COMMENT ON FUNCTION jobs_internal.is_finished_input_status(text) IS
    'True when an input with this status has finished (see finished_input_statuses).';

-- A list for messages: 'a, b or c'.
CREATE FUNCTION jobs_internal.or_list(items text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN cardinality(items) < 2 THEN items[1]
            ELSE array_to_string(items[1:cardinality(items) - 1], ', ') || ' or ' || items[cardinality(items)] END;
COMMENT ON FUNCTION jobs_internal.or_list(text[]) IS
    'Formats a list for an error message: ''a, b or c''.';
