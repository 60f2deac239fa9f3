-- Who owns what on the proxy: proxy.sql runs this after the generated
-- functions (shard/generate: jobs.* and jobs_proxy.*).
--
-- Every function of jobs (the API) and jobs_proxy (tenancy, PL/Proxy calls,
-- error mapping) is owned by traces_router, the only role with a user
-- mapping to the shards. The API functions are SECURITY DEFINER and
-- executable by PUBLIC: they determine the caller's tenant themselves and
-- pass it to the shard, which applies it through row-level security. A
-- caller cannot pass a tenant of its choosing: no API argument takes one,
-- and the jobs_proxy functions that do are executable by their owner only.

-- Schema jobs holds the API and nothing else, as on a single node
-- (docs/contract.md §8): the caller's tenant is jobs_proxy.caller_tenant(),
-- the proxy's counterpart of jobs_internal.current_tenant(). (Dropped here
-- for proxies set up when it was jobs.current_tenant().)
DROP FUNCTION IF EXISTS jobs.current_tenant();

DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p
             WHERE p.pronamespace IN ('jobs'::regnamespace, 'jobs_proxy'::regnamespace)
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO traces_router', f);
    END LOOP;
    FOR f IN SELECT p.oid FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'jobs_proxy'::regnamespace LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;
