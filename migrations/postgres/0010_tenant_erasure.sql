-- A tenant's owner may delete the workspace: its data is erased once `erase_after` (30 days
-- after the request) has passed, unless the deletion is cancelled first. Mirrors
-- migrations/sqlite/0010_tenant_erasure.sql.
--
-- The application's role may neither change `erase_after` nor delete tenants (`tenants` is a
-- kept table). Two owner functions do, each only with the proof that the credential key gives
-- (sha256(key || "erasure:" || tenant id)), so injected SQL can neither schedule an erasure nor
-- carry one out; and a tenant is erased only once its grace period has passed. Its rows in
-- every tenant table go with it (ON DELETE CASCADE).
ALTER TABLE tenants ADD COLUMN erase_after timestamptz;
CREATE INDEX tenants__erase_after_idx ON tenants (erase_after) WHERE erase_after IS NOT NULL;

-- Schedules (a time) or cancels (NULL) the erasure of a tenant.
CREATE FUNCTION oikos_set_erase_after(p_tenant uuid, p_proof bytea, p_after timestamptz)
    RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        UPDATE public.tenants t SET erase_after = p_after
          FROM public.credential_key k
         WHERE t.id = p_tenant
           AND p_proof = sha256(k.key || convert_to('erasure:' || p_tenant::text, 'UTF8'))
        RETURNING true
    $$;
REVOKE ALL ON FUNCTION oikos_set_erase_after(uuid, bytea, timestamptz) FROM PUBLIC;

-- Erases a tenant whose grace period has passed; false when there is nothing (left) to do.
CREATE FUNCTION oikos_erase_tenant(p_tenant uuid, p_proof bytea) RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        WITH erased AS (
            DELETE FROM public.tenants t
             USING public.credential_key k
             WHERE t.id = p_tenant AND t.erase_after <= now()
               AND p_proof = sha256(k.key || convert_to('erasure:' || p_tenant::text, 'UTF8'))
            RETURNING true
        )
        SELECT EXISTS (SELECT 1 FROM erased)
    $$;
REVOKE ALL ON FUNCTION oikos_erase_tenant(uuid, bytea) FROM PUBLIC;

-- The grants of 0004, with `tenants.erase_after` kept from the application's role and the two
-- functions above granted to it.
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
               ('link_tokens', 'rate_limits', 'sessions', 'refresh_tokens', 'outbox')) THEN
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
