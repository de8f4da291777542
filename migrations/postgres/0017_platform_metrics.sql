-- The platform's metrics count subscriptions across tenants. `subscriptions` answers only the
-- current tenant's rows (for its owner too: FORCE ROW LEVEL SECURITY), so this owner function
-- visits each tenant in turn, naming it as the application does (signed with the credential
-- key), and returns each subscription's plan, cycle and status without its tenant. The
-- caller's tenant setting is put back afterwards. Mirrors migrations/sqlite/0017_platform_metrics.sql (which needs nothing).
CREATE FUNCTION oikos_subscription_plans()
    RETURNS TABLE (plan text, billing_cycle text, status text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    signing_key bytea;
    previous    text := current_setting('app.tenant_id', true);
    tenant      uuid;
BEGIN
    SELECT k.key INTO signing_key FROM public.credential_key k;
    FOR tenant IN SELECT t.id FROM public.tenants t LOOP
        PERFORM set_config('app.tenant_id', tenant::text || '.'
            || encode(sha256(signing_key || convert_to('tenant:' || tenant::text, 'UTF8')), 'hex'), true);
        RETURN QUERY SELECT s.plan, s.billing_cycle, s.status
                       FROM public.subscriptions s WHERE s.tenant_id = tenant;
    END LOOP;
    PERFORM set_config('app.tenant_id', coalesce(previous, ''), true);
END
$$;
REVOKE ALL ON FUNCTION oikos_subscription_plans() FROM PUBLIC;

-- As in 0016, with EXECUTE on the function above.
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
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_subscription_plans() TO %I', app);
END
$$;
REVOKE ALL ON FUNCTION oikos_grant_app(text) FROM PUBLIC;
