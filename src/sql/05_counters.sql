-- Reading a progress counter out of `metrics`; used by job_progress's
-- generated columns, so a bad counter refuses the row that carries it.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- metrics -> key as a non-negative 64-bit integer, 0 when absent; raises
-- 22023 naming the key when it is not a non-negative integer, and when
-- metrics is not an object.
CREATE FUNCTION jobs_internal.metric_count(metrics jsonb, key text) RETURNS bigint
AS 'MODULE_PATHNAME', 'traces_metric_count'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
