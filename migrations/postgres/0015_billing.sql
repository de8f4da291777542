-- Billing with Stripe (PRODUCT.md §7): the tenant's Stripe customer and subscription beside
-- its plan, Stripe's statuses, and the Stripe events already applied (by id: a repeat is a
-- no-op). Mirrors migrations/sqlite/0015_billing.sql.
ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_status_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_status_check CHECK (
    status IN ('active', 'trialing', 'past_due', 'canceled', 'unpaid', 'inactive', 'suspended'));
ALTER TABLE subscriptions ADD COLUMN customer_id text;
ALTER TABLE subscriptions ADD COLUMN stripe_subscription_id text;
ALTER TABLE subscriptions ADD COLUMN current_period_end timestamptz;
ALTER TABLE subscriptions ADD COLUMN cancel_at_period_end boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX subscriptions__customer_id_idx ON subscriptions (customer_id);

-- A platform table: events name their tenant only inside Stripe's objects.
CREATE TABLE stripe_events (
    id          text        PRIMARY KEY NOT NULL,
    type        text        NOT NULL,
    received_at timestamptz NOT NULL
);
ALTER TABLE stripe_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_events FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON stripe_events USING (true) WITH CHECK (true);

-- The grants of 0010, with `stripe_events` among the platform tables whose old rows the
-- application prunes.
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
               ('link_tokens', 'rate_limits', 'sessions', 'refresh_tokens', 'outbox', 'stripe_events')) THEN
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
