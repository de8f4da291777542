-- Foundation: tenants, users, memberships, and the row-level security that holds them apart.
-- Mirrors migrations/sqlite/0001_foundation.sql (kept in step by a test).
--
-- These migrations run as the tables' owner (DATABASE_MIGRATION_URL). They create no role:
-- the application's role (the login role of DATABASE_URL, or in first-time mode a role per
-- database) is granted its privileges at start by oikos_grant_app() below.

-- The owner's secret key, never readable by the application's role. The owner hands it to
-- the application at start; with it the application signs the tenant of each transaction and
-- proves its right to read a password hash. SQL injected into the application's connection
-- has no key, so it can neither name another tenant nor read hashes.
CREATE TABLE credential_key (
    id  boolean PRIMARY KEY DEFAULT true CHECK (id),
    key bytea   NOT NULL
);
INSERT INTO credential_key (key)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

-- The tenant of the current transaction, set by the application with
-- set_config('app.tenant_id', '<uuid>.<hex sha256(key || "tenant:" || uuid)>', true).
-- NULL when unset (a platform transaction); the nil uuid, which owns nothing, when the value
-- is not signed with the key: a forged tenant sees no rows and gains no platform rights.
-- NULLIF: once set in a session, an unset transaction-local value reads as '' (not NULL).
CREATE FUNCTION oikos_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT CASE
                 WHEN s.v IS NULL THEN NULL
                 WHEN encode(sha256(k.key || convert_to('tenant:' || split_part(s.v, '.', 1), 'UTF8')), 'hex')
                      = split_part(s.v, '.', 2)
                   THEN split_part(s.v, '.', 1)::uuid
                 ELSE '00000000-0000-0000-0000-000000000000'::uuid
               END
          FROM public.credential_key k,
               (SELECT NULLIF(current_setting('app.tenant_id', true), '') AS v) s
    $$;

CREATE TABLE tenants (
    id            uuid        PRIMARY KEY,
    slug          text        NOT NULL,
    name          text        NOT NULL,
    -- The name Unicode-normalised and case-folded (by the application, the same on both
    -- databases): uniqueness never depends on a database's lower().
    name_key      text        NOT NULL,
    business_type text,
    email         text        NOT NULL,
    phone         text,
    website       text,
    description   text,
    status        text        NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX tenants__slug_key ON tenants (slug);
CREATE UNIQUE INDEX tenants__name_key ON tenants (name_key);
CREATE UNIQUE INDEX tenants__email_key ON tenants (email);
CREATE UNIQUE INDEX tenants__phone_key ON tenants (phone);
CREATE INDEX tenants__created_at_idx ON tenants (created_at);

CREATE TABLE users (
    id                uuid        PRIMARY KEY,
    -- Stored normalised (trimmed, NFC, case-folded) by the application's Email type.
    email             text        NOT NULL,
    password_hash     text,
    first_name        text        NOT NULL,
    last_name         text        NOT NULL,
    is_super_admin    boolean     NOT NULL,
    is_active         boolean     NOT NULL,
    email_verified_at timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);
CREATE UNIQUE INDEX users__email_key ON users (email);

-- A tenant table: tenant_id leads the primary key and every foreign key.
CREATE TABLE memberships (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text        NOT NULL
               CHECK (role IN ('TENANT_ADMIN', 'OUTLET_MANAGER', 'STAFF', 'RECEPTIONIST')),
    is_active  boolean     NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships__user_id_idx ON memberships (user_id);

-- Row-level security, forced on every table. Each table has one permissive policy (RLS shows
-- nothing without one) and RESTRICTIVE policies that a later permissive policy cannot widen.
-- The start-up self-check compares every policy with the expected list (src/db/rls.rs).
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;

-- Platform tables: readable everywhere (tenant resolution reads tenants before any scope);
-- a tenant transaction may write only its own tenant row and never changes an account.
CREATE POLICY platform_rows ON tenants USING (true) WITH CHECK (true);
CREATE POLICY own_tenant_insert ON tenants AS RESTRICTIVE FOR INSERT
    WITH CHECK ((SELECT oikos_current_tenant()) IS NULL OR id = (SELECT oikos_current_tenant()));
CREATE POLICY own_tenant_update ON tenants AS RESTRICTIVE FOR UPDATE
    USING ((SELECT oikos_current_tenant()) IS NULL OR id = (SELECT oikos_current_tenant()))
    WITH CHECK ((SELECT oikos_current_tenant()) IS NULL OR id = (SELECT oikos_current_tenant()));
CREATE POLICY platform_delete ON tenants AS RESTRICTIVE FOR DELETE
    USING ((SELECT oikos_current_tenant()) IS NULL);

CREATE POLICY platform_rows ON users USING (true) WITH CHECK (true);
-- Super admins are made by the owner at start (FIRST_SUPERUSER_*), never by the application.
CREATE POLICY no_super_admin_insert ON users AS RESTRICTIVE FOR INSERT
    WITH CHECK (NOT is_super_admin);
CREATE POLICY platform_update ON users AS RESTRICTIVE FOR UPDATE
    USING ((SELECT oikos_current_tenant()) IS NULL) WITH CHECK ((SELECT oikos_current_tenant()) IS NULL);
CREATE POLICY platform_delete ON users AS RESTRICTIVE FOR DELETE
    USING ((SELECT oikos_current_tenant()) IS NULL);

-- Tenant tables: only the current tenant's rows, and none when no tenant is set.
CREATE POLICY tenant_rows ON memberships
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON memberships AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));

