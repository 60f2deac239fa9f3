-- Which partition holds a job: loaded into the proxy database (PL/Proxy's
-- RUN ON) and into every shard database (to find the jobs to move when
-- rebalancing). Both sides must use this very definition.
--
-- The hash is pinned here, in plain SQL over md5, rather than taken from
-- hashtext(), an internal function whose results changed between
-- PostgreSQL major versions: a different hash after an upgrade would send
-- every job's calls to the wrong shard. md5 of the job id's UTF-8 bytes is
-- fixed by RFC 1321; all databases of a deployment are UTF8 (checked by the
-- set-up), so the bytes are the same everywhere.
--
-- PL/Proxy maps a hash to a partition as hash & (partitions - 1), with a
-- power-of-two partition count: the partition is the low bits of the first
-- 32 bits of the md5.

DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'the database must be UTF8 (the routing hash reads UTF-8 bytes), it is %',
            pg_catalog.getdatabaseencoding();
    END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS traces_routing;
COMMENT ON SCHEMA traces_routing IS 'Routing of jobs to partitions (pinned md5 hash)';

-- First 32 bits of md5(job_id), as a signed integer.
CREATE OR REPLACE FUNCTION traces_routing.job_hash(job_id text) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ('x' || left(md5(job_id), 8))::bit(32)::integer;

-- The partition (0 .. partitions-1) of a job, as PL/Proxy computes it.
CREATE OR REPLACE FUNCTION traces_routing.job_partition(job_id text, partitions integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    IF partitions < 1 OR partitions & (partitions - 1) <> 0 THEN
        RAISE EXCEPTION 'partitions must be a power of two, got %', partitions
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN traces_routing.job_hash(job_id) & (partitions - 1);
END $$;

GRANT USAGE ON SCHEMA traces_routing TO PUBLIC;
