-- Keeping the timeline (60_timeline.sql) equal to its definition after every
-- write, and the operators' functions (docs/contract.md §11).
--
-- Statement triggers on job_progress and job_inputs, named "maintain_*" so
-- that they fire after "lock_job*" (AFTER triggers of one event fire in name
-- order): the job's write lock (45_write_lock.sql) is held when they run, so
-- one job's maintenance is serialised and reads what the previous writer of
-- the job stored. One trigger per table and event keeps the kinds, the
-- counts and the timeline; each statement is applied as one set: never row
-- by row.
--
-- How a change is applied. A timeline row's value is the sum of "deltas" of
-- the rows at or before it (a progress row's delta is its counters minus
-- those of its stream's previous row; a finished input's is 1 in its
-- status). A statement changes the deltas of the rows it adds and removes,
-- and of the stream neighbours they change. Those changes ("events") are
-- computed per stream from the changed rows, the stream's rows between the
-- first and the last of them, and one row on each side (index probes);
-- their running sum per kind is the change C(x) of every timeline row x.
-- Then, in one statement: rows whose C is not 0 are updated (a range scan of
-- the timeline's key per stretch between events), rows removed are deleted,
-- rows added are inserted with the old timeline's value just before them
-- plus C. So:
--   * a tail append (the live case) costs two index probes and one insert:
--     O(log n);
--   * a late row rewrites exactly the kind's rows whose totals change, those
--     in [its position, its stream's next row): rows where C is 0 are not
--     written;
--   * a late input completion shifts the rank of every input finished after
--     it, so all of those are rewritten (nothing narrower is correct);
--   * a statement reads, per stream it touches, the rows between its first
--     and last changed position: linear in what it spans, never quadratic.
-- Jobs in timeline_pending and jobs being deleted (their cascades) are left
-- alone.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- A stream's rows in [from, to) of (created_at, id) order. Inlinable SQL
-- functions: each branch is one range of job_progress_stream_idx (the null
-- input is a stream of its own, which "=" cannot select; a branch whose
-- input does not match is skipped by a one-time filter). The bounds compare
-- (kind, created_at, id) rather than (created_at, id): the planner cannot
-- take them to job_progress_time_idx, which it otherwise picks when the
-- statistics predate a bulk load and then reads the job's whole time range
-- per stream.
CREATE FUNCTION jobs_internal.stream_rows(job_id text, input_id text, kind text,
                                          from_at timestamptz, from_id bigint,
                                          to_at timestamptz, to_id bigint)
RETURNS TABLE (created_at timestamptz, id bigint, success bigint, failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
    WHERE stream_rows.input_id IS NULL AND p.input_id IS NULL AND p.job_id = stream_rows.job_id
      AND p.kind = stream_rows.kind AND (p.kind, p.created_at, p.id) >= (stream_rows.kind, from_at, from_id)
      AND (p.kind, p.created_at, p.id) < (stream_rows.kind, to_at, to_id)
    UNION ALL
    SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
    WHERE p.input_id = stream_rows.input_id AND p.job_id = stream_rows.job_id
      AND p.kind = stream_rows.kind AND (p.kind, p.created_at, p.id) >= (stream_rows.kind, from_at, from_id)
      AND (p.kind, p.created_at, p.id) < (stream_rows.kind, to_at, to_id);
END;

-- A stream's row just before (at, id), or with after its row just after
-- (at, id): one ordered probe of job_progress_stream_idx. The null input's
-- branches order by the index's columns: the planner does not take
-- "input_id IS NULL" as fixing the column, and would sort another index.
CREATE FUNCTION jobs_internal.stream_neighbour(job_id text, input_id text, kind text,
                                               at timestamptz, id bigint, after boolean)
RETURNS TABLE (created_at timestamptz, id bigint, success bigint, failed bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE NOT after AND stream_neighbour.input_id IS NULL AND p.input_id IS NULL AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) < (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.input_id DESC, p.kind DESC, p.created_at DESC, p.id DESC LIMIT 1)
    UNION ALL
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE NOT after AND p.input_id = stream_neighbour.input_id AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) < (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.created_at DESC, p.id DESC LIMIT 1)
    UNION ALL
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE after AND stream_neighbour.input_id IS NULL AND p.input_id IS NULL AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) > (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.input_id, p.kind, p.created_at, p.id LIMIT 1)
    UNION ALL
    (SELECT p.created_at, p.id, p.success, p.failed FROM jobs.job_progress p
     WHERE after AND p.input_id = stream_neighbour.input_id AND p.job_id = stream_neighbour.job_id
       AND p.kind = stream_neighbour.kind AND (p.kind, p.created_at, p.id) > (stream_neighbour.kind, at, stream_neighbour.id)
     ORDER BY p.created_at, p.id LIMIT 1);
END;

-- Chooses how the next statement of the calling maintenance function is
-- planned: a small one (the live case: a report, a batch, a finish) runs a
-- plan cached for the session, since planning that statement costs more
-- than running it; a big one (a bulk load, a restore's COPY, a backfill)
-- is planned for its size, whose estimates pick hash joins and sorts over
-- per-row loops. At most 100 rows for a cached plan: its estimates do not
-- know the size, so a loop it picks stays small. The callers reset the
-- setting on exit (their SET clause).
CREATE FUNCTION jobs_internal.plan_for(changed_rows integer) RETURNS void
LANGUAGE sql VOLATILE
RETURN (SELECT NULL::void FROM set_config('plan_cache_mode',
            CASE WHEN changed_rows <= 100 THEN 'force_generic_plan' ELSE 'force_custom_plan' END, true));

-- The live case, one row at the tail, in a few index probes: a statement
-- that adds one progress row after every row of its kind (or one finished
-- input after every finished input of its job) changes no other row, and
-- its own value is the last row's plus its delta. These return false,
-- having written nothing, when the row is not at the tail; the set-based
-- statements below then apply it.
CREATE FUNCTION jobs_internal.appended_progress(r jobs.job_progress) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_last record;
    v_prev record;
BEGIN
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = r.job_id)
       OR EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = r.job_id) THEN
        RETURN true;  -- no timeline kept: nothing to write
    END IF;
    SELECT t.created_at, t.id, t.success, t.failed INTO v_last FROM jobs_internal.kind_timeline t
    WHERE t.job_id = r.job_id AND t.kind = r.kind ORDER BY t.created_at DESC, t.id DESC LIMIT 1;
    IF (v_last.created_at, v_last.id) >= (r.created_at, r.id) THEN
        RETURN false;
    END IF;
    -- Its stream's previous row: one backward probe of job_progress_stream_idx.
    IF r.input_id IS NULL THEN
        SELECT p.success, p.failed INTO v_prev FROM jobs.job_progress p
        WHERE p.job_id = r.job_id AND p.input_id IS NULL AND p.kind = r.kind AND (p.kind, p.created_at, p.id) < (r.kind, r.created_at, r.id)
        ORDER BY p.input_id DESC, p.kind DESC, p.created_at DESC, p.id DESC LIMIT 1;
    ELSE
        SELECT p.success, p.failed INTO v_prev FROM jobs.job_progress p
        WHERE p.job_id = r.job_id AND p.input_id = r.input_id AND p.kind = r.kind AND (p.kind, p.created_at, p.id) < (r.kind, r.created_at, r.id)
        ORDER BY p.input_id DESC, p.kind DESC, p.created_at DESC, p.id DESC LIMIT 1;
    END IF;
    INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
    VALUES (r.job_id, r.kind, r.created_at, r.id,
            coalesce(v_last.success, 0) + r.success - coalesce(v_prev.success, 0),
            coalesce(v_last.failed, 0) + r.failed - coalesce(v_prev.failed, 0));
    RETURN true;