-- Credentials. The application's role has no SELECT on users.password_hash: it reads one
-- hash through this function, which answers only given sha256(key || "password:" || user id).
CREATE FUNCTION oikos_password_hash(p_user uuid, p_proof bytea) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT u.password_hash
          FROM public.users u, public.credential_key k
         WHERE u.id = p_user
           AND p_proof = sha256(k.key || convert_to('password:' || p_user::text, 'UTF8'))
    $$;
REVOKE ALL ON FUNCTION oikos_password_hash(uuid, bytea) FROM PUBLIC;

-- Grants the application's role exactly what it needs, and no more:
-- - SELECT on every column but the credential ones (password_hash);
-- - INSERT; UPDATE on every column but credentials and privileges (password_hash,
--   is_super_admin: those change only through the owner);
-- - DELETE on tenant tables only: platform rows (tenants, accounts) are never deleted by the
--   application's role, so injected SQL cannot wipe a tenant and its cascade;
-- - EXECUTE on the credential function. Nothing on the owner-only tables; no TRUNCATE, TRIGGER
--   or REFERENCES.
-- Idempotent: run by the owner at every start, so tables of later migrations are covered.
CREATE FUNCTION oikos_grant_app(app text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    t text;
    readable text;
    writable text;
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
                   FILTER (WHERE a.attname NOT IN ('password_hash', 'is_super_admin'))
          INTO readable, writable
          FROM pg_attribute a
         WHERE a.attrelid = format('public.%I', t)::regclass
           AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE format('REVOKE ALL ON TABLE public.%I FROM %I', t, app);
        EXECUTE format('GRANT SELECT (%s) ON TABLE public.%I TO %I', readable, t, app);
        EXECUTE format('GRANT INSERT ON TABLE public.%I TO %I', t, app);
        EXECUTE format('GRANT UPDATE (%s) ON TABLE public.%I TO %I', writable, t, app);
        IF EXISTS (SELECT 1 FROM pg_attribute a
                    WHERE a.attrelid = format('public.%I', t)::regclass
                      AND a.attname = 'tenant_id' AND NOT a.attisdropped) THEN
            EXECUTE format('GRANT DELETE ON TABLE public.%I TO %I', t, app);
        END IF;
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION public.oikos_password_hash(uuid, bytea) TO %I', app);
END
$$;
REVOKE ALL ON FUNCTION oikos_grant_app(text) FROM PUBLIC;
