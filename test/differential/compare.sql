-- The comparison harness of the differential test (schema `difftest`): for
-- each case (job, buckets) it calls the extension and the reference and
-- describes the first difference. Loaded after reference.sql; the generator
-- fills difftest.cases and difftest.shapes.

CREATE SCHEMA difftest;

-- One case: a job and a buckets argument. use_default: call without the
-- buckets argument at all (buckets is then null). zoomed: call with the zoom
-- window zoom_from/zoom_to (docs/contract.md §2.13), which may be refused.
CREATE TABLE difftest.cases (
    case_id     serial PRIMARY KEY,
    job_id      text NOT NULL,
    buckets     integer,
    use_default boolean NOT NULL DEFAULT false,
    zoomed      boolean NOT NULL DEFAULT false,
    zoom_from   timestamptz,
    zoom_to     timestamptz
);

-- The generator's one-line description of each job, for failure reports.
CREATE TABLE difftest.shapes (
    job_id text PRIMARY KEY,
    shape  text NOT NULL
);

-- Every object key of a json document with its path, in document order:
-- jsonb comparisons ignore key order, this does not. Paths use json
-- encodings of keys so no key can be confused with another.
CREATE FUNCTION difftest.key_paths(doc json) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    WITH RECURSIVE walk(ord, path, val, is_key) AS (
        SELECT ARRAY[]::bigint[], '', doc, false
        UNION ALL
        SELECT w.ord || c.ord, w.path || c.step, c.val, c.is_key
          FROM walk w,
               LATERAL (
                   SELECT e.ord, '.' || to_json(e.key)::text AS step, e.value AS val, true AS is_key
                     FROM json_each(CASE WHEN json_typeof(w.val) = 'object' THEN w.val ELSE '{}' END)
                          WITH ORDINALITY AS e(key, value, ord)
                   UNION ALL
                   SELECT a.ord, '[' || (a.ord - 1) || ']', a.value, false
                     FROM json_array_elements(CASE WHEN json_typeof(w.val) = 'array' THEN w.val ELSE '[]' END)
                          WITH ORDINALITY AS a(value, ord)
               ) AS c
    )
    SELECT coalesce(array_agg(path ORDER BY ord) FILTER (WHERE is_key), '{}') FROM walk
$$;

