-- Who the caller of the proxy is and which tenant it acts for: the same
-- rules as a single node's 40_security.sql (jobs.tenant_roles and
-- jobs_internal.current_tenant()), held in the proxy database, which has no traces
-- tables of its own. proxy.sql runs this after routing.sql and
-- setup_helpers.sql.
--
-- The proxy's API functions are SECURITY DEFINER (they alone may reach the
-- shards, see proxy_api.sql), so inside them current_user is their owner.
-- The caller is therefore the role the session acts as outside them: the
-- role set with SET ROLE / set_config('role', ...) -- which is how PostgREST
-- switches from its authenticator to the web or anonymous role -- or else
-- the session's login role. Both need a password or membership to obtain;
-- neither can be set by hand to a role one may not become.

CREATE EXTENSION IF NOT EXISTS plproxy;
CREATE SCHEMA IF NOT EXISTS jobs;
-- The chart's media type (the extension's own domain, docs/http.md): the
-- proxy's jobs.progress_chart returns it too, for PostgREST on the proxy.
DO $$ BEGIN
    CREATE DOMAIN jobs."image/svg+xml" AS text;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$;
CREATE SCHEMA IF NOT EXISTS jobs_proxy;
COMMENT ON SCHEMA jobs_proxy IS 'Internals of the traces proxy: tenancy, PL/Proxy calls, error mapping';
REVOKE ALL ON SCHEMA jobs_proxy FROM PUBLIC;

-- Owns the API functions and the PL/Proxy calls; the only role with a
-- user mapping to the shards. Nobody logs in as it.
CALL pg_temp.ensure_role('traces_router', 'NOLOGIN');
GRANT USAGE ON SCHEMA jobs_proxy TO traces_router;

-- Same shape and meaning as jobs.tenant_roles on a single node.
CREATE TABLE IF NOT EXISTS jobs_proxy.tenant_roles (
    role_name       name PRIMARY KEY,
    tenant_id       text,
    tenant_from_jwt boolean NOT NULL DEFAULT false,
    CONSTRAINT tenant_roles_one_source CHECK (tenant_from_jwt = (tenant_id IS NULL)),
    CONSTRAINT tenant_roles_tenant_not_empty CHECK (tenant_id <> '')
);
COMMENT ON TABLE jobs_proxy.tenant_roles IS
    'Tenant of each role calling the proxy: fixed (tenant_id) or the verified JWT''s tenant_id claim (tenant_from_jwt).';
GRANT SELECT ON jobs_proxy.tenant_roles TO traces_router;

-- The role the request runs as, seen from inside a SECURITY DEFINER
-- function ('none' means no SET ROLE is in effect).
CREATE OR REPLACE FUNCTION jobs_proxy.caller_role() RETURNS name
LANGUAGE sql STABLE
RETURN CASE WHEN current_setting('role') = 'none' THEN session_user
            ELSE current_setting('role')::name END;

-- The caller's tenant, or null: then it sees no job at all.
CREATE OR REPLACE FUNCTION jobs_proxy.caller_tenant() RETURNS text
LANGUAGE sql STABLE
RETURN (
    SELECT CASE WHEN r.tenant_from_jwt
                THEN jsonb_path_query_first(nullif(current_setting('request.jwt.claims', true), '')::jsonb, 'strict $.tenant_id ? (@.type() == "string")', '{}', true) #>> '{}'
                ELSE r.tenant_id END
    FROM jobs_proxy.tenant_roles r
    WHERE r.role_name = jobs_proxy.caller_role());

-- A PTnnn error as a single node raises it (src/glue/pt_errors.c): for a
-- plain SQL caller SQLSTATE PTnnn; through PostgREST (request.headers set)
-- SQLSTATE PGRST with the JSON body in the message and the status in the
-- detail, so no client byte reaches the HTTP status line. The text of the
-- JSON is the node's byte for byte (to_json escapes as its escape_json).
CREATE OR REPLACE FUNCTION jobs_proxy.raise_pt(code text, message text, details text, hint text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('request.headers', true), '') <> '' THEN
        RAISE EXCEPTION USING ERRCODE = 'PGRST',
            MESSAGE = format('{"code": %s, "message": %s%s%s}', to_json(code), to_json(message),
                             ', "details": ' || to_json(details), ', "hint": ' || to_json(hint)),
            DETAIL = format('{"status": %s, "headers": {}}', substr(code, 3));
    END IF;
    PERFORM jobs_proxy.raise_as(code, message, details, hint);
END $$;

-- An id as error messages show it: at most 512 bytes (whole characters),
-- then "…" (jobs_internal.echoed_id on a node).
CREATE OR REPLACE FUNCTION jobs_proxy.echoed_id(id text) RETURNS text
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN octet_length(id) <= 512 THEN id
            ELSE (SELECT left(id, n) FROM generate_series(512, 1, -1) AS n
                  WHERE octet_length(left(id, n)) <= 512 LIMIT 1) || '…' END;

-- Whether the caller bypasses row-level security on the proxy (a superuser
-- or BYPASSRLS role): then, as on a single node, create_job may name any
-- tenant.
CREATE OR REPLACE FUNCTION jobs_proxy.caller_bypasses_rls() RETURNS boolean
LANGUAGE sql STABLE
RETURN coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
                 WHERE r.rolname = jobs_proxy.caller_role()), false);

