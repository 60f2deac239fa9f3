-- Only the proxy's role may call the entry points: they let it act for any
-- tenant. shard.sql runs this last, after the generated entry points.
-- (Per-schema default privileges cannot take EXECUTE away from PUBLIC, which
-- is granted globally; hence a revoke after the functions exist.)
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA jobs_shard FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA jobs_shard TO traces_proxy;
-- An entry point may carry on as traces_proxy_reader (begin_request): the
-- helpers it calls after that, which take no tenant, stay callable.
GRANT USAGE ON SCHEMA jobs_shard TO traces_proxy_reader;
GRANT EXECUTE ON FUNCTION jobs_shard.classify(jobs_shard.batch_error, text[], text[], bigint[]),
                          jobs_shard.raise_timeout()
    TO traces_proxy_reader;
-- Set-up of the id class and the id bump of a move are for the shard's
-- administrator (shard/bin/move-partition), not for the proxy.
REVOKE EXECUTE ON FUNCTION jobs_shard.set_id_class(integer, integer), jobs_shard.bump_ids_past(bigint)
    FROM traces_proxy;
