-- 40_siblings: the trace's siblings (docs/contract.md §12) on the published
-- sample job: the list with its completion rank (steps 1..9, the failed
-- input included), the counts (0/0/8/1), the log, the summary; keyset
-- pages, filters, errors, the validator, the ETA, tenancy.
\set ECHO none
\i test/fixtures/http_preamble.sql
\pset format aligned
\x off
-- Inputs stored by the fixture get now() as created_at: pin them.
UPDATE jobs.job_inputs SET created_at = '2026-04-14 09:49:00+00' WHERE job_id = 'job_2abc';
-- Report ids depend on the sequence: shown relative to the job's first (1),
-- or masked in whole answers.
SELECT min(id) - 1 AS base FROM jobs.job_progress WHERE job_id = 'job_2abc' \gset
CREATE FUNCTION pg_temp.masked(j json) RETURNS text LANGUAGE sql
RETURN regexp_replace(j::text, '"id":[0-9]+', '"id":…', 'g');
-- An error as SQLSTATE and message.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- The list, completion order: ranks 1..9 (in_07 failed, rank 7).
SELECT x.pos, x.item -> 'input' ->> 'id' AS id, x.item -> 'input' ->> 'status' AS status,
       x.item ->> 'step' AS step, x.item -> 'latest_progress' ->> 'created_at' AS latest
FROM json_array_elements(jobs.input_progress('job_2abc') -> 'items') WITH ORDINALITY x(item, pos);
-- One whole answer: keys and their order.
SELECT pg_temp.masked(jobs.input_progress('job_2abc', statuses => '{failed}'));
-- desc is the reverse; the total counts the filter, not the page.
SELECT r ->> 'total' AS total, (SELECT string_agg(i -> 'input' ->> 'id' || '=' || (i ->> 'step'), ' ')
                                FROM json_array_elements(r -> 'items') i) AS page
FROM (VALUES (jobs.input_progress('job_2abc', p_order => 'desc', p_limit => 4)),
             (jobs.input_progress('job_2abc', p_limit => 4, p_offset => 4)),
             (jobs.input_progress('job_2abc', p_limit => 4, after => 'in_04')),
             (jobs.input_progress('job_2abc', p_order => 'desc', p_limit => 4, after => 'in_06')),
             (jobs.input_progress('job_2abc', statuses => '{completed,failed,completed}', p_limit => 2, after => 'in_08')),
             (jobs.input_progress('job_2abc', statuses => '{pending,processing}')),
             (jobs.input_progress('job_2abc', port_name => 'none'))) v(r);
-- Counts over tracked inputs: the reference input is not one.
SELECT jobs.input_progress_counts('job_2abc');
-- The log, oldest first, and its keyset.
SELECT pg_temp.masked(jobs.progress_log('job_2abc', p_limit => 2));
SELECT r ->> 'total' AS total, (SELECT string_agg(((e ->> 'id')::bigint - :base)::text, ' ') FROM json_array_elements(r -> 'entries') e) AS ids
FROM (VALUES (jobs.progress_log('job_2abc', input_id => 'in_02')),
             (jobs.progress_log('job_2abc', input_id => 'in_02', after => :base + 8)),
             (jobs.progress_log('job_2abc', kind => 'inference', p_offset => 38)),
             (jobs.progress_log('job_2abc', kind => 'other'))) v(r);
-- The summary of the finished job: no eta.
SELECT jobs.progress_summary('job_2abc');

-- Rank and trace agree (contract §12.2): at every point, step is the
-- largest rank among the inputs counted there.
SELECT count(*) AS points, bool_and(p.step = coalesce((
           SELECT max(jobs_internal.input_rank(i.job_id, i.completed_at, i.id)) FROM jobs.job_inputs i
           WHERE i.job_id = 'job_2abc' AND i.completed_at IS NOT NULL
             AND least(i.completed_at, '2026-04-14 10:15:00+00') <= p.t), 0)) AS consistent
FROM jobs.progress_trace_points('job_2abc', 50) p;

