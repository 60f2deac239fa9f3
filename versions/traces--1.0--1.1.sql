-- traces 1.0 -> 1.1 (unreleased: collects every schema change until 1.1 is
-- tagged; see docs/versions.md). Run by ALTER EXTENSION traces UPDATE.

\echo Use "ALTER EXTENSION traces UPDATE TO '1.1'" to load this file. \quit
