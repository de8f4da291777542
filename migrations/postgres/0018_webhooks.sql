-- Outgoing webhooks (PRODUCT.md §9): endpoints super admins register, one delivery per
-- (endpoint, event) written in the transaction of the change it reports, and each attempt
-- with its response code. Platform tables. Mirrors migrations/sqlite/0018_webhooks.sql.
CREATE TABLE webhook_endpoints (
    id         uuid        PRIMARY KEY NOT NULL,
    url        text        NOT NULL,
    -- Space-separated event types, e.g. `tenant.created tenant.updated`.
    events     text        NOT NULL,
    -- Signs every delivery (HMAC-SHA256), so it must be readable; shown once at creation.
    secret     text        NOT NULL,
    created_by uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL
);
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON webhook_endpoints USING (true) WITH CHECK (true);

CREATE TABLE webhook_deliveries (
    id              uuid        PRIMARY KEY NOT NULL,
    endpoint_id     uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    -- The exact JSON sent (and signed) on every attempt.
    body            text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        bigint      NOT NULL,
    -- Unix seconds, as in the mail outbox.
    next_attempt_at bigint      NOT NULL,
    locked_until    bigint,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz
);
CREATE INDEX webhook_deliveries__due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries__endpoint_idx ON webhook_deliveries (endpoint_id, created_at);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON webhook_deliveries USING (true) WITH CHECK (true);

CREATE TABLE webhook_attempts (
    id           uuid        PRIMARY KEY NOT NULL,
    delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL,
    -- The receiver's HTTP status; NULL when no answer came (refused, timed out).
    status_code  integer,
    error        text,
    duration_ms  bigint      NOT NULL
);
CREATE INDEX webhook_attempts__delivery_idx ON webhook_attempts (delivery_id, attempted_at);
ALTER TABLE webhook_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON webhook_attempts USING (true) WITH CHECK (true);

-- The platform tables whose rows the application deletes (expired, pruned or removed by a
-- super admin). Later migrations extend this list instead of redefining oikos_grant_app.
CREATE OR REPLACE FUNCTION oikos_prunable_platform_tables() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT ARRAY['link_tokens', 'rate_limits', 'sessions', 'refresh_tokens', 'outbox',
                 'stripe_events', 'idempotent_requests', 'webhook_endpoints',
                 'webhook_deliveries', 'webhook_attempts']
$$;

-- The grants of 0017, with the deletable platform tables read from the function above.
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
        IF NOT append_only AND (tenant_table OR t = ANY (public.oikos_prunable_platform_tables())) THEN
            EXECUTE format('GRANT DELETE ON TABLE public.%I TO %I', t, app);
        END IF;
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_password_hash(uuid, bytea) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_set_password_hash(uuid, bytea, text) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_set_erase_after(uuid, bytea, timestamptz) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_erase_tenant(uuid, bytea) TO %I', app);
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_subscription_plans() TO %I', app);
END
$$;
REVOKE ALL ON FUNCTION oikos_grant_app(text) FROM PUBLIC;
