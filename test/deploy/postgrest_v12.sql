-- The statements PostgREST v12 runs for GET /rpc/progress_traces, as
-- prepared statements with the same parameters, for the pg_regress replays
-- in sql/2*.sql. Each request is one transaction:
--
--   BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;   -- GET and HEAD
--   EXECUTE pgrst_locals(search_path, role, claims, method, path, headers, cookies);
--   EXECUTE pgrst_rpc_job_buckets('{"job_id": "...", "buckets": "..."}');
--   COMMIT;
--
-- pgrst_locals is PostgREST's setPgLocals: constant names, values as
-- parameters. The call is its callPlanToQuery for a function returning a
-- scalar, wrapped by prepareCall: the query string arrives as one json
-- parameter, json_to_record casts each value to its parameter's type (so a
-- non-integer buckets fails with 22P02), only the parameters present in the
-- query string are passed (named notation, defaults for the others), and
-- response.headers / response.status are read in the same statement.

PREPARE pgrst_locals(text, text, text, text, text, text, text) AS
SELECT set_config('search_path', $1, true), set_config('role', $2, true),
       set_config('request.jwt.claims', $3, true), set_config('request.method', $4, true),
       set_config('request.path', $5, true), set_config('request.headers', $6, true),
       set_config('request.cookies', $7, true);

-- GET /rpc/progress_traces?job_id=...&buckets=...
PREPARE pgrst_rpc_job_buckets(json) AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "job_id", "buckets" FROM json_to_record(pgrst_payload.json_data) AS _("job_id" text, "buckets" integer) LIMIT 1) pgrst_body , LATERAL (SELECT "jobs"."progress_traces"("job_id" := pgrst_body."job_id", "buckets" := pgrst_body."buckets") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces".* FROM "pgrst_source" AS "progress_traces") _postgrest_t;

-- GET /rpc/progress_traces?job_id=... (buckets left to its default)
PREPARE pgrst_rpc_job(json) AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "job_id" FROM json_to_record(pgrst_payload.json_data) AS _("job_id" text) LIMIT 1) pgrst_body , LATERAL (SELECT "jobs"."progress_traces"("job_id" := pgrst_body."job_id") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, coalesce(json_agg(_postgrest_t.pgrst_scalar)->0, 'null') AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces".* FROM "pgrst_source" AS "progress_traces") _postgrest_t;

-- HEAD /rpc/progress_traces?job_id=...&buckets=...: the same statement with
-- the body column '' (handler NoAgg). Nothing reads the function's result,
-- so the planner drops the STABLE call: the function never runs. nginx
-- therefore sends HEAD upstream as GET (deploy/nginx.conf).
PREPARE pgrst_head_job_buckets(json) AS
WITH pgrst_source AS (SELECT pgrst_call.pgrst_scalar FROM (SELECT $1 AS json_data) pgrst_payload, LATERAL (SELECT "job_id", "buckets" FROM json_to_record(pgrst_payload.json_data) AS _("job_id" text, "buckets" integer) LIMIT 1) pgrst_body , LATERAL (SELECT "jobs"."progress_traces"("job_id" := pgrst_body."job_id", "buckets" := pgrst_body."buckets") pgrst_scalar) pgrst_call) SELECT null::bigint AS total_result_set, 1 AS page_total, ''::text AS body, nullif(current_setting('response.headers', true), '') AS response_headers, nullif(current_setting('response.status', true), '') AS response_status, '' AS response_inserted FROM (SELECT "progress_traces".* FROM "pgrst_source" AS "progress_traces") _postgrest_t;
