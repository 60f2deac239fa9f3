-- Trigger functions are for the extension's own tables. CREATE TRIGGER needs
-- EXECUTE on the function, and jobs_internal is usable by every role (the
-- trace's helpers live there), so without this any role could attach them
-- to a table of its own: the SECURITY DEFINER ones (the maintenance, the
-- timeline's cleanup) would then run as the extension's owner on rows that
-- role made up (forget_timelines would delete another tenant's timeline),
-- and the C ones would read its columns as the types of ours. Triggers that
-- exist keep firing: PostgreSQL checks EXECUTE when a trigger is created,
-- not when it fires, and the C triggers call the PL/pgSQL ones through the
-- function manager, which checks no privilege. The C trigger functions also
-- refuse a table that is not theirs (traces_require_trigger_table).
-- sql/94_hostile_writes.sql tries it as a login with no tenant.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

REVOKE EXECUTE ON FUNCTION
    jobs_internal.refuse_future_times(),
    jobs_internal.refuse_changing_finished_input(),
    jobs_internal.validate_job(),
    jobs_internal.validate_job_input(),
    jobs_internal.validate_job_progress(),
    jobs_internal.validate_input_row(),
    jobs_internal.validate_progress_row(),
    jobs_internal.lock_written_jobs(),
    jobs_internal.maintain_progress(),
    jobs_internal.maintain_inputs(),
    jobs_internal.maintain_progress_sets(),
    jobs_internal.maintain_inputs_sets(),
    jobs_internal.forget_timelines()
FROM PUBLIC;
