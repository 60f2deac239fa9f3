-- 28_http_chart: GET /rpc/progress_chart replayed as PostgREST v12 runs it
-- (test/deploy/postgrest_v12_chart.sql): the SVG as the body, the trace's ETag,
-- Cache-Control and Vary; If-None-Match gives the trace's 304 without drawing.
\set ECHO none
\i test/fixtures/http_preamble.sql
\set ECHO none
\i test/deploy/postgrest_v12_chart.sql
\set ECHO all

-- 200: an SVG document, the trace's headers.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_chart', '{"accept":"image/svg+xml"}', '{}') \g /dev/null
EXECUTE pgrst_chart_job_buckets('{"job_id":"job_2abc","buckets":"50"}') \gset c_
COMMIT;
SELECT left(:'c_body', 56) AS body_start, right(:'c_body', 7) AS body_end,
       pg_typeof(jobs.progress_chart('job_2abc', 50)) AS type,
       :'c_body' = jobs.progress_chart('job_2abc', 50) AS same_as_sql,
       xml_is_well_formed_document(:'c_body') AS well_formed,
       :'c_response_headers' AS response_headers, :{?c_response_status} AS has_status;

-- Its ETag is the trace's, whatever the sizes or the zoom.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_chart', '{"accept":"image/svg+xml"}', '{}') \g /dev/null
EXECUTE pgrst_chart_zoom('{"job_id":"job_2abc","buckets":"20","from":"2026-04-14T10:00:00Z","to":"2026-04-14T10:10:00Z","width":"4000"}') \gset z_
COMMIT;
SELECT :'z_response_headers' AS response_headers,
       :'z_body' LIKE '%width="4000"%' AS wide,
       :'z_body' LIKE '%2026-04-14T10:00:00Z to 2026-04-14T10:10:00Z, 20 points%' AS zoomed;

-- If-None-Match with the ETag: 304 and no body.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_chart', '{"accept":"image/svg+xml","if-none-match":"W/\"2026-04-14T10:15:00Z\""}', '{}') \g /dev/null
EXECUTE pgrst_chart_job_buckets('{"job_id":"job_2abc","buckets":"50"}');
COMMIT;

-- Another tenant's job: PT404, no ETag, never a 304.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
EXECUTE pgrst_locals('"jobs", "public"', 'regress_web', '{"role":"regress_web","tenant_id":"tenant_demo"}', 'GET', '/rpc/progress_chart', '{"if-none-match":"*"}', '{}') \g /dev/null
EXECUTE pgrst_chart_job_buckets('{"job_id":"job_other","buckets":"50"}');
ROLLBACK;

-- A job with no event yet and a live job draw too.
SELECT xml_is_well_formed_document(jobs.progress_chart('job_quiet')) AS quiet,
       jobs.progress_chart('job_quiet') LIKE '%latest event none yet%' AS none_yet,
       xml_is_well_formed_document(jobs.progress_chart('job_live', 1000)) AS live;

-- Sizes are clamped (contract §2.14), null is the default.
SELECT jobs.progress_chart('job_2abc', 10, width => 1) LIKE '%width="320" height="%' AS narrowest,
       jobs.progress_chart('job_2abc', 10, width => 2147483647, panel_height => 2147483647)
         LIKE '%width="4000" height="2176"%' AS largest,
       jobs.progress_chart('job_2abc', 10, width => NULL, panel_height => NULL) = jobs.progress_chart('job_2abc', 10) AS nulls_default;

-- A hostile kind is text: no element from it, and still well-formed.
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
VALUES ('job_2abc', NULL, '</text><script>alert(1)</script>', '2026-04-14 10:01:00+00', '{"success": 1}');
SELECT jobs.progress_chart('job_2abc', 10) LIKE '%<script%' AS has_script_element,
       jobs.progress_chart('job_2abc', 10) LIKE '%items: &lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;%' AS escaped,
       xml_is_well_formed_document(jobs.progress_chart('job_2abc', 10)) AS well_formed;
\set ECHO none
\i test/fixtures/regress_roles_drop.sql
