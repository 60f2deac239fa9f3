-- Set-up steps both kinds of database take (shard.sql and proxy.sql load
-- this first), as procedures in pg_temp: they exist only for the set-up
-- session and leave nothing behind in the database.

-- Creates the role if missing, then (re)applies its options: never a
-- superuser or anything else a client of traces does not need.
CREATE OR REPLACE PROCEDURE pg_temp.ensure_role(role_name name, options text)
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
        EXECUTE format('CREATE ROLE %I %s', role_name, options);
    END IF;
    EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS %s', role_name, options);
END $$;

-- Says which tenant a role acts for, in a tenant_roles table (the single
-- node's jobs.tenant_roles on a shard, jobs_proxy.tenant_roles on the
-- proxy: same columns, same meaning): a fixed tenant, or (tenant null) the
-- tenant_id claim of the verified JWT.
CREATE OR REPLACE PROCEDURE pg_temp.map_tenant_role(tenant_roles regclass, role_name name, tenant text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO %s (role_name, tenant_id, tenant_from_jwt) VALUES ($1, $2, $2 IS NULL)
                    ON CONFLICT (role_name) DO UPDATE
                    SET tenant_id = EXCLUDED.tenant_id, tenant_from_jwt = EXCLUDED.tenant_from_jwt',
                   tenant_roles)
    USING role_name, tenant;
END $$;
