-- Hostile progress reports: metrics with nested objects, huge numbers,
-- strings, NaN-like values; odd kinds. Each is refused with a clear 22xxx
-- error naming the problem, or stored and counted exactly; the totals are
-- checked against a plain SQL recount. Never a crash or a 5xx-class SQLSTATE.
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('h92', 't', 'completed', '2026-04-14 10:00+00', NULL, '2026-04-14 10:10+00');
INSERT INTO jobs.job_inputs (job_id, id, status) VALUES ('h92', 'a', 'processing'), ('h92', 'b', 'processing');

-- ===== Refused: 22023 (or 22P02 from the JSON parser, 22004 for null) =====
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": {"n": 1}}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"failed": [1]}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": "12"}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": true}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": null}');
\echo :SQLSTATE
-- NaN and Infinity are not JSON; as numerics they become JSON strings
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": NaN}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', jsonb_build_object('success', 'NaN'::numeric));
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', jsonb_build_object('failed', '-Infinity'::float8));
\echo :SQLSTATE
-- negative, fractional, too large (any notation)
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": -1}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 1.5}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 1e-5}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 9223372036854775808}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"failed": 18446744073709551616}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 1e19}');
\echo :SQLSTATE
-- a hundred-thousand-digit number: refused (message not shown, it quotes the number)
\set VERBOSITY sqlstate
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 1e100000}');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 1e-100000}');
\set VERBOSITY default
\echo :SQLSTATE
-- not an object
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '[{"success": 1}]');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', '7');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', 'null');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', 'k', '2026-04-14 10:01+00', NULL);
\echo :SQLSTATE
-- kinds
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', '', '2026-04-14 10:01+00', '{}');
\echo :SQLSTATE
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'a', NULL, '2026-04-14 10:01+00', '{}');
\echo :SQLSTATE
-- an unknown input
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES ('h92', 'zz', 'k', '2026-04-14 10:01+00', '{}');
\echo :SQLSTATE
-- one bad row refuses the whole statement
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('h92', 'a', 'k', '2026-04-14 10:01+00', '{"success": 1}'),
    ('h92', 'a', 'k', '2026-04-14 10:02+00', '{"success": -2}');
\echo :SQLSTATE
SELECT count(*) AS rows_after_refusals FROM jobs.job_progress WHERE job_id = 'h92';
-- the counter function itself
SELECT jobs_internal.metric_count('{"n": 1}', '');
\echo :SQLSTATE
SELECT jobs_internal.metric_count('"x"', 'success');
\echo :SQLSTATE

-- ===== Accepted, counted exactly =====
-- (the kind with a control character is a row stored before contract §7.5
-- refused them, sql/90: the refusing trigger, "validate", is off for this
-- insert; the CHECKs hold the other rules)
ALTER TABLE jobs.job_progress DISABLE TRIGGER validate;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    -- the largest count, in several notations
    ('h92', 'a', 'max', '2026-04-14 10:01+00', '{"success": 9223372036854775807}'),
    ('h92', 'a', 'max', '2026-04-14 10:02+00', '{"success": 9223372036854775807.000, "failed": 1E+2}'),
    ('h92', 'a', 'max', '2026-04-14 10:03+00', '{"success": 92233720368547758.07e2, "failed": 9.223372036854775807e18}'),
    -- other keys, nested or odd, are ignored; a differently-cased key is another key
    ('h92', 'b', 'k', '2026-04-14 10:01+00', '{"Success": 5, "extra": {"success": 7, "deep": [[[{"failed": 9}]]]}, "note": "NaN"}'),
    -- duplicate keys: JSON's last one wins
    ('h92', 'b', 'k', '2026-04-14 10:02+00', '{"success": 1, "success": 2}'),
    -- a megabyte of other data
    ('h92', 'b', 'k', '2026-04-14 10:03+00', jsonb_build_object('success', 3, 'failed', 4, 'pad', repeat('z', 1000000))),
    -- kinds in byte order: upper case, lower case, non-ASCII; quotes,
    -- backslashes and control characters are escaped
    ('h92', 'b', 'Z', '2026-04-14 10:04+00', '{"success": 1}'),
    ('h92', 'b', 'a', '2026-04-14 10:04+00', '{"success": 1}'),
    ('h92', 'b', 'é', '2026-04-14 10:04+00', '{"success": 1}'),
    ('h92', 'b', E'"\\\x01</script>', '2026-04-14 10:04+00', '{"success": 1}'),
    ('h92', NULL, repeat('K', 512), '2026-04-14 10:04+00', '{"failed": 1}');
\echo :SQLSTATE
ALTER TABLE jobs.job_progress ENABLE TRIGGER validate;
-- a kind longer than 512 bytes is refused (22001)
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('h92', NULL, repeat('K', 20000), '2026-04-14 10:04+00', '{"failed": 1}');
\echo :SQLSTATE
SELECT kind, success, failed FROM jobs.job_progress WHERE job_id = 'h92' AND kind IN ('max', 'k') ORDER BY id;
-- the last point: byte order of kinds, exact counts
SELECT (jobs.progress_traces('h92', 10)->'points'->-1->'items')::jsonb ? repeat('K', 512) AS has_long_kind;
SELECT string_agg(CASE WHEN length(key) > 30 THEN 'K x ' || length(key) ELSE key END, ' | ' ORDER BY ord) AS kinds_in_order,
       jsonb_object_agg(CASE WHEN length(key) > 30 THEN 'K x ' || length(key) ELSE key END, value) AS items
FROM json_each(jobs.progress_traces('h92', 10)->'points'->-1->'items') WITH ORDINALITY AS e(key, value, ord);
\echo :SQLSTATE
-- every point equals a plain SQL recount from the raw metrics
WITH tr AS (
    SELECT (p->>'t')::timestamptz AS t, p->'items' AS items
    FROM json_array_elements(jobs.progress_traces('h92', 10)->'points') AS p
), recount AS (
    SELECT tr.t, coalesce(jsonb_object_agg(s.kind, jsonb_build_object('success', s.success, 'failed', s.failed))
                          FILTER (WHERE s.kind IS NOT NULL), '{}') AS items
    FROM tr LEFT JOIN LATERAL (
        SELECT kind, sum(success) AS success, sum(failed) AS failed FROM (
            SELECT DISTINCT ON (input_id, kind) kind,
                   coalesce((metrics->>'success')::numeric, 0) AS success,
                   coalesce((metrics->>'failed')::numeric, 0) AS failed
            FROM jobs.job_progress WHERE job_id = 'h92' AND created_at <= tr.t
            ORDER BY input_id, kind, created_at DESC, id DESC) latest
        GROUP BY kind) s ON true
    GROUP BY tr.t
)
SELECT count(*) AS points, count(*) FILTER (WHERE tr.items::jsonb = recount.items) AS equal_to_recount
FROM tr JOIN recount USING (t);

-- ===== Totals beyond 64 bits: a clear 22003, never a wrong number =====
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics) VALUES
    ('h92', 'b', 'max', '2026-04-14 10:05+00', '{"success": 1}');
SELECT jobs.progress_traces('h92', 10);
\echo :SQLSTATE
SELECT count(*) FROM jobs.progress_trace_points('h92', 10);
\echo :SQLSTATE

DELETE FROM jobs.jobs WHERE id = 'h92';
