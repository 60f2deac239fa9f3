-- The statements the newest PostgREST release line (read at tag v16.2) runs
-- for GET and HEAD /rpc/progress_traces, for the pg_regress replay
-- sql/28_http_postgrest_v16.sql. Load after postgrest_v12.sql: the
-- per-request settings statement (PreQuery.hs, txVarQuery) is v12's
-- pgrst_locals unchanged, as are the transaction and the response columns.
--
-- What changed since v12 (Plan.hs, callPlan with DirectArgs for a GET;
-- QueryBuilder.hs, callPlanToQuery and fmtArgs): the arguments of a GET are
-- no longer one json parameter unpacked by json_to_record but one
-- parameter each, sent untyped and cast to the parameter's declared type
-- ("job_id" := $1::text, "buckets" := $2::integer). A PREPARE without types
-- lets the casts type them, as the untyped parameters do; a non-integer
-- buckets fails at bind time with 22P02. As before, only the parameters in
-- the query string are passed, in the function's order.

-- GET /rpc/progress_traces?job_id=...&buckets=...
PREPARE pgrst16_rpc_job_buckets AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT "jobs"."progress_traces"("job_id" := $1::text, "buckets" := $2::integer) pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces".* FROM "pgrst_source" AS "progress_traces") _postgrest_t;

-- GET /rpc/progress_traces?job_id=... (buckets left to its default)
PREPARE pgrst16_rpc_job AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT "jobs"."progress_traces"("job_id" := $1::text) pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces".* FROM "pgrst_source" AS "progress_traces") _postgrest_t;

-- HEAD: the body column is '' here too, and the function never runs.
PREPARE pgrst16_head_job AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT "jobs"."progress_traces"("job_id" := $1::text) pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, ''::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces".* FROM "pgrst_source" AS "progress_traces") _postgrest_t;
