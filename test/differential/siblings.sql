-- The sibling endpoints (docs/contract.md §12) against plain SQL, on every
-- generated job (schema `difftest`, loaded after compare.sql); about half
-- the jobs were written through the write API with the sibling fields
-- (generate.py), so the fields compared are not all null:
--   * counts: a GROUP BY over job_inputs;
--   * the list: every page, through the keyset and through offsets, in
--     both orders and under status and port filters, equals one ORDER BY
--     with row_number() as the rank; total equals the count; each input's
--     latest_progress is its newest report by (created_at, id); its
--     port_name, file_id, data, error_message and created_at are the row's;
--   * the log: every page through the keyset equals one ORDER BY, each
--     entry's step, message, payload and index the row's;
--   * rank and trace: at every point of the trace, step equals the number
--     of inputs whose min(completed_at, end) <= t, which is the largest
--     rank among them.

-- Port names for some inputs of the jobs written without them, so the port
-- filter has something to filter.
UPDATE jobs.job_inputs i SET port_name = (ARRAY['left', 'right', NULL])[1 + abs(hashtext(id)) % 3]
WHERE NOT EXISTS (SELECT FROM jobs.job_inputs o WHERE o.job_id = i.job_id AND o.port_name IS NOT NULL);

-- The list as plain SQL: [{id, step, latest, fields}] in the contract's order.
CREATE FUNCTION difftest.reference_list(job text, statuses text[], port text, descending boolean)
RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH ranked AS (
        SELECT i.id, i.completed_at, i.status, i.port_name,
               jsonb_build_object('port_name', i.port_name, 'file_id', i.file_id, 'data', i.data,
                                  'error_message', i.error_message, 'created_at', i.created_at) AS fields,
               CASE WHEN i.completed_at IS NOT NULL THEN
                   count(*) FILTER (WHERE i.completed_at IS NOT NULL)
                       OVER (ORDER BY i.completed_at, i.id COLLATE "C") END AS step
        FROM jobs.job_inputs i WHERE i.job_id = job AND i.status <> 'reference')
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'step', r.step,
               'latest', (SELECT p.id FROM jobs.job_progress p WHERE p.job_id = job AND p.input_id = r.id
                          ORDER BY p.created_at DESC, p.id DESC LIMIT 1), 'fields', r.fields)
           ORDER BY r.completed_at IS NULL,
                    CASE WHEN descending THEN NULL ELSE r.completed_at END,
                    CASE WHEN descending THEN r.completed_at END DESC,
                    CASE WHEN descending THEN NULL ELSE r.id COLLATE "C" END,
                    CASE WHEN descending THEN r.id COLLATE "C" END DESC), '[]')
    FROM ranked r
    WHERE (statuses IS NULL OR r.status = ANY (statuses)) AND (port IS NULL OR r.port_name = port)
$$;

-- One page of the extension's list as [{id, step, latest, fields}].
CREATE FUNCTION difftest.page_items(page json) RETURNS jsonb LANGUAGE sql STABLE AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', e -> 'input' ->> 'id', 'step', (e ->> 'step')::bigint,
                                                 'latest', (e -> 'latest_progress' ->> 'id')::bigint,
                                                 'fields', jsonb_build_object(
                                                     'port_name', e -> 'input' ->> 'port_name',
                                                     'file_id', e -> 'input' ->> 'file_id',
                                                     'data', (e -> 'input' -> 'data')::jsonb,
                                                     'error_message', e -> 'input' ->> 'error_message',
                                                     'created_at', (e -> 'input' ->> 'created_at')::timestamptz))
                              ORDER BY n), '[]')
    FROM json_array_elements(page -> 'items') WITH ORDINALITY x(e, n)
$$;

-- The whole list read page by page, by keyset (use_keyset) or by offset;
-- raises when a page's total differs from `total`.
CREATE FUNCTION difftest.paged_list(job text, statuses text[], port text, descending boolean,
                                    page_size integer, use_keyset boolean, total bigint)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    got jsonb := '[]';
    page json;
    items jsonb;
    v_after text;
    v_offset bigint := 0;
BEGIN
    LOOP
        page := jobs.input_progress(job, port, statuses, CASE WHEN descending THEN 'desc' ELSE 'asc' END,
                                    page_size, CASE WHEN use_keyset THEN 0 ELSE v_offset END,
                                    CASE WHEN use_keyset THEN v_after END);
        IF total IS NOT NULL AND (page ->> 'total')::bigint IS DISTINCT FROM total THEN
            RAISE EXCEPTION 'total %, expected %', page ->> 'total', total;
        END IF;
        items := difftest.page_items(page);
        got := got || items;
        EXIT WHEN jsonb_array_length(items) < page_size;
        v_after := items -> -1 ->> 'id';
        v_offset := v_offset + page_size;
    END LOOP;
    RETURN got;
END $$;

-- The whole log read page by page by keyset, as [{id, step, message, payload, index}].
CREATE FUNCTION difftest.paged_log(job text, v_kind text, v_input text, page_size integer)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    got jsonb := '[]';
    page json;
    ids jsonb;
    v_after bigint;
    want_total bigint := (SELECT count(*) FROM jobs.job_progress p WHERE p.job_id = job
                          AND (v_kind IS NULL OR p.kind = v_kind) AND (v_input IS NULL OR p.input_id = v_input));
