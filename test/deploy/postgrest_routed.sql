-- The call deploy/nginx.conf makes, GET /rpc/progress_traces_routed?
-- slash_job_id=/<id>[&buckets=N], as both release lines run it (the same
-- shapes as progress_traces's in postgrest_v12.sql and postgrest_v16.sql).
-- Apart from those files because the sharded deployment's proxy has no
-- jobs.progress_traces_routed yet, and its suite prepares postgrest_v12.sql.

-- v12: the query string as one json parameter.
PREPARE pgrst_routed_job_buckets(json) AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "slash_job_id", "buckets" FROM json_to_record(pgrst_payload.json_data) AS _("slash_job_id" text, "buckets" integer) LIMIT 1) pgrst_body , LATERAL (SELECT "jobs"."progress_traces_routed"("slash_job_id" := pgrst_body."slash_job_id", "buckets" := pgrst_body."buckets") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces_routed".* FROM "pgrst_source" AS "progress_traces_routed") _postgrest_t;

-- v16: one cast parameter per argument.
PREPARE pgrst16_routed_job_buckets AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT "jobs"."progress_traces_routed"("slash_job_id" := $1::text, "buckets" := $2::integer) pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces_routed".* FROM "pgrst_source" AS "progress_traces_routed") _postgrest_t;