END $$;

CREATE FUNCTION jobs_internal.appended_input(r jobs.job_inputs) RETURNS boolean
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_last record;
BEGIN
    IF NOT EXISTS (SELECT FROM jobs.jobs j WHERE j.id = r.job_id)
       OR EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = r.job_id) THEN
        RETURN true;
    END IF;
    SELECT t.completed_at, t.input_id, t.completed, t.failed INTO v_last FROM jobs_internal.file_timeline t
    WHERE t.job_id = r.job_id ORDER BY t.completed_at DESC, t.input_id DESC LIMIT 1;
    IF (v_last.completed_at, v_last.input_id) >= (r.completed_at, r.id COLLATE "C") THEN
        RETURN false;
    END IF;
    INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
    VALUES (r.job_id, r.completed_at, r.id, coalesce(v_last.completed, 0) + (r.status = 'completed')::integer,
            coalesce(v_last.failed, 0) + (r.status = 'failed')::integer);
    RETURN true;
END $$;

-- The set-based maintenance after the lock (contract §7.6): the kinds and
-- their caps (§7.5), the counts (§12) and the timeline (§11), in that order,
-- for the statement's rows. The trigger functions maintain_progress and
-- maintain_inputs (C, below) call these, with their trigger data, for every
-- statement but one row at the tail and a small progress batch of one job
-- at the tail, which they apply themselves. Each reads the statement's
-- transition tables (new_rows, old_rows) where they are: transition tables
-- are visible only in the trigger function itself, and copying them into
-- arrays for a helper would make a bulk statement's memory grow with its
-- rows (an array of 5M rows passes the 1 GB cap of a value). Each statement
-- below is one set; nothing is row by row, nothing holds the rows in memory
-- beyond what its plan sorts or hashes (spilling to disk like any query).
--
-- SECURITY DEFINER: job_kinds, the counts and the timeline have no grants,
-- and a trigger function cannot be called directly; the rows it reads passed
-- the writer's own grants and row-level security. The lock is not taken
-- here: it is taken as the writer (grants and row-level security decide who
-- may take it, §7.2) by "lock_job*" (45_write_lock.sql), which fires just
-- before (AFTER triggers of one event fire in name order).
--
-- The general statement of each table is one text run by EXECUTE, its
-- sources (%1$s: rows added, %2$s: rows removed) chosen per event: a
-- statement naming old_rows cannot even be planned in an INSERT's trigger,
-- and INSERT, UPDATE and DELETE must all reach it. It is planned for each
-- statement that gets there (backfills, updates, deletes); the live cases
-- (a row or a batch at the tail) take the static paths above it, and an
-- INSERT's late rows a static copy of it reading new_rows alone, whose plans
-- are cached.
CREATE FUNCTION jobs_internal.maintain_progress_sets() RETURNS trigger
-- jit off: a big statement's estimates cross jit_above_cost, and compiling
-- cost more than the statement (as for the trace functions, contract §10).
-- plan_cache_mode: see jobs_internal.plan_for.
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    -- A statement reading new_rows (old_rows) is planned only when it runs,
    -- so it is only reached for the events that have that table.
    n_added bigint := 0;
    n_removed bigint := 0;
    one_row jobs.job_progress;
    capped record;
    new_jobs text[];
    new_kinds text[];
    added_rows text := '(SELECT * FROM jobs.job_progress WHERE false)';
    removed_rows text := '(SELECT * FROM jobs.job_progress WHERE false)';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM jobs_internal.kind_timeline;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        n_added := (SELECT count(*) FROM new_rows);
        added_rows := 'new_rows';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        n_removed := (SELECT count(*) FROM old_rows);
        removed_rows := 'old_rows';
    END IF;
    IF n_added + n_removed = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM jobs_internal.plan_for(least(n_added + n_removed, 1000000)::integer);

    IF TG_OP = 'INSERT' THEN
        -- The kinds: records those the statement inserted and refuses
        -- (22023) a job whose new kinds pass a cap, naming the job, the cap,
        -- the value and the greatest new kind in byte order.
        WITH added AS (
            INSERT INTO jobs_internal.job_kinds AS k (job_id, kind)
            SELECT DISTINCT n.job_id, n.kind FROM new_rows n
            ON CONFLICT DO NOTHING
            RETURNING k.job_id, k.kind),
        per_job AS (
            SELECT a.job_id, count(*) AS kinds, sum(octet_length(a.kind)) AS bytes,
                   max(a.kind COLLATE "C") AS kind
            FROM added a GROUP BY a.job_id)
        SELECT p.job_id, p.kind, p.kinds + s.kinds AS kinds, p.bytes + coalesce(s.bytes, 0) AS bytes INTO capped
        FROM per_job p
        CROSS JOIN LATERAL (SELECT count(*) AS kinds, sum(octet_length(k.kind)) AS bytes
                            FROM jobs_internal.job_kinds k WHERE k.job_id = p.job_id) s
        WHERE p.kinds + s.kinds > jobs_internal.max_kinds_per_job()
           OR p.bytes + coalesce(s.bytes, 0) > jobs_internal.max_kind_bytes_per_job()
        ORDER BY p.job_id COLLATE "C"
        LIMIT 1;
        IF NOT FOUND THEN
            NULL;
        ELSIF capped.kinds > jobs_internal.max_kinds_per_job() THEN
            RAISE EXCEPTION 'job "%" would have % distinct progress kinds, more than the cap of % (kind "%" refused)',
                capped.job_id, capped.kinds, jobs_internal.max_kinds_per_job(), capped.kind
                USING ERRCODE = 'invalid_parameter_value';
        ELSE
            RAISE EXCEPTION 'job "%" would have % bytes of distinct progress kind names, more than the cap of % (kind "%" refused)',
                capped.job_id, capped.bytes, jobs_internal.max_kind_bytes_per_job(), capped.kind
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- The counts (46_input_counts.sql).
        INSERT INTO jobs_internal.progress_counts AS c (job_id, kind, n)
        SELECT r.job_id, r.kind, count(*) FROM new_rows r GROUP BY r.job_id, r.kind
        ON CONFLICT (job_id, kind) DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE jobs_internal.progress_counts c SET n = c.n - d.n
        FROM (SELECT r.job_id, r.kind, count(*) AS n FROM old_rows r GROUP BY r.job_id, r.kind) d
        WHERE c.job_id = d.job_id AND c.kind = d.kind;
    END IF;

    -- The timeline: applies the rows added and removed (an UPDATE is both).
    -- See the top of this file.
    IF TG_OP = 'INSERT' AND n_added = 1 THEN
        SELECT n.* INTO one_row FROM new_rows n;
        IF jobs_internal.appended_progress(one_row) THEN
            RETURN NULL;
        END IF;
    END IF;
    -- Kinds that a statement adding rows brings to a kept job (a bulk load,
    -- a restore's COPY, a new job's first reports): the job stores no other
    -- row of them, so their timeline is the definition over the statement's
    -- rows alone, one sort and no probes.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(k.job_id), array_agg(k.kind) INTO new_jobs, new_kinds
        FROM (SELECT DISTINCT a.job_id, a.kind FROM new_rows a) k
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = k.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = k.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.kind_timeline t WHERE t.job_id = k.job_id AND t.kind = k.kind);
        INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
        SELECT d.job_id, d.kind, d.created_at, d.id, sum(d.d_success) OVER k, sum(d.d_failed) OVER k
        FROM (SELECT a.job_id, a.kind, a.created_at, a.id,
                     a.success - coalesce(lag(a.success) OVER s, 0) AS d_success,
                     a.failed - coalesce(lag(a.failed) OVER s, 0) AS d_failed
              FROM new_rows a
              WHERE (a.job_id, a.kind) IN (SELECT * FROM unnest(new_jobs, new_kinds))
              WINDOW s AS (PARTITION BY a.job_id, a.input_id, a.kind ORDER BY a.created_at, a.id)) d
        WINDOW k AS (PARTITION BY d.job_id, d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
        -- The live case of a batch: every other row after every stored row
        -- of its kind. Each row's value is then its kind's last stored
        -- value plus the deltas of the batch up to it, the first row of a
        -- stream taking its delta from the stream's last stored row: a
        -- probe per row, one window, no other row changes.
        IF NOT EXISTS (
            SELECT FROM new_rows a
            WHERE (a.job_id, a.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
              AND EXISTS (SELECT FROM jobs_internal.kind_timeline t
                          WHERE t.job_id = a.job_id AND t.kind = a.kind AND (t.created_at, t.id) >= (a.created_at, a.id)))
        THEN
            INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
            SELECT d.job_id, d.kind, d.created_at, d.id,
                   d.last_success + sum(d.d_success) OVER k, d.last_failed + sum(d.d_failed) OVER k
            FROM (SELECT a.job_id, a.kind, a.created_at, a.id,
                         a.success - coalesce(lag(a.success) OVER s, b.success, 0) AS d_success,
                         a.failed - coalesce(lag(a.failed) OVER s, b.failed, 0) AS d_failed,
                         coalesce(l.success, 0) AS last_success, coalesce(l.failed, 0) AS last_failed
                  FROM new_rows a
                  LEFT JOIN LATERAL jobs_internal.stream_neighbour(a.job_id, a.input_id, a.kind, a.created_at, a.id, false) b ON true
                  LEFT JOIN LATERAL (SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
                                     WHERE t.job_id = a.job_id AND t.kind = a.kind
                                     ORDER BY t.created_at DESC, t.id DESC LIMIT 1) l ON true
                  WHERE (a.job_id, a.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)
                    AND EXISTS (SELECT FROM jobs.jobs j WHERE j.id = a.job_id)
                    AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = a.job_id)
                  WINDOW s AS (PARTITION BY a.job_id, a.input_id, a.kind ORDER BY a.created_at, a.id)) d
            WINDOW k AS (PARTITION BY d.job_id, d.kind ORDER BY d.created_at, d.id ROWS UNBOUNDED PRECEDING);
            RETURN NULL;
        END IF;
    END IF;
    -- Rows of an INSERT that are not all at the tail (late rows, with
    -- several writers on one job most rows): the general statement below,
    -- written out statically for new_rows alone so that its plan is cached
    -- like the paths above (EXECUTE plans on every statement, which costs
    -- more than running it for a few rows). A copy, since a static
    -- statement is the only one whose plan is kept and one naming old_rows
    -- cannot be planned in an INSERT's trigger; keep the two equal (the
    -- differential suite checks both against the definition).
    IF TG_OP = 'INSERT' THEN
        WITH given AS (
            SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, true AS added
            FROM new_rows c
            WHERE (c.job_id, c.kind) NOT IN (SELECT * FROM unnest(new_jobs, new_kinds) u WHERE u IS NOT NULL)),
        changed AS MATERIALIZED (
            SELECT c.* FROM given c
            WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
              AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
        streams AS (
            SELECT DISTINCT ON (c.job_id, c.input_id, c.kind) c.job_id, c.input_id, c.kind,
                   c.created_at AS lo_at, c.id AS lo_id,
                   last_value(c.created_at) OVER w AS hi_at, last_value(c.id) OVER w AS hi_id
            FROM changed c
            WINDOW w AS (PARTITION BY c.job_id, c.input_id, c.kind ORDER BY c.created_at, c.id
                         ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ORDER BY c.job_id, c.input_id, c.kind, c.created_at, c.id),
        around AS MATERIALIZED (
            SELECT s.job_id, s.input_id, s.kind, r.created_at, r.id, r.success, r.failed
            FROM streams s
            CROSS JOIN LATERAL (
                SELECT * FROM jobs_internal.stream_rows(s.job_id, s.input_id, s.kind,
                                                        s.lo_at, s.lo_id, s.hi_at, s.hi_id + 1)
                UNION ALL
                SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.lo_at, s.lo_id, false)
                UNION ALL
                SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.hi_at, s.hi_id, true)) r),
        views AS (
            SELECT a.job_id, a.input_id, a.kind, a.created_at, a.id, a.success, a.failed,
                   true AS in_old, true AS in_new
            FROM around a
            WHERE NOT EXISTS (SELECT FROM changed c WHERE c.added AND c.id = a.id)
            UNION ALL
            SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed,
                   NOT c.added, c.added
            FROM changed c),
        events AS (
            SELECT v.job_id, v.kind, v.created_at, v.id, true AS in_new,
                   v.success - coalesce(lag(v.success) OVER s, 0) AS d_success,
                   v.failed - coalesce(lag(v.failed) OVER s, 0) AS d_failed
            FROM views v WHERE v.in_new
            WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)
            UNION ALL
            SELECT v.job_id, v.kind, v.created_at, v.id, false,
                   coalesce(lag(v.success) OVER s, 0) - v.success,
                   coalesce(lag(v.failed) OVER s, 0) - v.failed
            FROM views v WHERE v.in_old
            WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)),
        changes AS MATERIALIZED (
            SELECT e.job_id, e.kind, e.created_at, e.id,
                   sum(sum(e.d_success)) OVER k AS c_success, sum(sum(e.d_failed)) OVER k AS c_failed,
                   NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
                   lead(e.created_at) OVER k AS next_at, lead(e.id) OVER k AS next_id
            FROM events e
            GROUP BY e.job_id, e.kind, e.created_at, e.id
            WINDOW k AS (PARTITION BY e.job_id, e.kind ORDER BY e.created_at, e.id)),
        deleted AS (
            DELETE FROM jobs_internal.kind_timeline t
            WHERE t.ctid = ANY (ARRAY(
                SELECT s.ctid FROM changes c
                CROSS JOIN LATERAL (SELECT r.ctid FROM jobs_internal.kind_timeline r
                                    WHERE r.job_id = c.job_id AND r.kind = c.kind
                                      AND r.created_at = c.created_at AND r.id = c.id OFFSET 0) s
                WHERE c.gone))),
        stretches AS MATERIALIZED (
            SELECT s.row_id, c.c_success, c.c_failed FROM changes c
            CROSS JOIN LATERAL (SELECT r.ctid AS row_id FROM jobs_internal.kind_timeline r
                                WHERE r.job_id = c.job_id AND r.kind = c.kind
                                  AND (r.created_at, r.id) >= (c.created_at, c.id + CASE WHEN c.gone OR c.fresh THEN 1 ELSE 0 END)
                                  AND (r.created_at, r.id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_id, 0))
                                OFFSET 0) s
            WHERE c.c_success <> 0 OR c.c_failed <> 0),
        updated AS (
            UPDATE jobs_internal.kind_timeline t
            SET success = t.success + u.c_success, failed = t.failed + u.c_failed
            FROM stretches u
            WHERE t.ctid = ANY (ARRAY(SELECT u.row_id FROM stretches u)) AND t.ctid = u.row_id)
        INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
        SELECT c.job_id, c.kind, c.created_at, c.id,
               coalesce(b.success, 0) + c.c_success, coalesce(b.failed, 0) + c.c_failed
        FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.kind, c.created_at DESC, c.id DESC) c
        LEFT JOIN LATERAL (
            SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
            WHERE t.job_id = c.job_id AND t.kind = c.kind AND (t.created_at, t.id) < (c.created_at, c.id)
            ORDER BY t.created_at DESC, t.id DESC LIMIT 1) b ON true;
        RETURN NULL;
    END IF;
    EXECUTE format($statement$
    WITH given AS (
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, true AS added
        FROM %1$s c
        WHERE (c.job_id, c.kind) NOT IN (SELECT * FROM unnest($1::text[], $2::text[]) u WHERE u IS NOT NULL)
        UNION ALL
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed, false
        FROM %2$s c),
    -- Of jobs whose timeline is kept: they exist (a job being deleted no
    -- longer does for its cascades) and are not pending.
    changed AS MATERIALIZED (
        SELECT c.* FROM given c
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
    -- Per stream, its first and last changed position.
    streams AS (
        SELECT DISTINCT ON (c.job_id, c.input_id, c.kind) c.job_id, c.input_id, c.kind,
               c.created_at AS lo_at, c.id AS lo_id,
               last_value(c.created_at) OVER w AS hi_at, last_value(c.id) OVER w AS hi_id
        FROM changed c
        WINDOW w AS (PARTITION BY c.job_id, c.input_id, c.kind ORDER BY c.created_at, c.id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
        ORDER BY c.job_id, c.input_id, c.kind, c.created_at, c.id),
    -- The stored rows of those streams from the row before the first change
    -- to the row after the last; the added ones among them are dropped
    -- below, so these are the rows the statement kept. Materialized so that
    -- the planner does not move that anti-join into the per-stream loop
    -- (a hash join rescanned per stream, in batches when the statement is
    -- big).
    around AS MATERIALIZED (
        SELECT s.job_id, s.input_id, s.kind, r.created_at, r.id, r.success, r.failed
        FROM streams s
        CROSS JOIN LATERAL (
            SELECT * FROM jobs_internal.stream_rows(s.job_id, s.input_id, s.kind,
                                                    s.lo_at, s.lo_id, s.hi_at, s.hi_id + 1)
            UNION ALL
            SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.lo_at, s.lo_id, false)
            UNION ALL
            SELECT * FROM jobs_internal.stream_neighbour(s.job_id, s.input_id, s.kind, s.hi_at, s.hi_id, true)) r),
    -- Each stream's rows before the statement (in_old) and after it (in_new).
    views AS (
        SELECT a.job_id, a.input_id, a.kind, a.created_at, a.id, a.success, a.failed,
               true AS in_old, true AS in_new
        FROM around a
        WHERE NOT EXISTS (SELECT FROM changed c WHERE c.added AND c.id = a.id)
        UNION ALL
        SELECT c.job_id, c.input_id, c.kind, c.created_at, c.id, c.success, c.failed,
               NOT c.added, c.added
        FROM changed c),
    -- The change of each row's delta: new delta minus old delta.
    events AS (
        SELECT v.job_id, v.kind, v.created_at, v.id, true AS in_new,
               v.success - coalesce(lag(v.success) OVER s, 0) AS d_success,
               v.failed - coalesce(lag(v.failed) OVER s, 0) AS d_failed
        FROM views v WHERE v.in_new
        WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)
        UNION ALL
        SELECT v.job_id, v.kind, v.created_at, v.id, false,
               coalesce(lag(v.success) OVER s, 0) - v.success,
               coalesce(lag(v.failed) OVER s, 0) - v.failed
        FROM views v WHERE v.in_old
        WINDOW s AS (PARTITION BY v.job_id, v.input_id, v.kind ORDER BY v.created_at, v.id)),
    -- Per kind and changed position: C, the change of the kind's totals
    -- from there to the next such position; gone (a row removed) and fresh
    -- (a row added where none was).
    changes AS MATERIALIZED (
        SELECT e.job_id, e.kind, e.created_at, e.id,
               sum(sum(e.d_success)) OVER k AS c_success, sum(sum(e.d_failed)) OVER k AS c_failed,
               NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
               lead(e.created_at) OVER k AS next_at, lead(e.id) OVER k AS next_id
        FROM events e
        GROUP BY e.job_id, e.kind, e.created_at, e.id
        WINDOW k AS (PARTITION BY e.job_id, e.kind ORDER BY e.created_at, e.id)),
    -- The rows removed and each stretch's rows to update are found by the
    -- key (a range per stretch) in subqueries of their own (OFFSET 0:
    -- never joined to the timeline as a whole), then written by row id.
    -- A join of the timeline with changes could be planned, in the
    -- cached generic plan of the copy above (whose estimates do not know
    -- the statement is small), as a hash join over a scan of the whole
    -- timeline; as in the C path's late rows.
    deleted AS (
        DELETE FROM jobs_internal.kind_timeline t
        WHERE t.ctid = ANY (ARRAY(
            SELECT s.ctid FROM changes c
            CROSS JOIN LATERAL (SELECT r.ctid FROM jobs_internal.kind_timeline r
                                WHERE r.job_id = c.job_id AND r.kind = c.kind
                                  AND r.created_at = c.created_at AND r.id = c.id OFFSET 0) s
            WHERE c.gone))),
    stretches AS MATERIALIZED (
        SELECT s.row_id, c.c_success, c.c_failed FROM changes c
        CROSS JOIN LATERAL (SELECT r.ctid AS row_id FROM jobs_internal.kind_timeline r
                            WHERE r.job_id = c.job_id AND r.kind = c.kind
                              -- a removed or added position is not updated: deleted above, inserted below
                              AND (r.created_at, r.id) >= (c.created_at, c.id + CASE WHEN c.gone OR c.fresh THEN 1 ELSE 0 END)
                              AND (r.created_at, r.id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_id, 0))
                            OFFSET 0) s
        WHERE c.c_success <> 0 OR c.c_failed <> 0),
    updated AS (
        UPDATE jobs_internal.kind_timeline t
        SET success = t.success + u.c_success, failed = t.failed + u.c_failed
        FROM stretches u
        WHERE t.ctid = ANY (ARRAY(SELECT u.row_id FROM stretches u)) AND t.ctid = u.row_id)
    INSERT INTO jobs_internal.kind_timeline (job_id, kind, created_at, id, success, failed)
    SELECT c.job_id, c.kind, c.created_at, c.id,
           coalesce(b.success, 0) + c.c_success, coalesce(b.failed, 0) + c.c_failed
    -- Inserted last position first, so that each probe below, reading
    -- backwards from its row, never walks over the rows this statement
    -- inserted (in the index, but not visible to it).
    FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.kind, c.created_at DESC, c.id DESC) c
    LEFT JOIN LATERAL (
        SELECT t.success, t.failed FROM jobs_internal.kind_timeline t
        WHERE t.job_id = c.job_id AND t.kind = c.kind AND (t.created_at, t.id) < (c.created_at, c.id)
        ORDER BY t.created_at DESC, t.id DESC LIMIT 1) b ON true;
    $statement$, added_rows, removed_rows) USING new_jobs, new_kinds;
    RETURN NULL;
