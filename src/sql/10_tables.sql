-- Data model of docs/contract.md §1. CHECK constraints are the integrity guarantee; the
-- validation triggers (20_validation.sql) run first and explain the problem
-- with a 22xxx SQLSTATE, the way a client wants to read it.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Timestamps must be finite and within the years RFC 3339 can write, so every
-- stored time can appear in a trace.
CREATE FUNCTION jobs_internal.valid_time(t timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN t IS NULL OR (t >= '0001-01-01 00:00:00+00' AND t < '10000-01-01 00:00:00+00');

-- Identifiers (ids, tenant, kind) are non-empty and at most 512 bytes, so
-- that the indexes holding several of them never exceed a btree row (whose
-- overflow would be an internal-looking 54000 error instead of a clear one).
CREATE FUNCTION jobs_internal.valid_name(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR (v <> '' AND octet_length(v) <= 512);

CREATE TABLE jobs.jobs (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL,
    status      text NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now(),
    started_at  timestamptz,
    finished_at timestamptz,
    -- Advanced by every write to the job, by the statement that takes the
    -- job's write lock (contract §7.2, 45_write_lock.sql).
    change_count bigint NOT NULL DEFAULT 0,
    -- The rules of valid_name, valid_time and the status lists, spelled out
    -- (see above): a CHECK calling a SQL function inlines it every time a
    -- statement prepares its constraints, which was a third of the job
    -- lock's cost (docs/load.md). A CHECK passes a null, as those functions do.
    CONSTRAINT jobs_ids_valid CHECK (id <> '' AND octet_length(id) <= 512 AND tenant_id <> '' AND octet_length(tenant_id) <= 512),
    CONSTRAINT jobs_status_known CHECK
        (status IN ('pending', 'admitted', 'running', 'completed', 'failed', 'preempted', 'cancelled')),
    CONSTRAINT jobs_finished_at_iff_terminal CHECK
        ((status IN ('completed', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
    CONSTRAINT jobs_times_valid CHECK
        (created_at >= '0001-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00'
         AND started_at >= '0001-01-01 00:00:00+00' AND started_at < '10000-01-01 00:00:00+00'
         AND finished_at >= '0001-01-01 00:00:00+00' AND finished_at < '10000-01-01 00:00:00+00')
);
CREATE INDEX jobs_tenant_idx ON jobs.jobs (tenant_id);

CREATE TABLE jobs.job_inputs (
    job_id       text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    id           text NOT NULL,
    status       text NOT NULL DEFAULT 'pending',
    completed_at timestamptz,
    PRIMARY KEY (job_id, id),
    CONSTRAINT job_inputs_id_valid CHECK (id <> '' AND octet_length(id) <= 512),
    CONSTRAINT job_inputs_status_known CHECK
        (status IN ('pending', 'processing', 'completed', 'failed', 'reference')),
    CONSTRAINT job_inputs_completed_at_iff_finished CHECK
        ((status IN ('completed', 'failed')) = (completed_at IS NOT NULL)),
    CONSTRAINT job_inputs_completed_at_valid CHECK (completed_at >= '0001-01-01 00:00:00+00' AND completed_at < '10000-01-01 00:00:00+00')
);
-- Finished inputs by time: the files counters and the latest-event probe
-- read it alone (index-only).
CREATE INDEX job_inputs_finished_idx ON jobs.job_inputs (job_id, completed_at) INCLUDE (status)
    WHERE completed_at IS NOT NULL;

CREATE TABLE jobs.job_progress (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     text NOT NULL REFERENCES jobs.jobs (id) ON DELETE CASCADE,
    input_id   text,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    metrics    jsonb NOT NULL DEFAULT '{}',
    -- The counters, validated and extracted once when written so that every
    -- poll reads two integers instead of parsing jsonb.
    success    bigint GENERATED ALWAYS AS (jobs_internal.metric_count(metrics, 'success')) STORED,
    failed     bigint GENERATED ALWAYS AS (jobs_internal.metric_count(metrics, 'failed')) STORED,
    FOREIGN KEY (job_id, input_id) REFERENCES jobs.job_inputs (job_id, id) ON DELETE CASCADE,
    CONSTRAINT job_progress_names_valid CHECK (kind <> '' AND octet_length(kind) <= 512 AND input_id <> '' AND octet_length(input_id) <= 512),
    CONSTRAINT job_progress_created_at_valid CHECK (created_at >= '0001-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00')
);
-- Stream order: each (input_id, kind) stream contiguous, in (created_at, id)
-- order, with everything the trace reads (index-only scans).
CREATE INDEX job_progress_stream_idx ON jobs.job_progress
    (job_id, input_id, kind, created_at, id) INCLUDE (success, failed);
-- The latest-event probe behind ETag / If-None-Match.
CREATE INDEX job_progress_time_idx ON jobs.job_progress (job_id, created_at);

-- The tables hold user data, not extension code: pg_dump must dump their rows.
SELECT pg_catalog.pg_extension_config_dump('jobs.jobs', '');
SELECT pg_catalog.pg_extension_config_dump('jobs.job_inputs', '');
SELECT pg_catalog.pg_extension_config_dump('jobs.job_progress', '');
SELECT pg_catalog.pg_extension_config_dump('jobs.job_progress_id_seq', '');
