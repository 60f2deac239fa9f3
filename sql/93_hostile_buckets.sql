-- Hostile buckets and request headers. buckets is clamped to [10, 1000]
-- (null: 100) whatever the integer; what PostgREST passes as text and does
-- not fit an integer is its cast's 22xxx. request.headers that PostgREST
-- would never send are ignored (no 304), never an error.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('h93', 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics)
VALUES ('h93', 'k', '2026-04-14 10:05+00', '{"success": 1}');

-- ===== buckets at the integer limits: clamped =====
SELECT b AS buckets, json_array_length(t->'points') AS points, t->'bucket_seconds' AS bucket_seconds,
       t->'points'->-1->>'t' AS last_t, t->'points'->-1->'items' AS last_items
FROM unnest(ARRAY[-2147483648, -1, 0, 1, 9, 10, 11, 999, 1000, 1001, 2147483647, NULL]::int[]) AS b,
     jobs.progress_traces('h93', b) AS t;
SELECT b AS buckets, count(*) AS points
FROM unnest(ARRAY[-2147483648, 0, 2147483647, NULL]::int[]) AS b,
     jobs.progress_trace_points('h93', b)
GROUP BY b ORDER BY b;
-- as PostgREST casts query-string text
SELECT json_array_length(jobs.progress_traces('h93', '2147483647')->'points') AS points;
SELECT jobs.progress_traces('h93', '2147483648');
\echo :SQLSTATE
SELECT jobs.progress_traces('h93', '-2147483649');
\echo :SQLSTATE
SELECT jobs.progress_traces('h93', '1e3');
\echo :SQLSTATE
SELECT jobs.progress_traces('h93', '');
\echo :SQLSTATE
SELECT jobs.progress_traces('h93', 'NaN');
\echo :SQLSTATE

-- ===== request.headers PostgREST would never send: ignored, 200 =====
CREATE FUNCTION pg_temp.request(headers text)
RETURNS TABLE (answered boolean, status text, etag text) LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('response.status', '', true);
    PERFORM set_config('response.headers', '', true);
    PERFORM set_config('request.headers', headers, true);
    answered := jobs.progress_traces('h93', 10) IS NOT NULL;
    status := nullif(current_setting('response.status', true), '');
    etag := (SELECT h->>'ETag' FROM json_array_elements(nullif(current_setting('response.headers', true), '')::json) h
             WHERE h::jsonb ? 'ETag');
    PERFORM set_config('request.headers', '', true);
    RETURN NEXT;
END $$;
BEGIN READ ONLY;
SELECT left(h, 50) AS request_headers, r.*
FROM unnest(ARRAY[
    -- the matching tag, as a control
    '{"if-none-match": "2026-04-14T10:05:00Z"}',
    'not json', '{', '[]', '"if-none-match"', 'null', '{}',
    '{"if-none-match": null}', '{"if-none-match": 1}', '{"if-none-match": ["2026-04-14T10:05:00Z"]}',
    '{"if-none-match": {"v": "2026-04-14T10:05:00Z"}}',
    '{"If-None-Match": "2026-04-14T10:05:00Z"}',
    '{"if-none-match": ""}', '{"if-none-match": ",,, ,"}', '{"if-none-match": "W/"}',
    '{"if-none-match": "\"2026-04-14T10:05:00Z"}', '{"if-none-match": "294276-01-01T00:00:00Z"}',
    '{"if-none-match": "0000-01-01T00:00:00Z"}', '{"if-none-match": "2026-04-14T10:05:00.0000000000001Z"}',
    -- a hundred thousand tags, the matching one last
    '{"if-none-match": "' || repeat('W/\"x\", ', 100000) || 'W/\"2026-04-14T10:05:00Z\""}',
    -- nested a hundred thousand levels deep
    repeat('[', 100000) || repeat(']', 100000),
    '{"a": ' || repeat('[', 100000) || repeat(']', 100000) || ', "if-none-match": "*"}'
]) AS h, pg_temp.request(h) AS r;
\echo :SQLSTATE
COMMIT;

DELETE FROM jobs.jobs WHERE id = 'h93';