-- Errors: a missing job and a bad parameter.
SELECT pg_temp.err($$SELECT jobs.input_progress('job_missing')$$);
SELECT pg_temp.err($$SELECT jobs.input_progress_counts('job_missing')$$);
SELECT pg_temp.err($$SELECT jobs.progress_log('job_missing')$$);
SELECT pg_temp.err($$SELECT jobs.progress_summary('job_missing')$$);
SELECT pg_temp.err($$SELECT jobs.input_progress('job_2abc', p_order => 'up')$$);
SELECT pg_temp.err($$SELECT jobs.input_progress('job_2abc', p_limit => 0)$$);
SELECT pg_temp.err($$SELECT jobs.progress_log('job_2abc', p_limit => 1001)$$);
SELECT pg_temp.err($$SELECT jobs.input_progress('job_2abc', p_offset => -1)$$);
SELECT pg_temp.err($$SELECT jobs.input_progress('job_2abc', statuses => '{reference}')$$);
SELECT pg_temp.err($$SELECT jobs.input_progress('job_2abc', after => 'in_99')$$);
SELECT pg_temp.err($$SELECT jobs.progress_log('job_2abc', after => 0)$$);
SELECT pg_temp.err($$SELECT jobs.input_progress_routed('job_2abc')$$);
SELECT pg_temp.err($$SELECT jobs.input_progress_routed('/job_2abc', slash_port_name => 'x')$$);

-- Routed forms: values behind "/", statuses comma-separated.
SELECT jobs.input_progress_routed('/job_2abc', statuses => 'failed,', p_limit => 1)::text
     = jobs.input_progress('job_2abc', statuses => '{failed}', p_limit => 1)::text AS list_same,
       jobs.input_progress_counts_routed('/job_2abc', '/none')::text AS counts_port,
       (jobs.progress_log_routed('/job_2abc', '/inference', '/in_09', p_limit => 1) -> 'entries' -> 0 ->> 'id')::bigint - :base AS log_id,
       jobs.progress_summary_routed('/job_2abc')::text = jobs.progress_summary('job_2abc')::text AS summary_same;

-- The new fields: stored as given, shown by the list and the log; caps.
SELECT jobs.create_job('job_sib', '2026-04-14 08:00:00+00', 'running', '2026-04-14 08:00:00+00', 'tenant_demo');
INSERT INTO jobs.job_inputs (job_id, id, port_name, file_id, data, created_at)
VALUES ('job_sib', 'a', 'images', 'file-1', '{"w": 2}', '2026-04-14 08:00:01+00'),
       ('job_sib', 'b', 'texts', NULL, NULL, '2026-04-14 08:00:02+00');
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics, step, message, payload, "index")
VALUES ('job_sib', 'a', 'resize', '2026-04-14 08:01:00+00', '{"success": 1}', 3, 'resized', '{"px": [1, 2]}', 0);
UPDATE jobs.job_inputs SET status = 'failed', completed_at = '2026-04-14 08:02:00+00', error_message = 'bad pixels'
WHERE job_id = 'job_sib' AND id = 'a';
SELECT pg_temp.masked(jobs.input_progress('job_sib', port_name => 'images'));
SELECT jobs.input_progress_counts('job_sib', 'texts');
SELECT pg_temp.masked(jobs.progress_log('job_sib'));
SELECT pg_temp.err($$INSERT INTO jobs.job_inputs (job_id, id, error_message) VALUES ('job_sib', 'c', repeat('x', 4097))$$);
SELECT pg_temp.err($$INSERT INTO jobs.job_inputs (job_id, id, data) VALUES ('job_sib', 'c', to_jsonb(repeat('x', 65535)))$$);
SELECT pg_temp.err($$INSERT INTO jobs.job_inputs (job_id, id, port_name) VALUES ('job_sib', 'c', E'a\tb')$$);
SELECT pg_temp.err($$INSERT INTO jobs.job_inputs (job_id, id, file_id) VALUES ('job_sib', 'c', '')$$);
SELECT pg_temp.err($$INSERT INTO jobs.job_progress (job_id, kind, created_at, message) VALUES ('job_sib', 'k', '2026-04-14 08:00:00+00', repeat('é', 2049))$$);
SELECT pg_temp.err($$INSERT INTO jobs.job_progress (job_id, kind, created_at, payload) VALUES ('job_sib', 'k', '2026-04-14 08:00:00+00', to_jsonb(repeat('x', 65535)))$$);
-- At the caps exactly: accepted.
INSERT INTO jobs.job_inputs (job_id, id, error_message, data)
VALUES ('job_sib', 'c', repeat('x', 4096), to_jsonb(repeat('x', 65534)));

