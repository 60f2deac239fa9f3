-- Sets up a proxy database: psql -v ON_ERROR_STOP=1 -d <proxy db> -f proxy.sql
-- as a superuser, then define the cluster (shard/bin/cluster-sql). Safe to
-- run again. The database must be UTF8 (the routing hash reads UTF-8 bytes).
DO $$
BEGIN
    IF pg_catalog.getdatabaseencoding() <> 'UTF8' THEN
        RAISE EXCEPTION 'the proxy database must be UTF8, it is %', pg_catalog.getdatabaseencoding();
    END IF;
END $$;
CREATE EXTENSION IF NOT EXISTS plproxy;
\ir routing.sql
\ir proxy_tenancy.sql
\ir proxy_errors.sql
\ir proxy_calls.sql
\ir proxy_api.sql
\ir proxy_roles.sql