-- The tenant of a call for one job, checked here: without a tenant the
-- answer is the single node's -- the job is invisible (PT404), or, to
-- create one, 42501 naming the caller's role, which only the proxy knows (on
-- the shard the caller is always traces_proxy) -- and one round trip less.
-- `given` is create_job's tenant_id: a caller that bypasses row-level
-- security acts for it; anyone else's is passed on and checked by the
-- shard's policy exactly as on a single node (a foreign tenant is 42501).
DROP FUNCTION IF EXISTS jobs_proxy.require_tenant(text, boolean);  -- before `given`
CREATE OR REPLACE FUNCTION jobs_proxy.require_tenant(job_id text, creating boolean DEFAULT false,
                                                     given text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_tenant text := jobs_proxy.caller_tenant();
BEGIN
    IF job_id IS NULL THEN
        RAISE EXCEPTION 'job_id must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF given IS NOT NULL AND jobs_proxy.caller_bypasses_rls() THEN
        RETURN given;
    END IF;
    IF v_tenant IS NULL AND creating AND given IS NULL THEN
        RAISE EXCEPTION 'role "%" acts for no tenant: cannot create job "%"', jobs_proxy.caller_role(), job_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF v_tenant IS NULL AND NOT creating THEN
        PERFORM jobs_proxy.raise_pt('PT404', format('job "%s" not found', jobs_proxy.echoed_id(job_id)), NULL, NULL);
    END IF;
    RETURN v_tenant;
END $$;

-- Whether PL/Proxy can split a batch by its key array: a tenant, every
-- array given and of the key's length, at least one element, no null key
-- (its routing hash would be null), and no null where the function refuses
-- one before anything else (nulls_ok; signature option notnull). Anything
-- else goes whole to one shard, where the extension's own checks answer
-- exactly as a single node (the errors for null or unequal arrays, 0 for
-- an empty batch, PT404 for the first job when the caller has no tenant):
-- those checks are written once, in the extension, and not repeated here.
DROP FUNCTION IF EXISTS jobs_proxy.can_split(text, text[], integer[]);  -- before nulls_ok
CREATE OR REPLACE FUNCTION jobs_proxy.can_split(tenant text, keys text[], nulls_ok boolean,
                                                VARIADIC lengths integer[])
RETURNS boolean
LANGUAGE sql IMMUTABLE
RETURN tenant IS NOT NULL AND cardinality(keys) > 0 AND array_position(keys, NULL) IS NULL AND nulls_ok
       AND (SELECT bool_and(l IS NOT DISTINCT FROM cardinality(keys)) FROM unnest(lengths) l);

-- 1, 2, ..., n for a batch of n elements: each element's position travels
-- with it through PL/Proxy's split (the validation round reports it).
CREATE OR REPLACE FUNCTION jobs_proxy.positions(keys text[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE
RETURN ARRAY(SELECT generate_series(1, cardinality(keys))::bigint);

-- How many shards (distinct connection strings) the jobs of a batch live
-- on, from the cluster's definition (shard/bin/cluster-sql).
CREATE OR REPLACE FUNCTION jobs_proxy.shard_count(keys text[]) RETURNS bigint
LANGUAGE sql STABLE
BEGIN ATOMIC
    WITH parts AS (
        SELECT o.option_name, o.option_value
        FROM pg_catalog.pg_foreign_server s, pg_catalog.pg_options_to_table(s.srvoptions) o
        WHERE s.srvname = 'traces_cluster' AND o.option_name ~ '^p[0-9]+$')
    SELECT count(DISTINCT parts.option_value)
    FROM unnest(keys) k
    JOIN parts ON parts.option_name = 'p' || traces_routing.job_partition(k, (SELECT count(*)::integer FROM parts));
END;

-- Whether a batch over several shards is within the extension's batch caps
-- (elements, distinct jobs; contract §7.5), asked of a shard. A batch over
-- them goes whole to one shard, whose extension refuses it exactly as a
-- single node (phase 1, before anything is read); split, each share could
-- pass alone. A batch on one shard is that shard's to refuse: no question.
CREATE OR REPLACE FUNCTION jobs_proxy.batch_caps() RETURNS integer[]
LANGUAGE plproxy AS $$
    CLUSTER 'traces_cluster';
    RUN ON ANY;
    TARGET jobs_shard.batch_caps;
$$;

CREATE OR REPLACE FUNCTION jobs_proxy.within_caps(keys text[]) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_caps integer[];
BEGIN
    IF coalesce(jobs_proxy.shard_count(keys), 0) <= 1 THEN
        RETURN true;
    END IF;
    v_caps := jobs_proxy.batch_caps();
    RETURN cardinality(keys) <= v_caps[1]
       AND (SELECT count(DISTINCT k) FROM unnest(keys) k WHERE k IS NOT NULL) <= v_caps[2];
END $$;

-- Who may write through which function: the proxy's counterpart of the
-- table privileges a single node grants (deploy/roles.sql). A role not
-- listed (directly or through a role it belongs to) runs a write on the
-- shard with read rights only, so the shard refuses it (42501) exactly
-- where a single node does, after the same argument and visibility checks.
CREATE TABLE IF NOT EXISTS jobs_proxy.write_grants (
    role_name     name NOT NULL,
    function_name name NOT NULL,
    PRIMARY KEY (role_name, function_name)
);
COMMENT ON TABLE jobs_proxy.write_grants IS
    'Roles that may write through each write function of the proxy (as table grants on a single node).';
GRANT SELECT ON jobs_proxy.write_grants TO traces_router;

CREATE OR REPLACE FUNCTION jobs_proxy.may_write(function_name name) RETURNS boolean
LANGUAGE sql STABLE
RETURN EXISTS (SELECT FROM jobs_proxy.write_grants g
               WHERE g.function_name = may_write.function_name
                 AND pg_catalog.pg_has_role(jobs_proxy.caller_role(), g.role_name, 'USAGE'));
