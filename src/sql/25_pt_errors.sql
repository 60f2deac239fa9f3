-- PTnnn errors (contract §3) that never put a client's bytes in an HTTP
-- status line; see src/glue/pt_errors.c for why and how.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

-- Raises SQLSTATE code (PT400 to PT599) with message. When serving HTTP
-- (request.headers set, as PostgREST sets it) it raises SQLSTATE PGRST
-- instead, message {"code": code, "message": message} and detail
-- {"status": nnn, "headers": {}}: PostgREST answers nnn with its standard
-- reason phrase and the JSON as the body.
CREATE FUNCTION jobs_internal.raise_error(code text, message text) RETURNS void
AS 'MODULE_PATHNAME', 'traces_raise_error'
LANGUAGE C VOLATILE;

-- An id as error messages show it: cut to 512 bytes (whole characters) and
-- followed by "…" when cut.
CREATE FUNCTION jobs_internal.echoed_id(id text) RETURNS text
AS 'MODULE_PATHNAME', 'traces_echoed_id_sql'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION jobs_internal.raise_error(text, text) IS
    'Raises a PTnnn error (PT400-PT599): SQLSTATE PTnnn for SQL callers; through PostgREST (request.headers set) SQLSTATE PGRST with message {"code","message"} and detail {"status","headers"}, so no client byte reaches the HTTP status line.';
COMMENT ON FUNCTION jobs_internal.echoed_id(text) IS
    'An id as error messages show it: at most 512 bytes (whole characters), then an ellipsis when cut.';