-- What the generator made of a job, and what is in the tables, in one line.
CREATE FUNCTION difftest.describe(job text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format('shape: %s; job: status=%s created_at=%s started_at=%s finished_at=%s now()=%s; '
                  'inputs: %s; progress rows: %s in %s streams, kinds %s',
                  coalesce(s.shape, '?'), j.status,
                  reference.rfc3339(j.created_at), coalesce(reference.rfc3339(j.started_at), 'null'),
                  coalesce(reference.rfc3339(j.finished_at), 'null'), reference.rfc3339(now()),
                  (SELECT coalesce(string_agg(st || '=' || c, ' '), 'none')
                     FROM (SELECT status AS st, count(*) AS c FROM jobs.job_inputs
                            WHERE job_id = job GROUP BY status ORDER BY status) x),
                  (SELECT count(*) FROM jobs.job_progress WHERE job_id = job),
                  (SELECT count(DISTINCT (input_id, kind)) FROM jobs.job_progress WHERE job_id = job),
                  (SELECT coalesce(json_agg(DISTINCT kind)::text, '[]') FROM jobs.job_progress WHERE job_id = job))
      FROM jobs.jobs j LEFT JOIN difftest.shapes s ON s.job_id = j.id
     WHERE j.id = job
$$;

-- The rows of a set-returning trace function (jobs.… or reference.…) for a case,
-- as a jsonb array in the function's order.
CREATE FUNCTION difftest.rows_of(fn text, c difftest.cases) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    result jsonb;
BEGIN
    EXECUTE format('SELECT jsonb_agg(to_jsonb(x) - ''ordinality'' ORDER BY x.ordinality)'
                   ' FROM %s($1, $2, $3, $4) WITH ORDINALITY x', fn)
       INTO result USING c.job_id, c.buckets, c.zoom_from, c.zoom_to;
    RETURN result;
END $$;

-- The first of two row sets (jsonb arrays of rows, in order) where they differ.
CREATE FUNCTION difftest.first_row_difference(what text, got jsonb, want jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    got := coalesce(got, '[]');
    want := coalesce(want, '[]');
    FOR i IN 0 .. greatest(jsonb_array_length(got), jsonb_array_length(want)) - 1 LOOP
        IF got -> i IS DISTINCT FROM want -> i THEN
            RETURN format('%s row %s: expected %s, got %s', what, i + 1,
                          coalesce((want -> i)::text, 'no row'), coalesce((got -> i)::text, 'no row'));
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

-- Every output of the extension for a case (JSON, rows, chart, long
-- format) as one text, read by `read_path` (docs/contract.md §11.7); an
-- error as its SQLSTATE and message.
CREATE FUNCTION difftest.answers_by(c difftest.cases, read_path text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    answer text;
BEGIN
    PERFORM set_config('traces.read_path', read_path, true);
    BEGIN
        IF c.use_default THEN
            answer := jobs.progress_traces(c.job_id)::text;
        ELSE
            answer := jobs.progress_traces(c.job_id, c.buckets, c.zoom_from, c.zoom_to)::text;
        END IF;
        answer := answer
            || E'\n' || (SELECT coalesce(string_agg(r::text, ';'), '') FROM jobs.progress_trace_points(c.job_id, c.buckets, c.zoom_from, c.zoom_to) r)
            || E'\n' || jobs.progress_chart(c.job_id, c.buckets, c.zoom_from, c.zoom_to)::text
            || E'\n' || (SELECT coalesce(string_agg(r::text, ';'), '') FROM jobs.progress_series(c.job_id, c.buckets, c.zoom_from, c.zoom_to) r);
    EXCEPTION WHEN OTHERS THEN
        answer := SQLSTATE || ' ' || SQLERRM;
    END;
    PERFORM set_config('traces.read_path', 'timeline', true);
    RETURN answer;
END $$;

-- Where the timeline's answer and the scan's differ for a case, or null: the
-- same bytes in every output, the same error.
CREATE FUNCTION difftest.compare_read_paths(c difftest.cases) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    timeline text := difftest.answers_by(c, 'timeline');
    scan text := difftest.answers_by(c, 'scan');
    i integer := 1;
BEGIN
    IF timeline IS NOT DISTINCT FROM scan THEN
        RETURN NULL;
    END IF;
    WHILE substr(timeline, i, 1) = substr(scan, i, 1) LOOP
        i := i + 1;
    END LOOP;
    RETURN format('timeline and scan differ at byte %s: scan %s..., timeline %s...',
                  i, substr(scan, greatest(1, i - 40), 160), substr(timeline, greatest(1, i - 40), 160));
END $$;

-- The first difference between the extension and the reference for one
-- case, or null when they agree on everything (after the timeline and the
-- scan agree with each other; the rest compares the default, the timeline):
--   progress_traces: same JSON value (jsonb equality: numbers as decimals, so
--   bucket_seconds must be the double's shortest digits, as PostgreSQL prints
--   it), bucket_seconds a JSON number, same keys in the same order;
--   progress_trace_points: the same rows in the same order;
--   progress_series: the same rows in the same order;
--   latest_event_at: the same value.
-- A zoomed case the reference refuses must be refused with the same SQLSTATE
-- and message.
CREATE FUNCTION difftest.compare_case(c difftest.cases) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    want_error text;
    got_error text;
    failure text;
    fn text;
    got json;
    want json;
    got_b jsonb;
    want_b jsonb;
    got_keys text[];
    want_keys text[];
    i integer;
BEGIN
    failure := difftest.compare_read_paths(c);
    IF failure IS NOT NULL THEN
        RETURN failure;
    END IF;
    BEGIN
        want := reference.progress_traces(c.job_id, c.buckets, c.zoom_from, c.zoom_to);
    EXCEPTION WHEN invalid_parameter_value THEN
        want_error := SQLSTATE || ' ' || SQLERRM;
    END;
    BEGIN
        IF c.use_default THEN
            got := jobs.progress_traces(c.job_id);
        ELSIF c.zoomed THEN
            got := jobs.progress_traces(c.job_id, c.buckets, c.zoom_from, c.zoom_to);
        ELSE
            got := jobs.progress_traces(c.job_id, c.buckets);
        END IF;
    EXCEPTION WHEN OTHERS THEN
        got_error := SQLSTATE || ' ' || SQLERRM;
    END;
    IF want_error IS NOT NULL OR got_error IS NOT NULL THEN
        IF want_error IS DISTINCT FROM got_error THEN
            RETURN format('progress_traces: expected %s, got %s', coalesce(want_error, 'an answer'),
                          coalesce(got_error, 'an answer'));
        END IF;
        BEGIN
            PERFORM jobs.progress_series(c.job_id, c.buckets, c.zoom_from, c.zoom_to);
            RETURN 'progress_series answered where progress_traces raised ' || got_error;
        EXCEPTION WHEN OTHERS THEN
            RETURN CASE WHEN SQLSTATE || ' ' || SQLERRM = got_error THEN NULL
                        ELSE 'progress_series raised ' || SQLSTATE || ' ' || SQLERRM END;
        END;
    END IF;

    IF got IS NULL THEN
        RETURN 'progress_traces returned null';
    END IF;
    got_b := got::jsonb;
    want_b := want::jsonb;

    IF jsonb_typeof(got_b -> 'bucket_seconds') IS DISTINCT FROM 'number' THEN
        RETURN format('bucket_seconds is not a number: %s', got_b -> 'bucket_seconds');
    END IF;
    IF got_b -> 'bucket_seconds' <> want_b -> 'bucket_seconds' THEN
        RETURN format('bucket_seconds: expected %s, got %s',
                      want_b -> 'bucket_seconds', got_b -> 'bucket_seconds');
    END IF;

    IF (got_b - 'bucket_seconds') IS DISTINCT FROM (want_b - 'bucket_seconds') THEN
        IF got_b -> 'job_id' IS DISTINCT FROM want_b -> 'job_id' THEN
            RETURN format('job_id: expected %s, got %s', want_b -> 'job_id', got_b -> 'job_id');
        END IF;
        IF got_b -> 'latest_event_at' IS DISTINCT FROM want_b -> 'latest_event_at' THEN
            RETURN format('latest_event_at: expected %s, got %s',
                          want_b -> 'latest_event_at', got_b -> 'latest_event_at');
        END IF;
        IF jsonb_array_length(got_b -> 'points') IS DISTINCT FROM jsonb_array_length(want_b -> 'points') THEN
            RETURN format('number of points: expected %s, got %s',
                          jsonb_array_length(want_b -> 'points'), jsonb_array_length(got_b -> 'points'));
        END IF;
        FOR i IN 0 .. jsonb_array_length(want_b -> 'points') - 1 LOOP
            IF got_b -> 'points' -> i IS DISTINCT FROM want_b -> 'points' -> i THEN
                RETURN format('first differing point k=%s: expected %s, got %s',
                              i, want_b -> 'points' -> i, got_b -> 'points' -> i);
            END IF;
        END LOOP;
        RETURN format('JSON differs: expected keys %s, got %s',
                      (SELECT array_agg(k) FROM jsonb_object_keys(want_b) k),
                      (SELECT array_agg(k) FROM jsonb_object_keys(got_b) k));
    END IF;

    -- Key order. The top-level keys in document order, then the points as
    -- text after json_strip_nulls, which rewrites json keeping key order and
    -- normalises whitespace and string escapes (points hold no nulls, and
    -- only integers). Only when that differs, the slower key_paths says where.
    IF ARRAY(SELECT json_object_keys(got)) IS DISTINCT FROM ARRAY(SELECT json_object_keys(want))
       OR json_strip_nulls(got -> 'points')::text IS DISTINCT FROM json_strip_nulls(want -> 'points')::text THEN
        got_keys := difftest.key_paths(got);
        want_keys := difftest.key_paths(want);
        FOR i IN 1 .. greatest(cardinality(got_keys), cardinality(want_keys)) LOOP
            IF got_keys[i] IS DISTINCT FROM want_keys[i] THEN
                RETURN format('key order differs at key #%s: expected %s, got %s',
                              i, coalesce(want_keys[i], '(end)'), coalesce(got_keys[i], '(end)'));
            END IF;
        END LOOP;
        RETURN format('JSON text of points differs though equal as jsonb: expected %s, got %s',
                      left(json_strip_nulls(want -> 'points')::text, 300),
                      left(json_strip_nulls(got -> 'points')::text, 300));
    END IF;

    FOREACH fn IN ARRAY ARRAY['progress_trace_points', 'progress_series'] LOOP
        BEGIN
            failure := difftest.first_row_difference(fn, difftest.rows_of('jobs.' || fn, c),
                                                     difftest.rows_of('reference.' || fn, c));
        EXCEPTION WHEN OTHERS THEN
            RETURN format('%s raised %s: %s', fn, SQLSTATE, SQLERRM);
        END;
        IF failure IS NOT NULL THEN
            RETURN failure;
        END IF;
    END LOOP;

    IF jobs.latest_event_at(c.job_id) IS DISTINCT FROM reference.latest_event_at(c.job_id) THEN
        RETURN format('jobs.latest_event_at: expected %s, got %s',
                      reference.latest_event_at(c.job_id), jobs.latest_event_at(c.job_id));
    END IF;
    RETURN NULL;
END $$;

-- Every case, in one statement and so in one transaction: now(), the end of
-- a live job, is the same for the extension and the reference. A case that
-- raises (in either) is a failure of that case alone.
CREATE FUNCTION difftest.run_all()
RETURNS TABLE (case_id integer, job_id text, buckets text, failure text)
LANGUAGE plpgsql AS $$
DECLARE
    c difftest.cases;
BEGIN
    FOR c IN SELECT * FROM difftest.cases ORDER BY case_id LOOP
        case_id := c.case_id;
        job_id := c.job_id;
        buckets := CASE WHEN c.use_default THEN '(default)' ELSE coalesce(c.buckets::text, 'null') END
                   || CASE WHEN c.zoomed THEN format(' from %s to %s', coalesce(reference.rfc3339(c.zoom_from), 'null'),
                                                     coalesce(reference.rfc3339(c.zoom_to), 'null'))
                           ELSE '' END;
        BEGIN
            failure := difftest.compare_case(c);
        EXCEPTION WHEN OTHERS THEN
            failure := format('comparison raised %s: %s', SQLSTATE, SQLERRM);
        END;
        IF failure IS NOT NULL THEN
            failure := failure || ' | ' || coalesce(difftest.describe(c.job_id), '');
        END IF;
        RETURN NEXT;
    END LOOP;
END $$;
