-- The extension's internal schema: helpers that the tables' constraints,
-- generated columns, policies, triggers and write functions use, kept out of
-- `jobs` so that the public namespace (what PostgREST exposes and \df jobs.*
-- lists) holds only the API. docs/contract.md §8 lists who may run what.

\echo Use "CREATE EXTENSION traces" to load this file. \quit

CREATE SCHEMA jobs_internal;
COMMENT ON SCHEMA jobs_internal IS
    'Internal helpers of the traces extension (validation, tenancy, status rules); not an API: names and signatures may change between versions.';

-- USAGE to PUBLIC, on purpose: every role that writes or reads runs these
-- helpers. PostgreSQL checks EXECUTE for the current user on a function in
-- a CHECK constraint, a generated column or a policy, and the triggers and
-- write functions (SECURITY INVOKER, so grants and row-level security apply
-- as to the caller) look the helpers up by name, which needs USAGE on the
-- schema. The helpers are read-only or raise errors; none reveals a row the
-- caller could not select, so running them directly grants nothing.
GRANT USAGE ON SCHEMA jobs_internal TO PUBLIC;