-- The validator: every write advances it, reads do not.
CREATE TEMP TABLE tags (what text, tag text);
INSERT INTO tags VALUES ('start', jobs_internal.job_version_tag('job_sib'));
SELECT jobs.add_inputs('job_sib', '{d}');
INSERT INTO tags VALUES ('add_inputs', jobs_internal.job_version_tag('job_sib'));
UPDATE jobs.job_inputs SET status = 'processing' WHERE job_id = 'job_sib' AND id = 'd';
INSERT INTO tags VALUES ('processing', jobs_internal.job_version_tag('job_sib'));
SELECT jobs.report_progress('{job_sib}', '{d}', '{resize}', '{2026-04-14 08:03:00+00}', '{"{}"}');
INSERT INTO tags VALUES ('report_progress', jobs_internal.job_version_tag('job_sib'));
SELECT jobs.finish_input('job_sib', 'd', 'completed', '2026-04-14 08:04:00+00');
INSERT INTO tags VALUES ('finish_input', jobs_internal.job_version_tag('job_sib'));
UPDATE jobs.job_inputs SET error_message = 'late note' WHERE job_id = 'job_sib' AND id = 'b';
INSERT INTO tags VALUES ('error_message', jobs_internal.job_version_tag('job_sib'));
SELECT jobs.finish_job('job_sib', 'completed', '2026-04-14 08:05:00+00');
INSERT INTO tags VALUES ('finish_job', jobs_internal.job_version_tag('job_sib'));
SELECT jobs.input_progress('job_sib') IS NOT NULL AS read;
INSERT INTO tags VALUES ('after a read', jobs_internal.job_version_tag('job_sib'));
SELECT what, tag IS DISTINCT FROM lag(tag) OVER () AS advanced FROM tags;

-- Through PostgREST: ETag, then 304 without a body on a match; the trace
-- keeps its own ETag.
BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY;
SELECT h AS if_none_match, jobs_internal.if_none_match_has(h, 'W/"17-3"') AS matches_w_17_3
FROM unnest(ARRAY[' "x", W/"17-3"', 'W/"17-3"', '"x",W/"17-3"', '17-3', '"17-3', '*', '"a,b", "17-3"',
                  'w/"17-3"', '"17-3" x', '', ' , ,"17-3"']) h;
SELECT set_config('request.headers', '{"accept":"*/*"}', true) \g /dev/null
SELECT jobs.input_progress_counts_routed('/job_2abc') IS NOT NULL AS body,
       current_setting('response.headers') = json_build_array(json_build_object('ETag', jobs_internal.job_version_tag('job_2abc')),
           json_build_object('Cache-Control', 'private, no-cache'), json_build_object('Vary', 'Authorization'))::jsonb::text AS headers,
       current_setting('response.status', true) AS status;
SELECT set_config('request.headers', json_build_object('if-none-match', ' "x", ' || jobs_internal.job_version_tag('job_2abc'))::text, true) \g /dev/null
SELECT jobs.input_progress_routed('/job_2abc') IS NULL AS no_body, current_setting('response.status', true) AS status;
SELECT set_config('response.status', '', true), set_config('request.headers', json_build_object('if-none-match', substr(jobs_internal.job_version_tag('job_2abc'), 3))::text, true) \g /dev/null
SELECT jobs.progress_log_routed('/job_2abc') IS NULL AS no_body, current_setting('response.status', true) AS status;
SELECT set_config('response.status', '', true), set_config('request.method', 'POST', true), set_config('request.headers', '{"if-none-match":"*"}', true) \g /dev/null
SELECT jobs.input_progress_counts('job_2abc') IS NULL AS no_body, current_setting('response.status', true) AS status;
SELECT set_config('response.status', '', true), set_config('request.method', 'GET', true), set_config('request.headers', '{"if-none-match":"W/\"2026-04-14T10:15:00Z\""}', true) \g /dev/null
SELECT jobs.input_progress_counts('job_2abc') IS NOT NULL AS body, jobs.progress_traces('job_2abc') IS NULL AS trace_304;
ROLLBACK;

-- Tenancy: another tenant's job is the missing job's PT404; counts stay hidden.
SET ROLE regress_analytics_demo;
SELECT pg_temp.err($$SELECT jobs.input_progress('job_other')$$);
SELECT pg_temp.err($$SELECT jobs.progress_summary('job_other')$$);
SELECT jobs.input_progress_counts('job_2abc');
SELECT count(*) FILTER (WHERE job_id = 'job_other') AS other_rows, count(*) > 0 AS own_rows FROM jobs_internal.input_counts;
RESET ROLE;

-- The counts table matches a plain count on every job after all of the above.
SELECT count(*) AS mismatches FROM (
    SELECT job_id, port_name, status, count(*) AS n FROM jobs.job_inputs GROUP BY 1, 2, 3) a
FULL JOIN (SELECT * FROM jobs_internal.input_counts WHERE n <> 0) b
  ON a.job_id = b.job_id AND a.port_name IS NOT DISTINCT FROM b.port_name AND a.status = b.status
WHERE a.n IS DISTINCT FROM b.n;

DELETE FROM jobs.jobs WHERE id = 'job_sib';
\i test/fixtures/regress_roles_drop.sql
