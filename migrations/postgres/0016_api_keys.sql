-- Partner API keys (PRODUCT.md §9) and the answers to provisioning requests that carried an
-- `Idempotency-Key`. Both platform tables. Mirrors migrations/sqlite/0016_api_keys.sql.
CREATE TABLE api_keys (
    id           uuid        PRIMARY KEY NOT NULL,
    name         text        NOT NULL,
    -- Space-separated, from tenant:create tenant:read tenant:update tenant:delete.
    scopes       text        NOT NULL,
    -- SHA-256 of the key (hex): the key itself is shown once and never stored.
    key_hash     text        NOT NULL,
    -- The key's first characters, to tell keys apart in the list.
    prefix       text        NOT NULL,
    created_by   uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_keys__key_hash_key ON api_keys (key_hash);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON api_keys USING (true) WITH CHECK (true);

-- One row per (key, Idempotency-Key): the request's hash and, once done, the answer.
CREATE TABLE idempotent_requests (
    api_key_id   uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    status       integer,
    body         text,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (api_key_id, key)
);
ALTER TABLE idempotent_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotent_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON idempotent_requests USING (true) WITH CHECK (true);

-- The grants of 0015, with `idempotent_requests` among the platform tables whose old rows
-- the application prunes.
CREATE OR REPLACE FUNCTION oikos_grant_app(app text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t text;
    readable text;
    writable text;
    tenant_table boolean;
    append_only boolean;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
    FOR t IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND c.relname NOT IN ('_sqlx_migrations', 'credential_key')
    LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                   FILTER (WHERE a.attname NOT IN ('password_hash')),
               string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum)
                   FILTER (WHERE a.attname NOT IN ('password_hash', 'is_super_admin', 'erase_after')),
               bool_or(a.attname = 'tenant_id')
          INTO readable, writable, tenant_table
          FROM pg_attribute a
         WHERE a.attrelid = format('public.%I', t)::regclass
           AND a.attnum > 0 AND NOT a.attisdropped;
        append_only := t IN ('audit_log', 'platform_audit');
        EXECUTE format('REVOKE ALL ON TABLE public.%I FROM %I', t, app);
        EXECUTE format('GRANT SELECT (%s) ON TABLE public.%I TO %I', readable, t, app);
        EXECUTE format('GRANT INSERT ON TABLE public.%I TO %I', t, app);
        IF NOT append_only THEN
            EXECUTE format('GRANT UPDATE (%s) ON TABLE public.%I TO %I', writable, t, app);
        END IF;
        IF NOT append_only AND (tenant_table OR t IN
               ('link_tokens', 'rate_limits', 'sessions', 'refresh_tokens', 'outbox', 'stripe_events',
                'idempotent_requests')) THEN
            EXECUTE format('GRANT DELETE ON TABLE public.%I TO %I', t, app);
        END IF;
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_password_hash(uuid, bytea) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_set_password_hash(uuid, bytea, text) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_set_erase_after(uuid, bytea, timestamptz) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_erase_tenant(uuid, bytea) TO %I', app);
END
$$;
REVOKE ALL ON FUNCTION oikos_grant_app(text) FROM PUBLIC;
