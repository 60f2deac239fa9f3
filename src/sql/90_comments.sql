-- The SQL surface describes itself: PostgREST shows these comments in its
-- OpenAPI output, psql in \d+ and \df+. Every table, column and function of
-- schema `jobs` has one (sql/30_sql_surface.sql checks it), and so does
-- every internal helper. Section numbers are docs/contract.md's.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- ===== The tables (contract §1, §5.1) =====
COMMENT ON TABLE jobs.jobs IS
    'One row per batch job (contract §1.1); its trace runs from started_at (or created_at) to finished_at (or now).';
COMMENT ON COLUMN jobs.jobs.id IS 'The job''s id, global across tenants: 1 to 512 bytes.';
COMMENT ON COLUMN jobs.jobs.tenant_id IS 'The tenant that owns the job; row-level security shows a job only to its tenant''s roles.';
COMMENT ON COLUMN jobs.jobs.status IS 'pending, admitted, running, completed, failed, preempted or cancelled; the last three are terminal.';
COMMENT ON COLUMN jobs.jobs.created_at IS 'When the job was submitted; the trace starts here when started_at is null.';
COMMENT ON COLUMN jobs.jobs.started_at IS 'When the job started running; null until then.';
COMMENT ON COLUMN jobs.jobs.finished_at IS 'When a terminal job ended; set exactly when status is terminal.';
COMMENT ON COLUMN jobs.jobs.change_count IS 'Advanced once per transaction that writes the job, by the statement that takes its write lock (contract §7.2).';

COMMENT ON TABLE jobs.job_inputs IS
    'One row per input file of a job (contract §1.2); finished inputs are the trace''s files and step.';
COMMENT ON COLUMN jobs.job_inputs.job_id IS 'The job the input belongs to.';
COMMENT ON COLUMN jobs.job_inputs.id IS 'The input''s id within its job: 1 to 512 bytes.';
COMMENT ON COLUMN jobs.job_inputs.status IS 'pending, processing, completed, failed or reference (not work, never counted).';
COMMENT ON COLUMN jobs.job_inputs.completed_at IS 'When the input finished; set exactly when status is completed or failed.';

COMMENT ON TABLE jobs.job_progress IS
    'Progress reports appended by workers (contract §1.3): cumulative snapshots of a stream (input_id, kind).';
COMMENT ON COLUMN jobs.job_progress.id IS 'Arrival order; breaks ties between snapshots of one stream taken at the same instant.';
COMMENT ON COLUMN jobs.job_progress.job_id IS 'The job reported on.';
COMMENT ON COLUMN jobs.job_progress.input_id IS 'The input reported on; null for a job-level report.';
COMMENT ON COLUMN jobs.job_progress.kind IS 'What was counted (e.g. inference): one key of the trace''s items.';
COMMENT ON COLUMN jobs.job_progress.created_at IS 'When the snapshot was taken.';
COMMENT ON COLUMN jobs.job_progress.metrics IS 'The snapshot''s counters: success and failed, non-negative integers, 0 when absent; other keys are kept and ignored.';
COMMENT ON COLUMN jobs.job_progress.success IS 'metrics->success, validated and stored when written.';
COMMENT ON COLUMN jobs.job_progress.failed IS 'metrics->failed, validated and stored when written.';

COMMENT ON COLUMN jobs.tenant_roles.role_name IS 'A database role.';
COMMENT ON COLUMN jobs.tenant_roles.tenant_id IS 'The fixed tenant of a role that connects directly; null for a web role.';
COMMENT ON COLUMN jobs.tenant_roles.tenant_from_jwt IS 'True for a web role: its tenant is the tenant_id claim of the verified JWT.';

-- ===== The trace (contract §2, §4) =====
COMMENT ON FUNCTION jobs.progress_traces(text, integer, timestamptz, timestamptz) IS
    'The trace of a job as JSON: buckets points (null: 100; clamped to 10..1000) of files finished and items processed, over the job''s window or the zoom "from".."to" (contract §2.13). PT404 when the job is missing or not the caller''s; answers 304 to a matching If-None-Match through PostgREST.';
COMMENT ON FUNCTION jobs.progress_trace_points(text, integer, timestamptz, timestamptz) IS
    'The points of jobs.progress_traces as rows, in time order.';
