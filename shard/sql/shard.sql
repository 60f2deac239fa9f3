-- Sets up a shard database: psql -v ON_ERROR_STOP=1 -d <shard db> -f shard.sql
-- as a superuser, on every shard. Safe to run again. The database must be
-- UTF8 (the routing hash reads UTF-8 bytes).
DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'a shard database must be UTF8, it is %', pg_catalog.getdatabaseencoding();
    END IF;
END $$;
CREATE EXTENSION IF NOT EXISTS traces;
\ir routing.sql
\ir shard_roles.sql
\ir shard_api.sql