END $$;

-- The same for job_inputs: the counts (46_input_counts.sql), then the file
-- timeline, where a finished input adds 1 to its status's count from its
-- position on. See the top of this file.
CREATE FUNCTION jobs_internal.maintain_inputs_sets() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    n_added bigint := 0;
    n_removed bigint := 0;
    one_row jobs.job_inputs;
    none_removed boolean := true;
    new_jobs text[] := '{}';
    added_rows text := '(SELECT * FROM jobs.job_inputs WHERE false)';
    removed_rows text := '(SELECT * FROM jobs.job_inputs WHERE false)';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM jobs_internal.file_timeline;
        RETURN NULL;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        n_added := (SELECT count(*) FROM new_rows);
        added_rows := 'new_rows';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        n_removed := (SELECT count(*) FROM old_rows);
        removed_rows := 'old_rows';
    END IF;
    IF n_added + n_removed = 0 THEN
        RETURN NULL;
    END IF;
    PERFORM jobs_internal.plan_for(least(n_added + n_removed, 1000000)::integer);

    -- The counts: adds the rows inserted, moves the rows updated, removes
    -- the rows deleted.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)
        SELECT r.job_id, r.port_name, r.status, count(*) FROM new_rows r
        GROUP BY r.job_id, r.port_name, r.status
        ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE jobs_internal.input_counts c SET n = c.n - d.n
        FROM (SELECT r.job_id, r.port_name, r.status, count(*) AS n FROM old_rows r
              GROUP BY r.job_id, r.port_name, r.status) d
        WHERE c.job_id = d.job_id AND c.port_name IS NOT DISTINCT FROM d.port_name AND c.status = d.status;
    ELSE
        INSERT INTO jobs_internal.input_counts AS c (job_id, port_name, status, n)
        SELECT d.job_id, d.port_name, d.status, sum(d.n) FROM (
            SELECT r.job_id, r.port_name, r.status, 1 AS n FROM new_rows r
            UNION ALL
            SELECT r.job_id, r.port_name, r.status, -1 FROM old_rows r) d
        GROUP BY d.job_id, d.port_name, d.status
        HAVING sum(d.n) <> 0
        ON CONFLICT ON CONSTRAINT input_counts_key DO UPDATE SET n = c.n + excluded.n;
    END IF;

    -- The file timeline.
    IF TG_OP <> 'INSERT' THEN
        none_removed := NOT EXISTS (SELECT FROM old_rows r WHERE r.completed_at IS NOT NULL);
    END IF;
    -- (Nested: an expression naming new_rows is planned whole, even in a DELETE.)
    IF none_removed THEN
        IF TG_OP = 'DELETE' THEN
            RETURN NULL;
        ELSIF NOT EXISTS (SELECT FROM new_rows a WHERE a.completed_at IS NOT NULL) THEN
            RETURN NULL;  -- no finished input added or removed (inputs added pending, started, ...)
        END IF;
    END IF;
    -- From here on, when none is removed, the statement is an INSERT or an
    -- UPDATE: new_rows exists.
    IF none_removed AND n_added = 1 THEN
        SELECT n.* INTO one_row FROM new_rows n;
        IF jobs_internal.appended_input(one_row) THEN
            RETURN NULL;
        END IF;
    END IF;
    -- Kept jobs with no finished input stored, when none is removed (a bulk
    -- load, a restore): their file timeline is the definition over the
    -- statement's rows alone, as for new kinds.
    IF none_removed THEN
        new_jobs := ARRAY(SELECT DISTINCT a.job_id FROM new_rows a
                          WHERE a.completed_at IS NOT NULL
                            AND EXISTS (SELECT FROM jobs.jobs j WHERE j.id = a.job_id)
                            AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = a.job_id)
                            AND NOT EXISTS (SELECT FROM jobs_internal.file_timeline t WHERE t.job_id = a.job_id));
        INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
        SELECT a.job_id, a.completed_at, a.id,
               count(*) FILTER (WHERE a.status = 'completed') OVER w, count(*) FILTER (WHERE a.status = 'failed') OVER w
        FROM new_rows a
        WHERE a.completed_at IS NOT NULL AND a.job_id = ANY (new_jobs)
        WINDOW w AS (PARTITION BY a.job_id ORDER BY a.completed_at, a.id COLLATE "C" ROWS UNBOUNDED PRECEDING);
    END IF;
    EXECUTE format($statement$
    WITH given AS (
        SELECT c.job_id, c.completed_at, c.id COLLATE "C" AS input_id, true AS in_new,
               (c.status = 'completed')::integer AS d_completed, (c.status = 'failed')::integer AS d_failed
        FROM %1$s c
        WHERE c.completed_at IS NOT NULL AND c.job_id <> ALL ($1::text[])
        UNION ALL
        SELECT c.job_id, c.completed_at, c.id COLLATE "C", false,
               -(c.status = 'completed')::integer, -(c.status = 'failed')::integer
        FROM %2$s c
        WHERE c.completed_at IS NOT NULL),
    -- Of jobs whose timeline is kept, as for the kinds.
    events AS (
        SELECT c.* FROM given c
        WHERE EXISTS (SELECT FROM jobs.jobs j WHERE j.id = c.job_id)
          AND NOT EXISTS (SELECT FROM jobs_internal.timeline_pending t WHERE t.job_id = c.job_id)),
    -- Per job and changed position: C, the change of the counts from there
    -- to the next changed position; gone and fresh as for the kinds.
    changes AS MATERIALIZED (
        SELECT e.job_id, e.completed_at, e.input_id,
               sum(sum(e.d_completed)) OVER k AS c_completed, sum(sum(e.d_failed)) OVER k AS c_failed,
               NOT bool_or(e.in_new) AS gone, bool_and(e.in_new) AS fresh,
               lead(e.completed_at) OVER k AS next_at, lead(e.input_id) OVER k AS next_input
        FROM events e
        GROUP BY e.job_id, e.completed_at, e.input_id
        WINDOW k AS (PARTITION BY e.job_id ORDER BY e.completed_at, e.input_id)),
    deleted AS (
        DELETE FROM jobs_internal.file_timeline t
        USING changes c
        WHERE c.gone AND t.job_id = c.job_id AND t.completed_at = c.completed_at AND t.input_id = c.input_id),
    -- The stretch after a changed position: from it (excluded when it was
    -- removed or added) to the next one (excluded). Input ids are compared
    -- in byte order, the timeline's order.
    updated AS (
        UPDATE jobs_internal.file_timeline t
        SET completed = t.completed + c.c_completed, failed = t.failed + c.c_failed
        FROM changes c
        WHERE (c.c_completed <> 0 OR c.c_failed <> 0)
          AND t.job_id = c.job_id
          AND (t.completed_at, t.input_id) >= (c.completed_at, c.input_id)
          AND (t.completed_at, t.input_id) < (coalesce(c.next_at, 'infinity'), coalesce(c.next_input, ''))
          AND NOT ((c.gone OR c.fresh) AND t.completed_at = c.completed_at AND t.input_id = c.input_id))
    INSERT INTO jobs_internal.file_timeline (job_id, completed_at, input_id, completed, failed)
    SELECT c.job_id, c.completed_at, c.input_id,
           coalesce(b.completed, 0) + c.c_completed, coalesce(b.failed, 0) + c.c_failed
    -- Last position first, as for the kinds.
    FROM (SELECT * FROM changes c WHERE c.fresh ORDER BY c.job_id, c.completed_at DESC, c.input_id DESC) c
    LEFT JOIN LATERAL (
        SELECT t.completed, t.failed FROM jobs_internal.file_timeline t
        WHERE t.job_id = c.job_id AND (t.completed_at, t.input_id) < (c.completed_at, c.input_id)
        ORDER BY t.completed_at DESC, t.input_id DESC LIMIT 1) b ON true;
    $statement$, added_rows, removed_rows) USING new_jobs;
    RETURN NULL;