COMMENT ON FUNCTION jobs.latest_event_at(text) IS
    'The newest progress report or input finish of a job, null when none: the trace''s ETag.';
COMMENT ON FUNCTION jobs.progress_chart(text, integer, timestamptz, timestamptz, integer, integer) IS
    'The trace drawn as an SVG document: files, then each kind''s items, over time (contract §2.14); width 320..4000 (null: 800) and panel_height 80..1000 (null: 160) in CSS pixels. Same window, zoom, errors, ETag and 304 as jobs.progress_traces.';
COMMENT ON FUNCTION jobs.progress_series(text, integer, timestamptz, timestamptz) IS
    'The points of jobs.progress_traces in long format (time, metric, value) for Grafana, Metabase and Superset (contract §2.15).';
COMMENT ON DOMAIN jobs."image/svg+xml" IS
    'An SVG document. Named after its media type, it makes jobs.progress_chart a PostgREST media type handler.';

-- ===== The write API (contract §6) =====
COMMENT ON FUNCTION jobs.create_job(text, timestamptz, text, timestamptz, text) IS
    'Creates a job for the caller''s tenant; true when created, false when it already existed (a retry).';
COMMENT ON FUNCTION jobs.add_inputs(text, text[], text, text[], text[], jsonb[], timestamptz[]) IS
    'Adds inputs to a visible job, with optional parallel port names, file ids, data and created_at (existing ones are left as they are); returns how many were added.';
COMMENT ON FUNCTION jobs.start_job(text, timestamptz) IS
    'Marks a job running as of started_at; false when it had started already, PT409 when it has ended.';
COMMENT ON FUNCTION jobs.start_input(text, text) IS
    'Moves a pending input to processing; false when it is processing already, PT409 when it has finished or is a reference input.';
COMMENT ON FUNCTION jobs.finish_input(text, text, text, timestamptz, text) IS
    'Finishes an input as completed or failed, with an optional error_message; false when already finished so (the first finish stays), PT409 when finished otherwise.';
COMMENT ON FUNCTION jobs.finish_job(text, text, timestamptz) IS
    'Ends a job with a terminal status; false when already ended so, PT409 when ended otherwise.';
COMMENT ON FUNCTION jobs.report_progress(text[], text[], text[], timestamptz[], jsonb[], bigint[], text[], jsonb[], bigint[]) IS
    'Appends a batch of progress reports (parallel arrays, optional steps, messages, payloads and indexes); reports equal in their whole content to a stored one are skipped; returns how many were stored.';

-- ===== Internal helpers (schema jobs_internal) =====
COMMENT ON FUNCTION jobs_internal.metric_count(jsonb, text) IS
    'metrics->key as a non-negative bigint, 0 when absent; 22023 otherwise. Used by job_progress''s generated columns.';
COMMENT ON FUNCTION jobs_internal.valid_time(timestamptz) IS
    'True when a time is null or finite within years 1..9999 (what RFC 3339 can write). Used by the CHECKs.';
COMMENT ON FUNCTION jobs_internal.valid_name(text) IS
    'True when an identifier is null or 1 to 512 bytes. Used by the CHECKs.';
COMMENT ON FUNCTION jobs_internal.require_time(text, timestamptz) IS
    'Raises 22008 naming what when a time is not valid_time.';
COMMENT ON FUNCTION jobs_internal.require_text(text, text) IS
    'Raises 22004, 22023 or 22001 naming what when an identifier is null, empty or too long.';
COMMENT ON FUNCTION jobs_internal.require_not_null(text, anyelement) IS
    'Raises 22004 "<what> must not be null".';
COMMENT ON FUNCTION jobs_internal.require_input_state(text, text, timestamptz) IS
    'An input''s status is known and has completed_at exactly when finished (22xxx otherwise).';
COMMENT ON FUNCTION jobs_internal.validate_job() IS
    'Trigger on jobs.jobs: refuses a bad row with a message and a 22xxx SQLSTATE.';
COMMENT ON FUNCTION jobs_internal.validate_job_input() IS
    'The rules of a jobs.job_inputs row: refuses a bad row with a message and a 22xxx SQLSTATE (called by validate_input_row).';
