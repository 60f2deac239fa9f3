-- The extension refuses to install into a database whose encoding is not
-- UTF8 (docs/contract.md §10). The engine reads every id and kind as UTF-8
-- bytes and writes UTF-8 JSON; in a LATIN1 database `job_café` came back as
-- `job_cafï¿½` and two kinds collapsed into one duplicated key. Converting
-- at every boundary is possible but would have to be right everywhere; a
-- clear refusal up front is honest and costs nothing. SQL_ASCII is refused
-- too: it stores any bytes unchecked, so the engine could not rely on them.
-- versions/traces--1.0--1.1.sql runs the same check before it changes
-- anything.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'traces requires a UTF8 database; database "%" has encoding %',
            pg_catalog.current_database(), pg_catalog.getdatabaseencoding()
            USING ERRCODE = 'feature_not_supported',
                  HINT = 'Create the database with ENCODING ''UTF8'' (from template0) and install traces there.';
    END IF;
END $$;
