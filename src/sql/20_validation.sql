-- Refusing bad rows with a message that names the problem and a 22xxx
-- SQLSTATE (PostgREST: 400). The CHECK constraints in 10_tables.sql hold the
-- same rules in case a trigger is ever disabled.
--
-- Every function here pins search_path: a trigger runs with the search path
-- of whoever writes, and `v = ''` would otherwise run that role's own `=`
-- operator (sql/31_search_path.sql).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

CREATE FUNCTION jobs_internal.require_time(what text, t timestamptz) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT jobs_internal.valid_time(t) THEN
        -- Shown in UTC whatever the session's time zone, like the bounds.
        RAISE EXCEPTION '% must be a finite time between years 1 and 9999 (UTC), got %', what,
            CASE WHEN isfinite(t) THEN (t AT TIME ZONE 'UTC')::text || ' UTC' ELSE t::text END
            USING ERRCODE = 'datetime_field_overflow';
    END IF;
END $$;

CREATE FUNCTION jobs_internal.require_text(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION '% must not be null', what USING ERRCODE = 'null_value_not_allowed';
    ELSIF v = '' THEN
        RAISE EXCEPTION '% must not be empty', what USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.valid_name(v) THEN
        RAISE EXCEPTION '% must be at most 512 bytes long, got %', what, octet_length(v)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
END $$;

-- 22004 naming what is null (a value with no other rule than presence).
CREATE FUNCTION jobs_internal.require_not_null(what text, v anyelement) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF v IS NULL THEN
        RAISE EXCEPTION '% must not be null', what USING ERRCODE = 'null_value_not_allowed';
    END IF;
END $$;

-- An input's status and completed_at, and how they go together: the
-- trigger below and the write API's value checks (47_batch_values.sql).
CREATE FUNCTION jobs_internal.require_input_state(id text, status text, completed_at timestamptz)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input status', status);
    IF status <> ALL (jobs_internal.input_statuses()) THEN
        RAISE EXCEPTION 'input status "%" is not one of %', status,
            array_to_string(jobs_internal.input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM jobs_internal.require_time('input completed_at', completed_at);
    IF jobs_internal.is_finished_input_status(status) AND completed_at IS NULL THEN
        RAISE EXCEPTION 'input "%" has status "%" but no completed_at', id, status
            USING ERRCODE = 'invalid_parameter_value';
    ELSIF NOT jobs_internal.is_finished_input_status(status) AND completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'input "%" has completed_at but status "%" is not finished (%)', id, status,
            array_to_string(jobs_internal.finished_input_statuses(), ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- The row triggers that apply these rules (with the alphabet of
-- 22_id_alphabet.sql and the caps of 23_sibling_fields.sql) are in
-- 24_row_validation.sql: one per table.
