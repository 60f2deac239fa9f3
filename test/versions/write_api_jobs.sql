-- Jobs written only through the write API, with fixed times, so the same
-- calls give the same rows on any version of the API since 1.0 (later
-- versions add trailing parameters with defaults and keep these calls
-- working). psql variable `tag` names the batch: each batch writes its own
-- jobs. The calls run twice: every second call must change nothing
-- (idempotence), which the caller checks in the printed results.
--   psql -X -A -t -v tag=a -f write_api_jobs.sql
\pset footer off
SET TimeZone = 'UTC';
SELECT 'create ' || jobs.create_job('job_write_' || :'tag' || '_' || g,
                                    '2026-03-01 08:00:00+00'::timestamptz + g * interval '1 minute',
                                    'pending', NULL, 'tenant_versions')
FROM generate_series(1, 3) g;
SELECT 'inputs ' || jobs.add_inputs('job_write_' || :'tag' || '_' || g,
                                    ARRAY(SELECT 'in_' || i FROM generate_series(1, 5) i))
FROM generate_series(1, 3) g;
SELECT 'reference ' || jobs.add_inputs('job_write_' || :'tag' || '_' || g, ARRAY['prompt'], 'reference')
FROM generate_series(1, 3) g;
SELECT 'start ' || jobs.start_job('job_write_' || :'tag' || '_' || g,
                                  '2026-03-01 09:00:00+00'::timestamptz + g * interval '1 minute')
FROM generate_series(1, 3) g;
SELECT 'progress ' || jobs.report_progress(
    array_agg('job_write_' || :'tag' || '_' || g ORDER BY g, i, s),
    array_agg(CASE WHEN i = 0 THEN NULL ELSE 'in_' || i END ORDER BY g, i, s),
    array_agg(CASE WHEN s % 2 = 0 THEN 'inference' ELSE 'embedding' END ORDER BY g, i, s),
    array_agg('2026-03-01 09:10:00+00'::timestamptz + (g * 7 + i * 3 + s) * interval '17 seconds' ORDER BY g, i, s),
    array_agg(jsonb_build_object('success', s * 10 + i, 'failed', s % 3) ORDER BY g, i, s))
FROM generate_series(1, 3) g, generate_series(0, 5) i, generate_series(1, 6) s;
SELECT 'finish_input ' || jobs.finish_input('job_write_' || :'tag' || '_' || g, 'in_' || i,
                                            CASE WHEN i = 4 THEN 'failed' ELSE 'completed' END,
                                            '2026-03-01 09:30:00+00'::timestamptz + (g + i) * interval '41 seconds')
FROM generate_series(1, 3) g, generate_series(1, 4) i;
SELECT 'finish_job ' || jobs.finish_job('job_write_' || :'tag' || '_' || g, 'completed',
                                        '2026-03-01 10:00:00+00'::timestamptz + g * interval '1 minute')
FROM generate_series(1, 2) g;
