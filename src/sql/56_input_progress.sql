-- The job's tracked inputs with their latest report and completion rank,
-- and their counts by status (contract §12.1-§12.3). STABLE and run as the
-- caller: one snapshot per answer, row-level security as for the caller's
-- own SELECT; a missing or hidden job is the same PT404 (§3, §5).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The statuses a filter may name: the tracked ones. Reference inputs are
-- never work and never listed.
CREATE FUNCTION jobs_internal.tracked_input_statuses() RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY['pending', 'processing', 'completed', 'failed'];

-- The page size: 100 when not given, 1 to 1000.
CREATE FUNCTION jobs_internal.page_limit(p_limit integer) RETURNS integer
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_limit IS NOT NULL AND (p_limit < 1 OR p_limit > 1000) THEN
        RAISE EXCEPTION 'limit must be between 1 and 1000, got %', p_limit
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN coalesce(p_limit, 100);
END $$;

-- The offset: 0 when not given, never negative.
CREATE FUNCTION jobs_internal.page_offset(p_offset bigint) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF p_offset < 0 THEN
        RAISE EXCEPTION 'offset must not be negative, got %', p_offset
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN coalesce(p_offset, 0);
END $$;

-- A report as the list (latest_progress) and the log (entries) show it,
-- keys in the order each fixes (contract §12.1, §12.4).
CREATE FUNCTION jobs_internal.progress_json(p jobs.job_progress, log_order boolean) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN CASE WHEN log_order THEN
    '{"id":' || p.id || ',"kind":' || jobs_internal.json_text(p.kind)
    || ',"step":' || coalesce(p.step::text, 'null') || ',"message":' || jobs_internal.json_text(p.message)
    || ',"metrics":' || p.metrics::text || ',"payload":' || coalesce(p.payload::text, 'null')
    || ',"input_id":' || jobs_internal.json_text(p.input_id) || ',"index":' || coalesce(p."index"::text, 'null')
    || ',"created_at":' || jobs_internal.json_time(p.created_at) || '}'
ELSE
    '{"id":' || p.id || ',"kind":' || jobs_internal.json_text(p.kind)
    || ',"step":' || coalesce(p.step::text, 'null') || ',"metrics":' || p.metrics::text
    || ',"payload":' || coalesce(p.payload::text, 'null') || ',"input_id":' || jobs_internal.json_text(p.input_id)
    || ',"index":' || coalesce(p."index"::text, 'null') || ',"message":' || jobs_internal.json_text(p.message)
    || ',"created_at":' || jobs_internal.json_time(p.created_at) || '}'
END;

-- An input as the list shows it (contract §12.1).
CREATE FUNCTION jobs_internal.input_json(i jobs.job_inputs) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN '{"id":' || jobs_internal.json_text(i.id) || ',"job_id":' || jobs_internal.json_text(i.job_id)
    || ',"port_name":' || jobs_internal.json_text(i.port_name) || ',"file_id":' || jobs_internal.json_text(i.file_id)
    || ',"data":' || coalesce(i.data::text, 'null') || ',"status":' || jobs_internal.json_text(i.status)
    || ',"error_message":' || jobs_internal.json_text(i.error_message)
    || ',"created_at":' || jobs_internal.json_time(i.created_at)
    || ',"completed_at":' || jobs_internal.json_time(i.completed_at) || '}';