END $$;

-- The trigger functions: the live case of one row at the tail (a report, a
-- finish; an input added or started) in C with kept plans, one probe and one
-- write (src/glue/maintenance_fast_path.c), and so are small statements of
-- progress rows of one job: at the tail, or each of a stream of its own
-- (late rows among other writers' reports); every other statement is passed,
-- with the same trigger data, to the set-based functions above, which read
-- the transition tables themselves. The C path writes nothing before it
-- knows it applies. SECURITY DEFINER as the set-based functions (their
-- own SET clauses apply when called): see above. No JIT for the progress
-- one's statements, as for the set-based function: they are small, but the
-- estimates of a generic plan of a few rows can pass jit_above_cost once
-- the tables are analyzed big, and then every call compiles its plan (tens
-- of milliseconds for a statement that runs in less than one).
CREATE FUNCTION jobs_internal.maintain_progress() RETURNS trigger
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET jit = off
AS 'MODULE_PATHNAME', 'traces_maintain_progress';
CREATE FUNCTION jobs_internal.maintain_inputs() RETURNS trigger
LANGUAGE C SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS 'MODULE_PATHNAME', 'traces_maintain_inputs';

-- A deleted job's timeline goes with it (the tables have no foreign key,
-- 60_timeline.sql). Its rows' own cascades find the job gone and skip it.
CREATE FUNCTION jobs_internal.forget_timelines() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    DELETE FROM jobs_internal.kind_timeline t WHERE t.job_id IN (SELECT o.id FROM old_rows o);
    DELETE FROM jobs_internal.file_timeline t WHERE t.job_id IN (SELECT o.id FROM old_rows o);
    RETURN NULL;
