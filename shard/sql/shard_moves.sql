-- What a shard needs so that partitions can move between shards online
-- (shard/bin/move-partition, docs/sharding.md "Moving a partition").
-- shard.sql runs this after shard_request.sql. Safe to run again.
--
-- Progress ids. A job's rows keep their ids when they move, and the trace
-- orders rows of one stream at one instant by id, so ids must (a) never
-- collide across shards and (b) keep increasing within a job across moves.
-- (a): each shard draws ids from its own residue class, id = k (mod
-- stride), with its identity sequence INCREMENT BY stride
-- (jobs_shard.set_id_class(k)); ids drawn on shard k are never drawn
-- elsewhere. (b): before a moved partition takes writes on its new shard,
-- that shard's sequence is moved past the highest id moved in
-- (jobs_shard.bump_ids_past), so every later row of a moved job gets a
-- higher id than its earlier ones. Moved rows keep the old shard's residue;
-- the old shard deletes them and its own sequence only grows, so no id ever
-- comes back.

-- Partitions that left this shard (or are leaving): writes for their jobs
-- are refused with PT302, which the proxy takes as "wait and route again".
CREATE TABLE IF NOT EXISTS jobs_shard.partition_fence (
    partitions integer NOT NULL CHECK (partitions > 0 AND partitions & (partitions - 1) = 0),
    partition  integer NOT NULL CHECK (partition >= 0 AND partition < partitions),
    fenced_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partitions, partition)
);
COMMENT ON TABLE jobs_shard.partition_fence IS
    'Partitions moved off this shard: writes for their jobs are refused (PT302) and routed again by the proxy.';
GRANT SELECT ON jobs_shard.partition_fence TO traces_proxy, traces_proxy_reader;

-- Called by every write entry point before the write (generated).
CREATE OR REPLACE FUNCTION jobs_shard.require_unfenced(job_ids text[]) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_job text;
BEGIN
    SELECT k INTO v_job
    FROM jobs_shard.partition_fence f, unnest(job_ids) k
    WHERE traces_routing.job_partition(k, f.partitions) = f.partition
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'the partition of job "%" is moving to another shard', v_job
            USING ERRCODE = 'PT302', HINT = 'The proxy routes the call again.';
    END IF;
END $$;

-- This shard's residue class of progress ids (run once per shard, with a
-- distinct k per shard, 0 <= k < stride; again after restoring a dump,
-- which keeps the sequence's value but not its increment).
CREATE OR REPLACE FUNCTION jobs_shard.set_id_class(k integer, stride integer DEFAULT 1024)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_seq regclass := pg_catalog.pg_get_serial_sequence('jobs.job_progress', 'id')::regclass;
    v_floor bigint;
    v_next bigint;
BEGIN
    IF k IS NULL OR stride IS NULL OR stride < 1 OR k < 0 OR k >= stride THEN
        RAISE EXCEPTION 'need 0 <= k < stride, got k = %, stride = %', k, stride
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('ALTER TABLE jobs.job_progress ALTER COLUMN id SET INCREMENT BY %s', stride);
    EXECUTE format('SELECT greatest(coalesce((SELECT max(id) FROM jobs.job_progress), 0), last_value) FROM %s',
                   v_seq) INTO v_floor;
    -- The smallest id above everything used so far in class k.
    v_next := v_floor + 1 + ((k - (v_floor + 1)) % stride + stride) % stride;
    PERFORM pg_catalog.setval(v_seq, v_next, false);
    RETURN v_next;
END $$;

-- Moves this shard's next progress id past max_id, keeping its class.
CREATE OR REPLACE FUNCTION jobs_shard.bump_ids_past(max_id bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_seq regclass := pg_catalog.pg_get_serial_sequence('jobs.job_progress', 'id')::regclass;
    v_last bigint;
    v_called boolean;
    v_inc bigint;
    v_next bigint;
BEGIN
    EXECUTE format('SELECT s.last_value, s.is_called, p.seqincrement FROM %s s, pg_catalog.pg_sequence p '
                   'WHERE p.seqrelid = $1', v_seq) INTO v_last, v_called, v_inc USING v_seq;
    v_next := CASE WHEN v_called THEN v_last + v_inc ELSE v_last END;
    IF max_id IS NOT NULL AND v_next <= max_id THEN
        v_next := v_next + ((max_id - v_next) / v_inc + 1) * v_inc;
        PERFORM pg_catalog.setval(v_seq, v_next, false);
    END IF;
    RETURN v_next;
END $$;
REVOKE EXECUTE ON FUNCTION jobs_shard.set_id_class(integer, integer), jobs_shard.bump_ids_past(bigint) FROM PUBLIC;