-- The statuses of a filter: null or empty means every tracked status;
-- anything else must be tracked statuses (22023 naming the first that is
-- not), duplicates ignored.
CREATE FUNCTION jobs_internal.status_filter(status text[]) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_bad text;
BEGIN
    SELECT s INTO v_bad FROM unnest(status) WITH ORDINALITY u(s, n)
    WHERE s IS NULL OR s <> ALL (jobs_internal.tracked_input_statuses()) ORDER BY n LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'status "%" is not one of %', coalesce(v_bad, 'null'),
            array_to_string(jobs_internal.tracked_input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN CASE WHEN cardinality(status) > 0 THEN status ELSE jobs_internal.tracked_input_statuses() END;
END $$;

-- The list (contract §12.1). Order (§12.2): "asc" is completion rank, i.e.
-- finished inputs by (completed_at, id in byte order), then unfinished ones
-- by id in byte order; "desc" is the exact reverse within each part, and
-- the unfinished inputs still come last. `after` is the keyset: the id of
-- the last input of the previous page (same filters and order); the page
-- starts right after it, then skips p_offset. The page reads one range of
-- job_inputs_status_rank_idx per status it shows (at most four), each in
-- index order and stopped after p_offset + p_limit entries, merges them
-- (a sort of at most 4 × (p_offset + p_limit) rows) and probes each row's
-- latest report and rank: a keyset page deep into a job costs what the
-- first page costs, whatever the status filter.
CREATE FUNCTION jobs.input_progress(job_id text, port_name text DEFAULT NULL, statuses text[] DEFAULT NULL,
                                    p_order text DEFAULT 'asc', p_limit integer DEFAULT 100,
                                    p_offset bigint DEFAULT 0, after text DEFAULT NULL)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp SET jit = off AS $$
DECLARE
    v_statuses text[] := jobs_internal.status_filter(statuses);
    v_limit integer := jobs_internal.page_limit(p_limit);
    v_offset bigint := jobs_internal.page_offset(p_offset);
    v_desc boolean;
    v_after jobs.job_inputs;
    v_total bigint;
    v_ranges text;
    v_items text;
BEGIN
    -- null is the default, as for p_limit and p_offset.
    IF p_order NOT IN ('asc', 'desc') THEN
        RAISE EXCEPTION 'order must be asc or desc, got "%"', p_order
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_desc := p_order IS NOT DISTINCT FROM 'desc';
    PERFORM jobs_internal.require_visible_job(job_id);
    IF after IS NOT NULL THEN
        SELECT i.* INTO v_after FROM jobs.job_inputs i WHERE i.job_id = input_progress.job_id AND i.id = after;
        IF NOT FOUND THEN
            PERFORM jobs_internal.raise_error('PT404', format('input "%s" of job "%s" not found',
                jobs_internal.echoed_id(after), jobs_internal.echoed_id(job_id)));
        END IF;
    END IF;
    IF jobs_internal.answer_not_modified(job_id) THEN
        RETURN NULL;
    END IF;
    SELECT c.pending * ('pending' = ANY (v_statuses))::int + c.processing * ('processing' = ANY (v_statuses))::int
         + c.completed * ('completed' = ANY (v_statuses))::int + c.failed * ('failed' = ANY (v_statuses))::int
    INTO v_total FROM jobs_internal.job_input_counts(job_id, port_name) c;

    -- One branch per status, the status a constant so that each branch is
    -- one range of the index: equality on (job_id, status), then the
    -- keyset's row comparison as the range's bound, read forward or
    -- backward. A finished status's inputs all come before the unfinished
    -- ones: a finished `after` (completed_at not null) leaves every
    -- unfinished input after it, an unfinished one leaves no finished input
    -- after it. completed_at is in every ORDER BY (constant null in the
    -- unfinished ranges) so that it is the index's order.
    SELECT string_agg(CASE WHEN jobs_internal.is_finished_input_status(s) THEN format($b$
                (SELECT i, 0 AS part, i.completed_at, i.id COLLATE "C" AS id FROM jobs.job_inputs i
                 WHERE i.job_id = $1 AND i.status = %3$L AND i.completed_at IS NOT NULL
                   AND ($3 IS NULL OR i.port_name = $3)
                   AND ($6 IS NULL OR ($7 IS NOT NULL
                        AND (i.completed_at, i.id COLLATE "C") %2$s ($7, $6 COLLATE "C")))
                 ORDER BY i.completed_at %1$s, i.id COLLATE "C" %1$s
                 LIMIT $4 + $5)$b$, d.dir, d.cmp, s)
            ELSE format($b$
                (SELECT i, 1 AS part, i.completed_at, i.id COLLATE "C" AS id FROM jobs.job_inputs i
                 WHERE i.job_id = $1 AND i.status = %3$L AND i.completed_at IS NULL
                   AND ($3 IS NULL OR i.port_name = $3)
                   AND ($6 IS NULL OR $7 IS NOT NULL OR i.id COLLATE "C" %2$s $6 COLLATE "C")
                 ORDER BY i.completed_at %1$s, i.id COLLATE "C" %1$s
                 LIMIT $4 + $5)$b$, d.dir, d.cmp, s) END,
            ' UNION ALL ' ORDER BY s)
    INTO v_ranges
    FROM (SELECT DISTINCT s FROM unnest(v_statuses) s) u,
         (SELECT CASE WHEN v_desc THEN 'DESC' ELSE 'ASC' END AS dir, CASE WHEN v_desc THEN '<' ELSE '>' END AS cmp) d;

    EXECUTE format($q$
    SELECT string_agg('{"input":' || jobs_internal.input_json(p.i) || ',"latest_progress":'
                      || coalesce(jobs_internal.progress_json(l.p, false), 'null') || ',"step":'
                      || coalesce(jobs_internal.input_rank($1, (p.i).completed_at, (p.i).id)::text, 'null')
                      || '}', ',' ORDER BY p.pos)
    FROM (SELECT f.i, row_number() OVER (ORDER BY f.part, f.completed_at %1$s, f.id %1$s) AS pos
          FROM (%2$s) f
          ORDER BY f.part, f.completed_at %1$s, f.id %1$s
          OFFSET $4 LIMIT $5) p
    LEFT JOIN LATERAL (SELECT r AS p FROM jobs.job_progress r
                       WHERE r.job_id = $1 AND r.input_id = (p.i).id
                       ORDER BY r.created_at DESC, r.id DESC LIMIT 1) l ON true
    $q$, CASE WHEN v_desc THEN 'DESC' ELSE 'ASC' END, v_ranges)
    INTO v_items
    USING job_id, v_statuses, port_name, v_offset, v_limit, (v_after).id, (v_after).completed_at;

    RETURN ('{"job_id":' || jobs_internal.json_text(job_id) || ',"total":' || v_total
            || ',"offset":' || v_offset || ',"limit":' || v_limit
            || ',"items":[' || coalesce(v_items, '') || ']}')::json;
END $$;

-- The counts (contract §12.3).
CREATE FUNCTION jobs.input_progress_counts(job_id text, port_name text DEFAULT NULL)
RETURNS json
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_visible_job(job_id);
    IF jobs_internal.answer_not_modified(job_id) THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT ('{"job_id":' || jobs_internal.json_text(input_progress_counts.job_id)
                    || ',"pending":' || c.pending || ',"processing":' || c.processing
                    || ',"completed":' || c.completed || ',"failed":' || c.failed || '}')::json
            FROM jobs_internal.job_input_counts(job_id, port_name) c);
END $$;
