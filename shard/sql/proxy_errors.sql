-- Turning what PL/Proxy reports into the answers a single node gives, and
-- shard failures into clear, HTTP-mapped errors (PostgREST: PTnnn -> nnn;
-- through PostgREST raised as PGRST, jobs_proxy.raise_pt):
--   * the shard's own error (PT404, 22xxx, PT409, ...): same SQLSTATE, its
--     message without PL/Proxy's "fn(n): [db] REMOTE ERROR: " prefix;
--   * shard unreachable (connection refused, reset, shut down, restarting):
--     retried once -- a restarted shard leaves a dead connection that the
--     first call trips over and the second replaces -- then PT503
--     `the shard of job "<id>" is unavailable`;
--   * statement timeout (the shard's for traces_proxy, which the shard's
--     entry points report as PT504, or the proxy's own): PT504
--     `the shard of job "<id>" did not answer in time`.
-- Host and port of the failed shard go to the proxy's log, not to clients.

-- Connection-level failures: libpq calls PL/Proxy names in its message,
-- class 08, and the shard's shutdown / crash / start-up refusals.
CREATE OR REPLACE FUNCTION jobs_proxy.is_connection_failure(state text, message text) RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN left(state, 2) = '08'
    OR state IN ('57P01', '57P02', '57P03')
    OR (state = 'XX000'
        AND message ~ '^PL/Proxy function [^:]*: \[[^]]*\] (PQconnectStart|PQconnectPoll|PQconsumeInput|PQflush|PQsendQuery|PQsendQueryParams|PQgetResult)');

-- The shard's message without PL/Proxy's prefix; null if not a remote error.
CREATE OR REPLACE FUNCTION jobs_proxy.remote_message(message text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN substring(message FROM '^[^[]*\[[^]]*\] REMOTE [A-Z]+: (.*)$');

-- RAISE with optional detail and hint (RAISE refuses null options; an
-- empty one, as GET STACKED DIAGNOSTICS reports an absent one, is absent).
CREATE OR REPLACE FUNCTION jobs_proxy.raise_as(state text, message text, detail text, hint text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    detail := nullif(detail, '');
    hint := nullif(hint, '');
    IF detail IS NOT NULL AND hint IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, DETAIL = detail, HINT = hint;
    ELSIF detail IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, DETAIL = detail;
    ELSIF hint IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message, HINT = hint;
    END IF;
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message;
END $$;

-- Makes this session take in catalog changes made since its statement
-- began, among them a redefined cluster (PL/Proxy reloads it when the
-- foreign server's cache entry is invalidated): a relation lock taken for the
-- first time processes pending invalidations. The lock is taken in a
-- subtransaction that is rolled back, so every call takes it afresh.
CREATE TABLE IF NOT EXISTS jobs_proxy.cluster_refresh ();
GRANT SELECT ON jobs_proxy.cluster_refresh TO traces_router;
CREATE OR REPLACE FUNCTION jobs_proxy.refresh_cluster() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        LOCK TABLE jobs_proxy.cluster_refresh IN ACCESS SHARE MODE;
        RAISE EXCEPTION USING ERRCODE = 'PT000';
    EXCEPTION WHEN SQLSTATE 'PT000' THEN
        NULL;
    END;
END $$;

-- How long the caller's statement may still run before its
-- statement_timeout cancels it; null without one.
CREATE OR REPLACE FUNCTION jobs_proxy.statement_time_left() RETURNS interval
LANGUAGE sql VOLATILE
RETURN statement_timestamp() + nullif(current_setting('statement_timeout')::interval, interval '0')
       - clock_timestamp();

-- Called from an API function's exception handler with what it caught.
-- Returns (without raising) only when the call should be tried once more.
-- `what` names the jobs concerned, e.g. 'job "job_1"'.
CREATE OR REPLACE FUNCTION jobs_proxy.on_shard_error(attempt integer, what text, state text,
                                                     message text, detail text, hint text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_remote text := jobs_proxy.remote_message(message);
BEGIN
    IF state = 'PT302' AND v_remote IS NOT NULL THEN
        -- The partition is moving (shard/bin/move-partition): its old shard
        -- refuses writes until the cluster points at the new one. Wait a
        -- little, take in the new cluster definition, route again (the API
        -- functions try up to 100 times: about 5 s), but only while the
        -- caller's statement_timeout leaves room for one more try: a pause
        -- longer than that is PT503 (retry later), never the caller's own
        -- 57014 in the middle of a sleep. The tool bounds its pause below
        -- the timeout (--max-pause), so writers normally ride it out.
        IF attempt < 100 AND coalesce(jobs_proxy.statement_time_left() > interval '250 ms', true) THEN
            PERFORM pg_catalog.pg_sleep(0.05);
            PERFORM jobs_proxy.refresh_cluster();
            RETURN;
        END IF;
        PERFORM jobs_proxy.raise_pt('PT503', format('the shard of %s is unavailable', what),
            v_remote, 'Retry later: calls are idempotent. A partition move did not finish.');
    END IF;
    IF jobs_proxy.is_connection_failure(state, message) THEN
        IF attempt = 1 THEN
            RETURN;
        END IF;
        RAISE LOG 'traces proxy: the shard of % is unavailable: % (SQLSTATE %)', what, message, state;
        PERFORM jobs_proxy.raise_pt('PT503', format('the shard of %s is unavailable', what), NULL,
            'Retry later: calls are idempotent. The proxy''s log names the shard.');
    END IF;
    IF (state = 'PT504' AND v_remote IS NOT NULL)
       OR (state = '57014' AND coalesce(v_remote, message) LIKE 'canceling statement due to statement timeout%') THEN
        PERFORM jobs_proxy.raise_pt('PT504', format('the shard of %s did not answer in time', what),
            coalesce(v_remote, message), 'Retry later: calls are idempotent.');
    END IF;
    IF state = 'XX000' AND message ~ '^PL/Proxy function [^:]*: query timeout' THEN
        PERFORM jobs_proxy.raise_pt('PT504', format('the shard of %s did not answer in time', what),
            message, 'Retry later: calls are idempotent.');
    END IF;
    IF v_remote IS NULL THEN  -- raised on the proxy (the validation round's pick): as it is
        PERFORM jobs_proxy.raise_as(state, message, detail, hint);
    END IF;
    -- A shard's PTnnn (a write call carries no request to the shard) takes
    -- the PGRST form here when the proxy serves PostgREST; a shard's PGRST
    -- (the trace's, which does) passes as it is.
    IF state ~ '^PT[45][0-9][0-9]$' THEN
        PERFORM jobs_proxy.raise_pt(state, v_remote,
            substring(detail FROM '^Remote detail: (.*)$'), substring(hint FROM '^Remote hint: (.*)$'));
    END IF;
    PERFORM jobs_proxy.raise_as(state, v_remote,
        substring(detail FROM '^Remote detail: (.*)$'), substring(hint FROM '^Remote hint: (.*)$'));
END $$;

-- The body of the shard's answer to a trace, handing its response.status
-- and response.headers on to PostgREST: the shard's headers replace
-- same-named ones already set on the proxy (names compare
-- case-insensitively), others are kept. The body is the trace's json or the
-- chart's SVG (jobs."image/svg+xml"), passed on as it is.
CREATE OR REPLACE FUNCTION jobs_proxy.http_answer(status integer, headers text, body anyelement) RETURNS anyelement
LANGUAGE plpgsql AS $$
DECLARE
    v_existing jsonb := nullif(current_setting('response.headers', true), '')::jsonb;
    v_new jsonb := headers::jsonb;
BEGIN
    IF v_new IS NOT NULL AND jsonb_typeof(v_new) = 'array' THEN
        IF v_existing IS NULL OR jsonb_typeof(v_existing) <> 'array' THEN
            -- Nothing to merge: the shard's text as it is, byte for byte.
            PERFORM set_config('response.headers', headers, true);
        ELSE
            v_new := coalesce((
                SELECT jsonb_agg(e ORDER BY n)
                FROM jsonb_array_elements(v_existing) WITH ORDINALITY AS x(e, n)
                WHERE jsonb_typeof(e) <> 'object'
                   OR NOT EXISTS (SELECT FROM jsonb_object_keys(e) k, jsonb_array_elements(v_new) s,
                                             jsonb_object_keys(s) sk
                                  WHERE lower(k) = lower(sk))), '[]'::jsonb) || v_new;
            PERFORM set_config('response.headers', v_new::text, true);
        END IF;
    END IF;
    IF status IS NOT NULL THEN
        PERFORM set_config('response.status', status::text, true);
    END IF;
    RETURN body;
END $$;
