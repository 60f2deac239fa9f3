-- What the sibling endpoints show and the trace never reads (contract §1.2,
-- §1.3, §7.1, §7.5): an input's port_name, file_id, data, error_message and
-- created_at; a report's worker-supplied step, message, payload and index.
--
-- Added by ALTER TABLE, here and in the update from 1.0 alike, so that a
-- fresh install and an updated one have the same columns in the same order.
-- The trace reads none of them: it does not change by a byte.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The caps of contract §7.5 on the new values: a message is read by a
-- person in a list, a jsonb value travels in every page that shows it.
CREATE FUNCTION jobs_internal.max_message_bytes() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 4096;
CREATE FUNCTION jobs_internal.max_jsonb_bytes() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 65536;

-- A jsonb value's size is the bytes of its text form (what an answer
-- carries), not its binary size, which depends on the storage.
CREATE FUNCTION jobs_internal.jsonb_bytes(v jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE RETURN octet_length(v::text);

-- created_at: null for inputs stored before 1.1 (their time is not known),
-- now() for every input added since.
ALTER TABLE jobs.job_inputs
    ADD COLUMN port_name text,
    ADD COLUMN file_id text,
    ADD COLUMN data jsonb,
    ADD COLUMN error_message text,
    ADD COLUMN created_at timestamptz,
    ADD CONSTRAINT job_inputs_sibling_fields_valid CHECK (
        port_name <> '' AND octet_length(port_name) <= 512 AND file_id <> '' AND octet_length(file_id) <= 512
        AND coalesce(octet_length(error_message) <= 4096, true)
        AND coalesce(octet_length(data::text) <= 65536, true)
        AND created_at >= '0001-01-01 00:00:00+00' AND created_at < '10000-01-01 00:00:00+00');
ALTER TABLE jobs.job_inputs ALTER COLUMN created_at SET DEFAULT now();

ALTER TABLE jobs.job_progress
    ADD COLUMN step bigint,
    ADD COLUMN message text,
    ADD COLUMN payload jsonb,
    ADD COLUMN "index" bigint,
    ADD CONSTRAINT job_progress_sibling_fields_valid CHECK (
        coalesce(octet_length(message) <= 4096, true)
        AND coalesce(octet_length(payload::text) <= 65536, true));

-- 22001 when a message passes its cap; null passes.
CREATE FUNCTION jobs_internal.require_message(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF octet_length(v) > jobs_internal.max_message_bytes() THEN
        RAISE EXCEPTION '% must be at most % bytes long, got %', what,
            jobs_internal.max_message_bytes(), octet_length(v)
            USING ERRCODE = 'string_data_right_truncation';
    END IF;
END $$;

-- 22023 when a jsonb value's text passes its cap; null passes.
CREATE FUNCTION jobs_internal.require_jsonb_size(what text, v jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF jobs_internal.jsonb_bytes(v) > jobs_internal.max_jsonb_bytes() THEN
        RAISE EXCEPTION '% must be at most % bytes as JSON text, got %', what,
            jobs_internal.max_jsonb_bytes(), jobs_internal.jsonb_bytes(v)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- A name that is optional (port_name, file_id): null passes, anything else
-- follows the rules of ids (contract §7.5: length, then alphabet).
CREATE FUNCTION jobs_internal.require_optional_name(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF v IS NOT NULL THEN
        PERFORM jobs_internal.require_text(what, v);
        PERFORM jobs_internal.require_id_alphabet(what, v);
    END IF;
END $$;