BEGIN
    LOOP
        page := jobs.progress_log(job, v_kind, v_input, 0, page_size, v_after);
        IF (page ->> 'total')::bigint IS DISTINCT FROM want_total THEN
            RAISE EXCEPTION 'log total %, expected %', page ->> 'total', want_total;
        END IF;
        SELECT coalesce(jsonb_agg(jsonb_build_object('id', (e ->> 'id')::bigint, 'step', (e ->> 'step')::bigint,
                                                     'message', e ->> 'message', 'payload', (e -> 'payload')::jsonb,
                                                     'index', (e ->> 'index')::bigint) ORDER BY n), '[]') INTO ids
        FROM json_array_elements(page -> 'entries') WITH ORDINALITY x(e, n);
        got := got || ids;
        EXIT WHEN jsonb_array_length(ids) < page_size;
        v_after := (ids -> -1 ->> 'id')::bigint;
    END LOOP;
    RETURN got;
END $$;

-- The first difference for one job, or null.
CREATE FUNCTION difftest.compare_siblings(job text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    f record;
    want jsonb;
    got jsonb;
    total bigint;
    c json := jobs.input_progress_counts(job);
    v_end timestamptz;
    failure text;
BEGIN
    -- Counts.
    IF (SELECT jsonb_build_object('pending', count(*) FILTER (WHERE status = 'pending'),
                                  'processing', count(*) FILTER (WHERE status = 'processing'),
                                  'completed', count(*) FILTER (WHERE status = 'completed'),
                                  'failed', count(*) FILTER (WHERE status = 'failed'))
        FROM jobs.job_inputs WHERE job_id = job) IS DISTINCT FROM c::jsonb - 'job_id' THEN
        RETURN format('counts: got %s', c);
    END IF;
    -- The list under each filter, order, page size and paging.
    FOR f IN SELECT * FROM (VALUES (NULL::text[], NULL::text), ('{failed}', NULL), ('{pending,completed}', NULL),
                                   (NULL, 'left'), ('{completed}', 'right')) s(statuses, port)
             CROSS JOIN (VALUES (false), (true)) d(descending)
             CROSS JOIN (VALUES (1, true), (7, true), (7, false), (1000, true)) p(page_size, use_keyset) LOOP
        want := difftest.reference_list(job, f.statuses, f.port, f.descending);
        got := difftest.paged_list(job, f.statuses, f.port, f.descending, f.page_size, f.use_keyset,
                                   jsonb_array_length(want));
        IF got IS DISTINCT FROM want THEN
            RETURN format('list (status %s, port %s, %s, pages of %s by %s): expected %s, got %s',
                          f.statuses, f.port, CASE WHEN f.descending THEN 'desc' ELSE 'asc' END, f.page_size,
                          CASE WHEN f.use_keyset THEN 'keyset' ELSE 'offset' END, left(want::text, 400), left(got::text, 400));
        END IF;
    END LOOP;
    -- The log: whole job, one kind, one input.
    FOR f IN SELECT NULL::text AS kind, NULL::text AS input_id
             UNION ALL (SELECT p.kind, NULL FROM jobs.job_progress p WHERE p.job_id = job ORDER BY p.id LIMIT 1)
             UNION ALL (SELECT NULL, p.input_id FROM jobs.job_progress p WHERE p.job_id = job AND p.input_id IS NOT NULL ORDER BY p.id LIMIT 1)
    LOOP
        want := (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'step', p.step, 'message', p.message,
                                                              'payload', p.payload, 'index', p."index")
                                           ORDER BY p.created_at, p.id), '[]') FROM jobs.job_progress p
                 WHERE p.job_id = job AND (f.kind IS NULL OR p.kind = f.kind) AND (f.input_id IS NULL OR p.input_id = f.input_id));
        got := difftest.paged_log(job, f.kind, f.input_id, 5);
        IF got IS DISTINCT FROM want THEN
            RETURN format('log (kind %s, input %s): expected %s, got %s', f.kind, f.input_id, left(want::text, 400), left(got::text, 400));
        END IF;
    END LOOP;
    -- Rank and trace: step at each point = inputs counted = the largest rank among them.
    SELECT CASE WHEN jobs_internal.is_terminal_job_status(j.status) THEN j.finished_at ELSE now() END INTO v_end
    FROM jobs.jobs j WHERE j.id = job;
    want := difftest.paged_list(job, NULL, NULL, false, 1000, true, NULL::bigint);
    SELECT format('trace point %s: step %s, inputs counted %s, largest rank %s', p.t, p.step, x.n, x.largest) INTO failure
    FROM jobs.progress_trace_points(job, 100) p
    CROSS JOIN LATERAL (SELECT count(*) AS n, max((e ->> 'step')::bigint) AS largest
                        FROM jsonb_array_elements(want) e
                        JOIN jobs.job_inputs i ON i.job_id = job AND i.id = e ->> 'id'
                        WHERE i.completed_at IS NOT NULL AND least(i.completed_at, v_end) <= p.t) x
    WHERE p.step <> x.n OR p.step <> coalesce(x.largest, 0)
    LIMIT 1;
    RETURN failure;
END $$;

-- Every job, one case each, in one transaction (as run_all).
CREATE FUNCTION difftest.run_siblings()
RETURNS TABLE (case_id integer, job_id text, buckets text, failure text)
LANGUAGE plpgsql AS $$
DECLARE
    job text;
    n integer := 1000000;
BEGIN
    FOR job IN SELECT j.id FROM jobs.jobs j ORDER BY j.id COLLATE "C" LOOP
        n := n + 1;
        case_id := n;
        job_id := job;
        buckets := 'siblings';
        BEGIN
            failure := difftest.compare_siblings(job);
        EXCEPTION WHEN OTHERS THEN
            failure := format('siblings raised %s: %s', SQLSTATE, SQLERRM);
        END;
        IF failure IS NOT NULL THEN
            failure := failure || ' | ' || coalesce(difftest.describe(job), '');
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;
