-- The trace drawn (contract §2.14) and in long format (§2.15), from the same engine,
-- window and snapshot as jobs.progress_traces.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- PostgREST v12's media type handlers: a function returning a domain named after a
-- media type answers requests that accept that type, with that Content-Type. v12 picks
-- the first type of the Accept header it has a handler for, and for */* that is its
-- own JSON handler, not this one: a browser's <img> sends "image/avif,image/webp,*/*"
-- (Firefox) or lists image/svg+xml (Chromium). deploy/nginx.conf therefore sends
-- "Accept: image/svg+xml" upstream for the chart's public URL (docs/http.md).
CREATE DOMAIN jobs."image/svg+xml" AS text;

-- width and panel_height in CSS pixels, clamped (contract §2.14); null means default.
CREATE FUNCTION jobs.progress_chart(job_id text, buckets integer DEFAULT 100,
                                    "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL,
                                    width integer DEFAULT 800, panel_height integer DEFAULT 160)
RETURNS jobs."image/svg+xml"
AS 'MODULE_PATHNAME', 'traces_progress_chart'
LANGUAGE C STABLE
SET search_path = pg_catalog, pg_temp
SET jit = off;

-- Long format for Grafana, Metabase, Superset: a time column, a metric name, a number.
CREATE FUNCTION jobs.progress_series(job_id text, buckets integer DEFAULT 100,
                                     "from" timestamptz DEFAULT NULL, "to" timestamptz DEFAULT NULL)
RETURNS TABLE ("time" timestamptz, metric text, value bigint)
AS 'MODULE_PATHNAME', 'traces_progress_series'
LANGUAGE C STABLE ROWS 1000
SET search_path = pg_catalog, pg_temp
SET jit = off;