COMMENT ON FUNCTION jobs_internal.validate_job_progress() IS
    'The rules of a jobs.job_progress row: refuses a bad row with a message and a 22xxx SQLSTATE (called by validate_progress_row).';
COMMENT ON FUNCTION jobs_internal.validate_input_row() IS
    'Trigger on jobs.job_inputs, in C: passes a row keeping every rule, hands any other to validate_job_input, then applies the clock rule.';
COMMENT ON FUNCTION jobs_internal.validate_progress_row() IS
    'Trigger on jobs.job_progress, in C: passes a row keeping every rule, hands any other to validate_job_progress, then applies the clock rule.';
COMMENT ON FUNCTION jobs_internal.current_tenant() IS
    'The tenant current_user acts for (jobs.tenant_roles), or null. Used by the row-level security policies.';
COMMENT ON FUNCTION jobs_internal.job_visible(text) IS
    'True when the caller can see the job; the same work for a hidden as for a missing id. Used by latest_event_at.';
COMMENT ON FUNCTION jobs_internal.require_visible_job(text) IS
    'Raises PT404 unless the caller can see the job (22004 for a null id). Used by the write API.';
COMMENT ON FUNCTION jobs_internal.input_repeat(text, text, text) IS
    'start_input and finish_input when nothing changed: false for a repeat (the input has that status), else PT404 or PT409.';
COMMENT ON FUNCTION jobs_internal.require_parallel(text, text, integer, text[], integer[]) IS
    'Phase 1 of a write (contract §7.4): 2202E when a non-null trailing array''s length differs from the first array''s.';

-- ===== The write path (contract §7.2, §7.5, §10) =====
COMMENT ON FUNCTION jobs_internal.max_future_skew() IS
    'The setting traces.max_future_skew as an interval, null when off (-1).';
COMMENT ON FUNCTION jobs_internal.require_not_future(text, timestamptz) IS
    'Raises 22008 naming what when a time lies more than traces.max_future_skew after now().';
COMMENT ON FUNCTION jobs_internal.refuse_future_times() IS
    'Trigger: refuses (22008) a time a tenant''s writer sets more than traces.max_future_skew in the future.';
COMMENT ON FUNCTION jobs_internal.refuse_changing_finished_input() IS
    'Trigger on jobs.job_inputs: a finished input keeps its status and completed_at (PT409), for every role.';
COMMENT ON FUNCTION jobs_internal.lock_jobs(text[]) IS
    'Takes the write lock of the caller''s visible jobs (their rows, in byte order of id) and advances their change_count.';
COMMENT ON FUNCTION jobs_internal.lock_written_jobs() IS
    'Statement trigger on job_inputs and job_progress: takes the write lock of the jobs the statement wrote.';
COMMENT ON TABLE jobs_internal.job_kinds IS
    'Each job''s distinct progress kinds, kept under the job''s write lock for the kind caps.';
COMMENT ON FUNCTION jobs_internal.max_kinds_per_job() IS 'The cap on distinct progress kinds per job (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_kind_bytes_per_job() IS 'The cap on the summed bytes of a job''s distinct kind names (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_batch_elements() IS 'The cap on the elements of one report_progress or add_inputs call (contract §7.5).';
COMMENT ON FUNCTION jobs_internal.max_batch_jobs() IS 'The cap on distinct jobs in one report_progress call (contract §7.5).';
COMMENT ON TABLE jobs_internal.kind_timeline IS
    'Per progress row, its kind''s totals just after it in (created_at, id) order: what a trace reads (contract §11).';
COMMENT ON TABLE jobs_internal.file_timeline IS
    'Per finished input, the job''s finished inputs up to it in (completed_at, id) order, by status; completed + failed is its rank (contract §11).';
COMMENT ON TABLE jobs_internal.timeline_pending IS
    'Jobs whose timeline is not built yet: their traces take the scan path (contract §11).';
COMMENT ON FUNCTION jobs_internal.kind_timeline_of(text) IS
    'The definition of a job''s kind timeline, computed from its progress rows.';
COMMENT ON FUNCTION jobs_internal.file_timeline_of(text) IS
    'The definition of a job''s file timeline, computed from its finished inputs.';
