-- The statements PostgREST v12 runs for GET /rpc/progress_chart (docs/http.md), beside
-- test/deploy/postgrest_v12.sql's for the trace. The function returns the media type
-- domain jobs."image/svg+xml", so with "Accept: image/svg+xml" v12's handler is the
-- domain itself (its schema cache lists a function returning a media type domain as a
-- handler named after the domain): the body is "jobs"."image/svg+xml"(pgrst_scalar),
-- the value as it is, not json_agg of it; the Content-Type is image/svg+xml.

-- GET /rpc/progress_chart?job_id=...&buckets=...
PREPARE pgrst_chart_job_buckets(json) AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "job_id", "buckets" FROM json_to_record(pgrst_payload.json_data) AS _("job_id" text, "buckets" integer) LIMIT 1) pgrst_body , LATERAL (SELECT "jobs"."progress_chart"("job_id" := pgrst_body."job_id", "buckets" := pgrst_body."buckets") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, "jobs"."image/svg+xml"(_postgrest_t.pgrst_scalar) AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_chart".* FROM "pgrst_source" AS "progress_chart") _postgrest_t;

-- GET /rpc/progress_chart?job_id=...&buckets=...&from=...&to=...&width=...
PREPARE pgrst_chart_zoom(json) AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "job_id", "buckets", "from", "to", "width" FROM json_to_record(pgrst_payload.json_data) AS _("job_id" text, "buckets" integer, "from" timestamp with time zone, "to" timestamp with time zone, "width" integer) LIMIT 1) pgrst_body , LATERAL (SELECT "jobs"."progress_chart"("job_id" := pgrst_body."job_id", "buckets" := pgrst_body."buckets", "from" := pgrst_body."from", "to" := pgrst_body."to", "width" := pgrst_body."width") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, "jobs"."image/svg+xml"(_postgrest_t.pgrst_scalar) AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_chart".* FROM "pgrst_source" AS "progress_chart") _postgrest_t;
