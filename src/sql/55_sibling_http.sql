-- What the sibling endpoints (contract §12) share: times as the trace
-- writes them, the job check, and the HTTP validator of the list and the
-- counts.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- A time as contract §2.9 writes it (UTC, "Z", the fraction only when not
-- zero, without trailing zeros), whatever the session's TimeZone and
-- DateStyle; null stays null.
CREATE FUNCTION jobs_internal.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
    || coalesce('.' || nullif(rtrim(to_char(t AT TIME ZONE 'UTC', 'US'), '0'), ''), '') || 'Z';

-- A value as JSON text: strings and times quoted and escaped, null as null.
CREATE FUNCTION jobs_internal.json_text(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN coalesce(to_json(v)::text, 'null');
CREATE FUNCTION jobs_internal.json_time(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jobs_internal.json_text(jobs_internal.rfc3339(t));

-- The list's and the counts' validator (contract §12.5): the job's
-- change_count, which every write to the job or its inputs advances under
-- the job's lock (§7.2), with the job's created_at so that a job deleted
-- and created again under the same id starts a new series of tags. The
-- trace keeps its own ETag (§4.3): latest_event_at does not move when an
-- input is added, starts or gets an error_message.
CREATE FUNCTION jobs_internal.job_version_tag(job_id text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
RETURN (SELECT format('W/"%s-%s"', (extract(epoch FROM j.created_at) * 1000000)::bigint, j.change_count)
        FROM jobs.jobs j WHERE j.id = job_version_tag.job_id);

-- Whether an If-None-Match value matches the weak tag `tag` (RFC 9110
-- §13.1.2, weak comparison, as contract §4.4 reads the list: commas inside
-- quotes do not split, spaces and tabs around elements and empty elements
-- are ignored, "*" matches, W/ is dropped, a bare value is compared as if
-- quoted). Malformed elements never match and never fail.
CREATE FUNCTION jobs_internal.if_none_match_has(header text, tag text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN EXISTS (
    SELECT FROM regexp_matches(header, '(?:[^,"]|"[^"]*(?:"|$))+', 'g') AS m(parts)
    CROSS JOIN LATERAL (SELECT btrim(m.parts[1], E' \t') AS element) e
    CROSS JOIN LATERAL (SELECT CASE WHEN left(e.element, 2) = 'W/' THEN substr(e.element, 3)
                                    ELSE e.element END AS opaque) o
    WHERE e.element = '*'
       OR o.opaque = substr(tag, 3)
       OR (o.opaque !~ '["\s]' AND '"' || o.opaque || '"' = substr(tag, 3)));

-- For a visible job served through PostgREST (request.headers set): sets
-- ETag (the job's version tag), Cache-Control and Vary after whatever
-- response.headers holds (less its ETag and Cache-Control entries, as
-- contract §4.3), and on an If-None-Match hit response.status 304 (412 for
-- methods other than GET and HEAD) and returns true: the caller then returns
-- null without computing the answer. Plain SQL callers: false, no effect.
CREATE FUNCTION jobs_internal.answer_not_modified(job_id text) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_request text := nullif(current_setting('request.headers', true), '');
    v_existing jsonb;
    v_tag text;
    v_header jsonb;
    v_method text := upper(nullif(current_setting('request.method', true), ''));
BEGIN
    IF v_request IS NULL THEN
        RETURN false;
    END IF;
    v_tag := jobs_internal.job_version_tag(job_id);
    BEGIN
        v_existing := nullif(current_setting('response.headers', true), '')::jsonb;
        v_header := v_request::jsonb -> 'if-none-match';
    EXCEPTION WHEN invalid_text_representation THEN
        -- Malformed JSON in either setting: no earlier headers, no condition.
        v_existing := coalesce(v_existing, 'null');
    END;
    IF jsonb_typeof(v_existing) IS DISTINCT FROM 'array' THEN
        v_existing := '[]';
    END IF;
    PERFORM set_config('response.headers', ((
        SELECT coalesce(jsonb_agg(e.entry ORDER BY e.n), '[]')
        FROM jsonb_array_elements(v_existing) WITH ORDINALITY e(entry, n)
        WHERE NOT (jsonb_typeof(e.entry) = 'object'
                   AND (SELECT count(*) = 1 AND bool_and(lower(k) IN ('etag', 'cache-control'))
                        FROM jsonb_object_keys(e.entry) k)))
        || jsonb_build_array(jsonb_build_object('ETag', v_tag),
                             jsonb_build_object('Cache-Control', 'private, no-cache'),
                             jsonb_build_object('Vary', 'Authorization')))::text, true);
    IF jsonb_typeof(v_header) IS DISTINCT FROM 'string'
       OR NOT jobs_internal.if_none_match_has(v_header #>> '{}', v_tag) THEN
        RETURN false;
    END IF;
    PERFORM set_config('response.status',
                       CASE WHEN v_method IS NULL OR v_method IN ('GET', 'HEAD') THEN '304' ELSE '412' END, true);
    RETURN true;
END $$;