END $$;

CREATE TRIGGER timeline_delete AFTER DELETE ON jobs.jobs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.forget_timelines();
-- "maintain_*" fire after "lock_job*" (45_write_lock.sql): name order.
CREATE TRIGGER maintain_insert AFTER INSERT ON jobs.job_progress
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_update AFTER UPDATE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_delete AFTER DELETE ON jobs.job_progress
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_truncate AFTER TRUNCATE ON jobs.job_progress
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_progress();
CREATE TRIGGER maintain_insert AFTER INSERT ON jobs.job_inputs
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();
CREATE TRIGGER maintain_update AFTER UPDATE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();
CREATE TRIGGER maintain_delete AFTER DELETE ON jobs.job_inputs
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();
CREATE TRIGGER maintain_truncate AFTER TRUNCATE ON jobs.job_inputs
    FOR EACH STATEMENT EXECUTE FUNCTION jobs_internal.maintain_inputs();

COMMENT ON FUNCTION jobs_internal.stream_rows(text, text, text, timestamptz, bigint, timestamptz, bigint) IS
    'The progress rows of one stream (job, input or null, kind) in [from, to) of (created_at, id) order.';
COMMENT ON FUNCTION jobs_internal.stream_neighbour(text, text, text, timestamptz, bigint, boolean) IS
    'The progress row of one stream just before (or with after, just after) a (created_at, id) position.';
