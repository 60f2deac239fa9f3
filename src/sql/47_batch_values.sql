-- Phase 2 of the write path (docs/contract.md §7.2, §7.4): every value a
-- write function would store is checked before anything is read, so that a
-- call's error does not depend on which of its jobs exist or are visible,
-- nor on how a proxy splits a batch across shards. One function per write
-- function (jobs_internal.check_<what>_values), called by it after the shape
-- checks and before the visibility check (50_writes.sql); a new trailing
-- parameter adds its checks to its function here.
--
-- The rules themselves are the validation triggers' (20_validation.sql,
-- 22_clock_and_finish_rules.sql, 22_id_alphabet.sql, metric_count): these
-- functions only apply them to the arguments, in array order and, within an
-- element, in the function's parameter order. The triggers stay: they guard
-- direct INSERTs and UPDATEs, and they see the same values again here.
--
-- A batch's error is that of its lowest bad element, with the message a
-- single row gets and DETAIL `element <n> of the batch` (1-based). Ids that
-- name stored rows (a job, the input a report is on) are looked up in phase
-- 3, not validated: a malformed one is simply not found (PT404).

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Re-raises a value error of the batch's element `element` with the DETAIL
-- that names it (a rule's HINT, e.g. the clock's, is kept).
CREATE FUNCTION jobs_internal.raise_element_error(element integer, state text, message text, hint text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF nullif(hint, '') IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message,
            DETAIL = format('element %s of the batch', element);
    END IF;
    RAISE EXCEPTION USING ERRCODE = state, MESSAGE = message,
        DETAIL = format('element %s of the batch', element), HINT = hint;
END $$;

-- A time a write stores in a column of `tbl`: finite and within years
-- 1-9999, and, for a role under row-level security on `tbl`, not further
-- ahead than traces.max_future_skew (as the trigger refuse_future_times).
CREATE FUNCTION jobs_internal.require_write_time(what text, tbl regclass, t timestamptz) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_time(what, t);
    IF t > now() AND row_security_active(tbl) THEN
        PERFORM jobs_internal.require_not_future(what, t);
    END IF;
END $$;

-- Runs a batch's element checks: `elements` is an open cursor whose rows
-- check the batch's elements in array order, one per FETCH. The first that
-- raises a value error (22xxx) is re-raised with DETAIL naming it. One
-- subtransaction per call, none per element.
CREATE FUNCTION jobs_internal.check_elements(elements refcursor) RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_checked integer := 0;
    v_state text; v_message text; v_hint text;
BEGIN
    LOOP
        MOVE elements;
        EXIT WHEN NOT FOUND;
        v_checked := v_checked + 1;
    END LOOP;
    CLOSE elements;
EXCEPTION WHEN data_exception THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT, v_hint = PG_EXCEPTION_HINT;
    PERFORM jobs_internal.raise_element_error(v_checked + 1, v_state, v_message, v_hint);
END $$;

-- The filters (issue 11's write budget): a batch whose every element passes
-- its filter is valid, so check_input_values and check_progress_values
-- (below) run their element checks (a plpgsql call per rule and element, in
-- a subtransaction: about 20 µs an element) only when some element does not
-- pass. Each filter is one SQL expression, inlined into the statement that
-- reads the batch, and conservative: it passes only values every rule of
-- its element passes (a count in plain digits, say, where metric_count also
-- reads fractions and exponents); anything else goes to the checks, which
-- decide, so the error a call gets is theirs whatever the filter says.
CREATE FUNCTION jobs_internal.id_passes(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NOT NULL AND jobs_internal.valid_name(v) AND v !~ jobs_internal.control_characters();

CREATE FUNCTION jobs_internal.message_passes(v text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR octet_length(v) <= jobs_internal.max_message_bytes();

CREATE FUNCTION jobs_internal.jsonb_size_passes(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR jobs_internal.jsonb_bytes(v) <= jobs_internal.max_jsonb_bytes();

-- A counter of metrics metric_count reads without a doubt: absent, or a
-- JSON number printed as at most 18 digits (below 2^63).
CREATE FUNCTION jobs_internal.count_passes(v jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN v IS NULL OR (jsonb_typeof(v) = 'number' AND v::text ~ '^[0-9]{1,18}$');

-- require_write_time's rule: t > now() + traces.max_future_skew is refused
-- only for a role under row-level security on tbl.
CREATE FUNCTION jobs_internal.write_time_passes(tbl regclass, t timestamptz) RETURNS boolean
LANGUAGE sql STABLE
RETURN jobs_internal.valid_time(t)
       AND ((t > now()) IS NOT TRUE OR NOT row_security_active(tbl)
            OR (t > now() + jobs_internal.max_future_skew()) IS NOT TRUE);

CREATE FUNCTION jobs_internal.input_element_passes(input_id text, status text, port_name text, file_id text,
                                                   data jsonb, created_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN jobs_internal.id_passes(input_id)
       AND status = ANY (jobs_internal.input_statuses()) AND NOT jobs_internal.is_finished_input_status(status)
       AND (port_name IS NULL OR jobs_internal.id_passes(port_name))
       AND (file_id IS NULL OR jobs_internal.id_passes(file_id))
       AND jobs_internal.jsonb_size_passes(data) AND jobs_internal.valid_time(created_at);

CREATE FUNCTION jobs_internal.progress_element_passes(kind text, created_at timestamptz, metrics jsonb,
                                                      message text, payload jsonb) RETURNS boolean
LANGUAGE sql STABLE
RETURN jobs_internal.id_passes(kind) AND jobs_internal.write_time_passes('jobs.job_progress', created_at)
       AND jsonb_typeof(metrics) = 'object'
       AND jobs_internal.count_passes(metrics -> 'success') AND jobs_internal.count_passes(metrics -> 'failed')
       AND jobs_internal.message_passes(message) AND jobs_internal.jsonb_size_passes(payload);

-- add_inputs: each input id (a name of the id alphabet) with the batch's
-- status, as the row it would insert (no completed_at), then its port name,
-- file id, data and created_at (a null created_at becomes now(); like the
-- trigger, no future-skew rule: it records when the input was added).
CREATE FUNCTION jobs_internal.check_input_element(input_id text, status text, port_name text, file_id text,
                                                  data jsonb, created_at timestamptz) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('input id', input_id);
    PERFORM jobs_internal.require_id_alphabet('input id', input_id);
    PERFORM jobs_internal.require_input_state(input_id, status, NULL);
    PERFORM jobs_internal.require_optional_name('input port_name', port_name);
    PERFORM jobs_internal.require_optional_name('input file_id', file_id);
    PERFORM jobs_internal.require_jsonb_size('input data', data);
    PERFORM jobs_internal.require_time('input created_at', created_at);
END $$;

-- The trailing arrays may be null ("null for every element"): unnest pads
-- them with nulls.
CREATE FUNCTION jobs_internal.check_input_values(input_ids text[], status text, port_names text[],
                                                 file_ids text[], data jsonb[], created_ats timestamptz[])
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_elements refcursor;
BEGIN
    IF NOT EXISTS (SELECT FROM unnest(input_ids, port_names, file_ids, data, created_ats)
                                    AS u(input_id, port_name, file_id, data, created_at)
                   WHERE jobs_internal.input_element_passes(u.input_id, status, u.port_name, u.file_id,
                                                            u.data, u.created_at) IS NOT TRUE) THEN
        RETURN;
    END IF;
    OPEN v_elements FOR SELECT jobs_internal.check_input_element(u.input_id, status, u.port_name, u.file_id,
                                                                 u.data, u.created_at)
                        FROM unnest(input_ids, port_names, file_ids, data, created_ats)
                             AS u(input_id, port_name, file_id, data, created_at);
    PERFORM jobs_internal.check_elements(v_elements);
END $$;

-- report_progress: each report's kind, created_at, metrics, message and
-- payload (job and input ids are looked up in phase 3; null job ids and
-- created_ats are refused in phase 1; step and index are any bigint).
CREATE FUNCTION jobs_internal.check_progress_element(kind text, created_at timestamptz, metrics jsonb,
                                                     message text, payload jsonb)
RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM jobs_internal.require_text('progress kind', kind);
    PERFORM jobs_internal.require_id_alphabet('progress kind', kind);
    PERFORM jobs_internal.require_write_time('progress created_at', 'jobs.job_progress', created_at);
    PERFORM jobs_internal.require_not_null('progress metrics', metrics);
    PERFORM jobs_internal.metric_count(metrics, 'success'), jobs_internal.metric_count(metrics, 'failed');
    PERFORM jobs_internal.require_message('progress message', message);
    PERFORM jobs_internal.require_jsonb_size('progress payload', payload);
END $$;

CREATE FUNCTION jobs_internal.check_progress_values(kinds text[], created_ats timestamptz[], metrics jsonb[],
                                                    messages text[], payloads jsonb[])
RETURNS void
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_elements refcursor;
BEGIN
    IF NOT EXISTS (SELECT FROM unnest(kinds, created_ats, metrics, messages, payloads)
                                    AS u(kind, created_at, metrics, message, payload)
                   WHERE jobs_internal.progress_element_passes(u.kind, u.created_at, u.metrics,
                                                               u.message, u.payload) IS NOT TRUE) THEN
        RETURN;
    END IF;
    OPEN v_elements FOR SELECT jobs_internal.check_progress_element(u.kind, u.created_at, u.metrics,
                                                                    u.message, u.payload)
                        FROM unnest(kinds, created_ats, metrics, messages, payloads)
                             AS u(kind, created_at, metrics, message, payload);
    PERFORM jobs_internal.check_elements(v_elements);
END $$;

-- The one-row writes: their times and messages (no DETAIL, there is no batch). A null
-- time where the status needs one stays the trigger's (it names the stored
-- row's status).
CREATE FUNCTION jobs_internal.check_start_values(started_at timestamptz) RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('job started_at', 'jobs.jobs', started_at);
END;

CREATE FUNCTION jobs_internal.check_finish_input_values(completed_at timestamptz, error_message text)
RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('input completed_at', 'jobs.job_inputs', completed_at),
           jobs_internal.require_message('input error_message', error_message);
END;

CREATE FUNCTION jobs_internal.check_finish_job_values(finished_at timestamptz) RETURNS void
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT jobs_internal.require_write_time('job finished_at', 'jobs.jobs', finished_at);
END;

COMMENT ON FUNCTION jobs_internal.raise_element_error(integer, text, text, text) IS
    'Re-raises a batch element''s value error with DETAIL "element <n> of the batch" (contract §7.4).';
COMMENT ON FUNCTION jobs_internal.require_write_time(text, regclass, timestamptz) IS
    'A written time: finite, years 1-9999, and not beyond traces.max_future_skew for roles under row-level security on the table.';
COMMENT ON FUNCTION jobs_internal.check_elements(refcursor) IS
    'Fetches a cursor of element checks in array order; re-raises the first value error with DETAIL "element <n> of the batch".';
COMMENT ON FUNCTION jobs_internal.check_input_element(text, text, text, text, jsonb, timestamptz) IS
    'One input of add_inputs: its id, the batch''s status, port_name, file_id, data and created_at, as the triggers check the row.';
COMMENT ON FUNCTION jobs_internal.check_progress_element(text, timestamptz, jsonb, text, jsonb) IS
    'One report of report_progress: its kind, created_at, metrics, message and payload, as the triggers check the row.';
COMMENT ON FUNCTION jobs_internal.check_input_values(text[], text, text[], text[], jsonb[], timestamptz[]) IS
    'Phase 2 of add_inputs (contract §7.4): the lowest bad input id, status, port_name, file_id, data or created_at, with DETAIL naming the element.';
COMMENT ON FUNCTION jobs_internal.check_progress_values(text[], timestamptz[], jsonb[], text[], jsonb[]) IS
    'Phase 2 of report_progress (contract §7.4): the lowest bad kind, created_at, metrics, message or payload, with DETAIL naming the element.';
COMMENT ON FUNCTION jobs_internal.id_passes(text) IS
    'Filter of phase 2: an id or kind every rule passes (not null, 1 to 512 bytes, no control character).';
COMMENT ON FUNCTION jobs_internal.message_passes(text) IS
    'Filter of phase 2: a message require_message passes (null, or at most 4096 bytes).';
COMMENT ON FUNCTION jobs_internal.jsonb_size_passes(jsonb) IS
    'Filter of phase 2: a data or payload require_jsonb_size passes (null, or at most 64 KiB as text).';
COMMENT ON FUNCTION jobs_internal.count_passes(jsonb) IS
    'Filter of phase 2: a metrics counter metric_count reads (absent, or a number printed as at most 18 digits).';
COMMENT ON FUNCTION jobs_internal.write_time_passes(regclass, timestamptz) IS
    'Filter of phase 2: a time require_write_time passes (valid, and not beyond traces.max_future_skew for roles under row-level security on the table).';
COMMENT ON FUNCTION jobs_internal.input_element_passes(text, text, text, text, jsonb, timestamptz) IS
    'Filter of phase 2: an add_inputs element check_input_element passes; false sends the batch to the element checks.';
COMMENT ON FUNCTION jobs_internal.progress_element_passes(text, timestamptz, jsonb, text, jsonb) IS
    'Filter of phase 2: a report_progress element check_progress_element passes; false sends the batch to the element checks.';
COMMENT ON FUNCTION jobs_internal.check_start_values(timestamptz) IS
    'Phase 2 of start_job: started_at is a valid, not-future time.';
COMMENT ON FUNCTION jobs_internal.check_finish_input_values(timestamptz, text) IS
    'Phase 2 of finish_input: completed_at is a valid, not-future time; error_message is at most 4096 bytes.';
COMMENT ON FUNCTION jobs_internal.check_finish_job_values(timestamptz) IS
    'Phase 2 of finish_job: finished_at is a valid, not-future time.';
