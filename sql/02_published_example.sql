-- The published example (docs/contract.md §0): the fixture job_2abc traced with 50
-- buckets reproduces the answer the public API documents, to the byte.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\set ECHO none
\i test/fixtures/sample_job.sql
\set ECHO all

CREATE TEMP TABLE published AS SELECT jobs.progress_traces('job_2abc', 50) AS trace;

-- The top level: keys in the contract's order, then its scalar values.
SELECT array_agg(k) AS keys FROM published, json_object_keys(trace) AS k;
SELECT trace->'job_id' AS job_id, trace->'bucket_seconds' AS bucket_seconds,
       trace->'latest_event_at' AS latest_event_at,
       json_array_length(trace->'points') AS points,
       trace->'points'->0->'t' AS first_t, trace->'points'->-1->'t' AS last_t
FROM published;
-- The answer starts exactly as the published one (compact, no spaces).
SELECT left(trace::text, 95) AS head FROM published;

-- The three published points, as JSON text, then compared with the
-- published text (whitespace removed): same keys, same order, same values.
SELECT k - 1 AS k, p::text AS point
FROM published, json_array_elements(trace->'points') WITH ORDINALITY AS e(p, k)
WHERE p->>'t' IN ('2026-04-14T10:02:30Z', '2026-04-14T10:03:00Z', '2026-04-14T10:15:00Z')
ORDER BY k;
SELECT (trace->'points'->24)::text = regexp_replace(
         '{"t": "2026-04-14T10:02:30Z", "step": 0,
           "files": {"completed": 0, "failed": 0}, "items": {}}', '\s', '', 'g') AS p24_published,
       (trace->'points'->25)::text = regexp_replace(
         '{"t": "2026-04-14T10:03:00Z", "step": 0,
           "files": {"completed": 0, "failed": 0},
           "items": {"inference": {"success": 1, "failed": 0}}}', '\s', '', 'g') AS p25_published,
       (trace->'points'->49)::text = regexp_replace(
         '{"t": "2026-04-14T10:15:00Z", "step": 9,
           "files": {"completed": 8, "failed": 1},
           "items": {"inference": {"success": 478, "failed": 12}}}', '\s', '', 'g') AS p49_published
FROM published;

-- Every point, in order: 30 s apart from 09:50:30 to 10:15:00; nothing
-- before 10:02:41; the reference input never counts; the last point is the
-- job's totals (8 completed + 1 failed inputs; 478/12 items).
SELECT k - 1 AS k, p::text AS point
FROM published, json_array_elements(trace->'points') WITH ORDINALITY AS e(p, k)
ORDER BY k;

-- Points are evenly spaced and strictly increasing.
SELECT count(*) AS gaps, min(gap) AS min_gap, max(gap) AS max_gap
FROM (SELECT (p->>'t')::timestamptz - lag((p->>'t')::timestamptz) OVER (ORDER BY k) AS gap
      FROM published, json_array_elements(trace->'points') WITH ORDINALITY AS e(p, k)) g
WHERE gap IS NOT NULL;

-- The same job with the default 100 buckets: 15 s apart, same totals.
SELECT t->'bucket_seconds' AS bucket_seconds, json_array_length(t->'points') AS points,
       t->'points'->0->'t' AS first_t, t->'points'->-1 AS last_point
FROM jobs.progress_traces('job_2abc') AS t;

-- latest_event_at is also available on its own (the ETag's source).
SELECT jobs.latest_event_at('job_2abc');

DROP TABLE published;
DELETE FROM jobs.jobs WHERE id = 'job_2abc';
