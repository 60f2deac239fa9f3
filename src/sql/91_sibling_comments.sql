-- Comments on the sibling endpoints' objects (contract §12), as
-- 90_comments.sql for the rest: \d+ and \df+ explain every member.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

COMMENT ON COLUMN jobs.job_inputs.port_name IS 'The workflow port the input arrived on, or null (1 to 512 bytes, no control characters).';
COMMENT ON COLUMN jobs.job_inputs.file_id IS 'The file the input refers to, or null (1 to 512 bytes, no control characters).';
COMMENT ON COLUMN jobs.job_inputs.data IS 'The input''s own JSON, shown by the list as stored (at most 64 KiB as text).';
COMMENT ON COLUMN jobs.job_inputs.error_message IS 'Why the input failed (or a note), at most 4096 bytes.';
COMMENT ON COLUMN jobs.job_inputs.created_at IS 'When the input was added; null for inputs stored before version 1.1.';
COMMENT ON COLUMN jobs.job_progress.step IS 'The worker''s own step number, stored as given; unrelated to an input''s completion rank.';
COMMENT ON COLUMN jobs.job_progress.message IS 'The worker''s message, at most 4096 bytes.';
COMMENT ON COLUMN jobs.job_progress.payload IS 'The worker''s JSON, at most 64 KiB as text.';
COMMENT ON COLUMN jobs.job_progress.index IS 'The worker''s index (e.g. of the item within the input), stored as given.';
COMMENT ON TABLE jobs_internal.input_counts IS
    'Inputs per (job, port_name, status), kept by statement triggers under the job''s write lock: the list''s total and the counts.';
COMMENT ON TABLE jobs_internal.progress_counts IS
    'Progress reports per (job, kind), kept by statement triggers under the job''s write lock: the log''s total.';

COMMENT ON FUNCTION jobs.input_progress(text, text, text[], text, integer, bigint, text) IS
    'The job''s tracked inputs with their latest report and completion rank (step), in completion order; keyset by the last input id of the previous page (contract §12.1).';
COMMENT ON FUNCTION jobs.input_progress_counts(text, text) IS
    'The job''s tracked inputs counted by status (pending, processing, completed, failed), optionally of one port (contract §12.3).';
COMMENT ON FUNCTION jobs.progress_log(text, text, text, bigint, integer, bigint) IS
    'The job''s progress reports oldest first, optionally of one kind and/or input; keyset by the last entry id of the previous page (contract §12.4).';
COMMENT ON FUNCTION jobs.progress_summary(text) IS
    'The job at a glance: status, window, counts, step, item totals, throughput over the last five minutes and an ETA (contract §12.6).';
COMMENT ON FUNCTION jobs.input_progress_routed(text, text, text, text, integer, bigint, text) IS
    'jobs.input_progress as deploy/nginx.conf calls it: free-text values as "/" followed by the value, statuses comma-separated.';
COMMENT ON FUNCTION jobs.input_progress_counts_routed(text, text) IS
    'jobs.input_progress_counts as deploy/nginx.conf calls it: free-text values as "/" followed by the value.';
COMMENT ON FUNCTION jobs.progress_log_routed(text, text, text, bigint, integer, bigint) IS
    'jobs.progress_log as deploy/nginx.conf calls it: free-text values as "/" followed by the value.';
COMMENT ON FUNCTION jobs.progress_summary_routed(text) IS
    'jobs.progress_summary as deploy/nginx.conf calls it: the job id as "/" followed by the id.';

COMMENT ON FUNCTION jobs_internal.answer_not_modified(text) IS
    'Through PostgREST: sets ETag (the job''s version tag), Cache-Control and Vary, and on an If-None-Match hit status 304 (412) and returns true.';
COMMENT ON FUNCTION jobs_internal.if_none_match_has(text, text) IS
    'Whether an If-None-Match list matches a weak tag (weak comparison, "*", bare values); malformed elements never match.';
COMMENT ON FUNCTION jobs_internal.input_json(jobs.job_inputs) IS 'An input as the list shows it (contract §12.1), keys in order.';
COMMENT ON FUNCTION jobs_internal.input_rank(text, timestamptz, text) IS
    'The completion rank of an input finished at completed_at: its 1-based place among the job''s finished inputs by (completed_at, id in byte order); one probe of file_timeline, a count while the job''s timeline is pending.';
COMMENT ON FUNCTION jobs_internal.items_at(text, timestamptz) IS
    'The item totals per kind of the trace''s last point at a time (null: the job''s end), as JSON and summed.';
COMMENT ON FUNCTION jobs_internal.job_input_counts(text, text) IS 'The job''s tracked inputs by status, optionally of one port, from input_counts.';
COMMENT ON FUNCTION jobs_internal.job_version_tag(text) IS 'The weak ETag of the list, the counts and the log: the job''s created_at and change_count.';
COMMENT ON FUNCTION jobs_internal.throughput_json(timestamptz, timestamptz, timestamptz, bigint, float8, bigint, boolean) IS
    'The summary''s throughput over its window and eta (now + remaining × window ÷ files finished in it), from the C++ core.';
COMMENT ON FUNCTION jobs_internal.json_text(text) IS 'A text as a JSON string, null as null.';
COMMENT ON FUNCTION jobs_internal.json_time(timestamptz) IS 'A time as a JSON string in the trace''s RFC 3339 form, null as null.';
COMMENT ON FUNCTION jobs_internal.jsonb_bytes(jsonb) IS 'The bytes of a jsonb value''s text form, what the 64 KiB cap measures.';
COMMENT ON FUNCTION jobs_internal.max_jsonb_bytes() IS 'The cap on data and payload, in bytes of JSON text (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_message_bytes() IS 'The cap on message and error_message, in bytes (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.page_limit(integer) IS 'A page size: 100 when null, else 1 to 1000 (22023).';
COMMENT ON FUNCTION jobs_internal.page_offset(bigint) IS 'An offset: 0 when null, never negative (22023).';
COMMENT ON FUNCTION jobs_internal.progress_json(jobs.job_progress, boolean) IS
    'A report as the log (true) or the list''s latest_progress (false) shows it, keys in order.';
COMMENT ON FUNCTION jobs_internal.require_jsonb_size(text, jsonb) IS 'Raises 22023 when a jsonb value passes the 64 KiB cap; null passes.';
COMMENT ON FUNCTION jobs_internal.require_message(text, text) IS 'Raises 22001 when a message passes the 4096-byte cap; null passes.';
COMMENT ON FUNCTION jobs_internal.require_optional_name(text, text) IS 'An optional name (port_name, file_id): null passes, else the rules of ids.';
COMMENT ON FUNCTION jobs_internal.rfc3339(timestamptz) IS 'A time as contract §2.9 writes it (UTC, Z, fraction only when not zero).';
COMMENT ON FUNCTION jobs_internal.status_filter(text[]) IS 'The statuses of a list filter: every tracked status when null or empty; 22023 for any other value.';
COMMENT ON FUNCTION jobs_internal.throughput_window() IS 'The trailing window of the summary''s throughput and ETA (contract §12.6).';
COMMENT ON FUNCTION jobs_internal.tracked_input_statuses() IS 'The statuses of tracked inputs: those the list may filter on.';
COMMENT ON FUNCTION jobs_internal.unslash(text, text) IS 'A routed value: "/" followed by the value gives the value; null stays null; 22023 otherwise.';
COMMENT ON FUNCTION jobs_internal.unslash_job_id(text) IS 'A routed job id: as unslash, and never null (22004).';
