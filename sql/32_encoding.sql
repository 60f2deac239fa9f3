-- 32_encoding: traces installs only into a UTF8 database (docs/contract.md
-- §10): CREATE EXTENSION, and the update from 1.0, refuse any other
-- encoding with 0A000 before they change anything. The LATIN1 database is
-- dropped at the end, so the cluster keeps only what it had.
\set regress_db :DBNAME
CREATE DATABASE regress_traces_latin1 TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C';
\c regress_traces_latin1
\set VERBOSITY default
CREATE EXTENSION traces;
SELECT count(*) AS traces_schemas FROM pg_namespace WHERE nspname IN ('jobs', 'jobs_internal');
-- 1.0 (frozen, released before the check) still installs; its update does not.
CREATE EXTENSION traces VERSION '1.0';
ALTER EXTENSION traces UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'traces';
\c :regress_db
DROP DATABASE regress_traces_latin1 WITH (FORCE);
