-- Hostile timestamps: the schema keeps every stored time within years
-- 1..9999 (RFC 3339 can write them) and refuses others with 22008; traces
-- of jobs at those edges are computed exactly, never a crash or a 5xx-class
-- SQLSTATE.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- ===== Refused on write: 22008 =====
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', '294276-12-31 23:59:59+00');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', '4713-01-01 00:00+00 BC');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', '0001-12-31 23:59:59.999999+00 BC');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', '10000-01-01 00:00+00');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', 'infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', '-infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, created_at, started_at) VALUES ('h91_r', 't', now(), 'infinity');
\echo :SQLSTATE
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, finished_at) VALUES ('h91_r', 't', 'failed', now(), '-infinity');
\echo :SQLSTATE
-- beyond PostgreSQL's own range: its 22008 before ours
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_r', 't', '294277-01-01 00:00+00');
\echo :SQLSTATE
SELECT count(*) AS refused_rows_stored FROM jobs.jobs WHERE id = 'h91_r';

-- ===== The whole allowed range in one job: year 1 to year 9999 =====
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('h91_span', 't', 'completed', '0001-01-01 00:00+00', NULL, '9999-12-31 23:59:59.999999+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at) VALUES
    ('h91_span', 'first', 'completed', '0001-01-01 00:00+00'),
    ('h91_span', 'last', 'failed', '9999-12-31 23:59:59.999999+00'),
    ('h91_span', 'mid', 'completed', '5000-06-15 12:00+00');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('h91_span', 'first', 'k', '0001-01-01 00:00+00', '{"success": 1}'),
    ('h91_span', 'first', 'k', '9999-12-31 23:59:59.999999+00', '{"success": 5}'),
    ('h91_span', NULL, 'k', '5000-06-15 12:00+00', '{"failed": 7}');
\echo :SQLSTATE
SELECT (t::jsonb)->'bucket_seconds' AS bucket_seconds, (t::jsonb)->'latest_event_at' AS latest
FROM jobs.progress_traces('h91_span', 10) AS t;
SELECT p->>'t' AS t, p->'step' AS step, p->'items' AS items
FROM json_array_elements(jobs.progress_traces('h91_span', 10)->'points') AS p;
\echo :SQLSTATE
SELECT t, step, files_completed, files_failed, items FROM jobs.progress_trace_points('h91_span', 10);
\echo :SQLSTATE
-- 1000 buckets over 9999 years: the last point is the end, exactly
SELECT jobs.progress_traces('h91_span', 1000)->'points'->999 AS last_point;
\echo :SQLSTATE

-- ===== Jobs shorter than a second at the range's edges =====
-- The window widens to one second before the end: at year 1 its start is
-- in year 0 (RFC 3339 year 0000, PostgreSQL's 1 BC).
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('h91_y1', 't', 'completed', '0001-01-01 00:00+00', NULL, '0001-01-01 00:00:00.5+00'),
       ('h91_y9999', 't', 'completed', '9999-12-31 23:59:59.999999+00', NULL, '9999-12-31 23:59:59.999999+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES
    ('h91_y1', 'k', '0001-01-01 00:00+00', '{"success": 1}'),
    ('h91_y9999', 'k', '9999-12-31 23:59:59.999999+00', '{"success": 1}');
SELECT p->>'t' AS t, p->'items' AS items
FROM json_array_elements(jobs.progress_traces('h91_y1', 10)->'points') AS p;
\echo :SQLSTATE
SELECT t, items FROM jobs.progress_trace_points('h91_y1', 10);
\echo :SQLSTATE
SELECT p->>'t' AS t, p->'items' AS items
FROM json_array_elements(jobs.progress_traces('h91_y9999', 10)->'points') AS p;
\echo :SQLSTATE

-- ===== Odd orders: finished before it started, events far outside =====
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('h91_odd', 't', 'cancelled', '2026-04-14 10:00+00', '2026-04-14 12:00+00', '2026-04-14 11:00+00');
INSERT INTO jobs.job_progress (job_id, kind, created_at, metrics) VALUES
    ('h91_odd', 'k', '0001-01-01 00:00+00', '{"success": 1}'),
    ('h91_odd', 'k', '9999-12-31 23:59:59.999999+00', '{"success": 2}');
-- the window is the second before finished_at; the year-1 row counts from
-- the first point, the year-9999 one only at the last
SELECT p->>'t' AS t, p->'items' AS items
FROM json_array_elements(jobs.progress_traces('h91_odd', 10)->'points') AS p;
\echo :SQLSTATE
-- the ETag of a year-9999 event, and If-None-Match with it
BEGIN READ ONLY;
SELECT set_config('request.headers', '{"if-none-match": "9999-12-31T23:59:59.999999Z"}', true) IS NOT NULL AS set;
SELECT jobs.progress_traces('h91_odd', 10) IS NULL AS not_modified,
       current_setting('response.status', true) AS status,
       current_setting('response.headers', true) AS headers;
COMMIT;
-- a live job whose creation is in the future: end = now(), start = now() - 1 s
INSERT INTO jobs.jobs (id, tenant_id, created_at) VALUES ('h91_future', 't', '9999-12-31 00:00+00');
SELECT (p->>'t')::timestamptz = now() AS last_point_is_now, (t->>'bucket_seconds')::float8 AS bucket_seconds
FROM jobs.progress_traces('h91_future', 10) AS t, json_array_elements(t->'points') WITH ORDINALITY AS e(p, k)
WHERE k = 10;
\echo :SQLSTATE

DELETE FROM jobs.jobs WHERE id LIKE 'h91%';