COMMENT ON FUNCTION jobs_internal.appended_progress(jobs.job_progress) IS
    'Timeline maintenance of one progress row after every row of its kind (the live case); false, writing nothing, otherwise.';
COMMENT ON FUNCTION jobs_internal.appended_input(jobs.job_inputs) IS
    'Timeline maintenance of one finished input after every finished input of its job; false, writing nothing, otherwise.';
COMMENT ON FUNCTION jobs_internal.plan_for(integer) IS
    'Timeline maintenance: a cached plan for a small statement, one planned for its size for a big one.';
COMMENT ON FUNCTION jobs_internal.forget_timelines() IS
    'Statement trigger on jobs.jobs: a deleted job''s timeline rows are deleted with it (contract §11).';
COMMENT ON FUNCTION jobs_internal.maintain_progress() IS
    'Statement trigger on job_progress after the lock: the kinds and their caps, progress_counts and the kind timeline; one row or a small batch of one job at the tail, or of rows each of a stream of its own, in C, else maintain_progress_sets (contract §7.6, §11).';
COMMENT ON FUNCTION jobs_internal.maintain_inputs() IS
    'Statement trigger on job_inputs after the lock: input_counts and the file timeline; one row at the tail in C, else maintain_inputs_sets (contract §7.6, §11).';
COMMENT ON FUNCTION jobs_internal.maintain_progress_sets() IS
    'maintain_progress for every statement but one row or a small batch of one job at the tail, or of rows each of a stream of its own: set-based (contract §7.6, §11).';
COMMENT ON FUNCTION jobs_internal.maintain_inputs_sets() IS
    'maintain_inputs for every statement but one row at the tail: set-based (contract §7.6, §11).';
-- The helpers write the timeline only as the trigger's owner; nobody else
-- needs to run them.
REVOKE EXECUTE ON FUNCTION jobs_internal.appended_progress(jobs.job_progress) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jobs_internal.appended_input(jobs.job_inputs) FROM PUBLIC;
