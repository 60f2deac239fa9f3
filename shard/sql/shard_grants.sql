-- Only the proxy's role may call the entry points: they let it act for any
-- tenant. shard.sql runs this last, after the generated entry points.
-- (Per-schema default privileges cannot take EXECUTE away from PUBLIC, which
-- is granted globally; hence a revoke after the functions exist.)
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA jobs_shard FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA jobs_shard TO traces_proxy;
