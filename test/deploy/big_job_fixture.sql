-- A job of tenant_demo large enough that reading it shows in the statistics
-- counters: 200 finished inputs and 20,000 progress rows, the newest at
-- 2026-04-14T09:40:00Z. Run as a superuser; running it again replaces it.

DELETE FROM jobs.jobs WHERE id = 'job_http_big';
INSERT INTO jobs.jobs (id, tenant_id, status, created_at, started_at, finished_at)
VALUES ('job_http_big', 'tenant_demo', 'completed',
        '2026-04-14 08:00:00+00', '2026-04-14 08:00:00+00', '2026-04-14 10:00:00+00');
INSERT INTO jobs.job_inputs (job_id, id, status, completed_at)
SELECT 'job_http_big', 'in_' || i, 'completed', '2026-04-14 08:00:00+00'::timestamptz + i * interval '30 s'
FROM generate_series(1, 200) AS i;
INSERT INTO jobs.job_progress (job_id, input_id, kind, created_at, metrics)
SELECT 'job_http_big', 'in_' || (1 + g % 200), 'inference',
       '2026-04-14 08:00:00+00'::timestamptz + g * interval '300 ms', jsonb_build_object('success', g / 200)
FROM generate_series(1, 20000) AS g;
ANALYZE jobs.jobs, jobs.job_inputs, jobs.job_progress;

-- Rows this backend has read so far from job_progress and job_inputs, by
-- sequential scans and through each table's indexes, as one JSON value to
-- \gset: the counters are not flushed per transaction, so the tests compare
-- two readings taken in one transaction (pg_temp.trace_reads_delta).
PREPARE trace_reads AS
SELECT json_agg(json_build_object(
           'relname', t.relname,
           'seq_scans', pg_stat_get_xact_numscans(t.oid),
           'seq_rows', pg_stat_get_xact_tuples_returned(t.oid),
           'index_scans', (SELECT sum(pg_stat_get_xact_numscans(i.indexrelid))
                             FROM pg_index i WHERE i.indrelid = t.oid),
           'index_rows', (SELECT sum(pg_stat_get_xact_tuples_returned(i.indexrelid))
                            FROM pg_index i WHERE i.indrelid = t.oid))) AS reads
FROM pg_class t
WHERE t.oid IN ('jobs.job_progress'::regclass, 'jobs.job_inputs'::regclass);

CREATE FUNCTION pg_temp.trace_reads_delta(before json, after json)
RETURNS TABLE (relname text, seq_scans bigint, seq_rows bigint, index_scans bigint, index_rows bigint)
LANGUAGE sql AS $$
SELECT a.relname, a.seq_scans - b.seq_scans, a.seq_rows - b.seq_rows,
       a.index_scans - b.index_scans, a.index_rows - b.index_rows
FROM json_to_recordset(after) AS a(relname text, seq_scans bigint, seq_rows bigint, index_scans bigint, index_rows bigint)
JOIN json_to_recordset(before) AS b(relname text, seq_scans bigint, seq_rows bigint, index_scans bigint, index_rows bigint)
  USING (relname)
ORDER BY relname
$$;
