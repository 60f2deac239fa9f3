-- Contract §7.5's alphabet for ids and names: any character except the
-- control characters U+0000-U+001F and U+007F-U+009F. Those are what a
-- header, a log line or an HTTP status line is split with, and no routing
-- carries them (deploy/nginx.conf refuses their escapes); every other
-- character must be carried, so nothing else is refused here.
--
-- Refused on INSERT, and on UPDATE only when the id itself changes. Not a
-- CHECK constraint, even NOT VALID: PostgreSQL checks such a constraint on
-- every later UPDATE of a row, so a job stored before this rule could no
-- longer be started or finished. Such rows stay readable by SQL; the query
-- that finds them is in docs/http.md ("Which ids the URL carries").

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- The characters refused, as a regular expression: the rule below and the
-- write API's filter (jobs_internal.id_passes, 47_batch_values.sql) read it.
CREATE FUNCTION jobs_internal.control_characters() RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN '[\u0001-\u001f\u007f-\u009f]';

-- 22023 naming the first control character and where it is; null passes.
CREATE FUNCTION jobs_internal.require_id_alphabet(what text, v text) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    bad text := substring(v FROM jobs_internal.control_characters());
BEGIN
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION '% must not contain control characters, got U+% at character %', what,
            upper(lpad(to_hex(ascii(bad)), 4, '0')), strpos(v, bad)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

COMMENT ON FUNCTION jobs_internal.control_characters() IS
    'The control characters ids and names must not contain (contract §7.5), as a regular expression.';
COMMENT ON FUNCTION jobs_internal.require_id_alphabet(text, text) IS
    'Raises 22023 naming the first control character (U+0001-U+001F, U+007F-U+009F) of an id or name (contract §7.5); null passes.';
