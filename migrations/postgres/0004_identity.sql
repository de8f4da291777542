-- Identity: browser sessions, refresh tokens, the mail outbox and the audit log; a credential
-- path for changing a password. Mirrors migrations/sqlite/0004_identity.sql. Times are unix
-- seconds, compared the same way on both databases.

-- Browser sessions (tower-sessions). `data` is the session's JSON; the columns beside it are
-- what the account page lists and what "log out everywhere" matches on.
CREATE TABLE sessions (
    id           text   PRIMARY KEY,
    user_id      uuid   REFERENCES users (id) ON DELETE CASCADE,
    data         text   NOT NULL,
    expires_at   bigint NOT NULL,
    created_at   bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    ip           text,
    user_agent   text
);
CREATE INDEX sessions__user_id_idx ON sessions (user_id);
CREATE INDEX sessions__expires_at_idx ON sessions (expires_at);

-- Refresh tokens, stored as keyed hashes. Each use rotates the token within its family; using
-- a rotated token again revokes the whole family. `active_tenant` is the tenant the access
-- tokens of this family name (not `tenant_id`: this is a platform table, not a tenant's data).
CREATE TABLE refresh_tokens (
    token_hash    text   PRIMARY KEY,
    family_id     uuid   NOT NULL,
    user_id       uuid   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    active_tenant uuid   REFERENCES tenants (id) ON DELETE CASCADE,
    created_at    bigint NOT NULL,
    expires_at    bigint NOT NULL,
    used_at       bigint,
    revoked_at    bigint
);
CREATE INDEX refresh_tokens__family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens__user_id_idx ON refresh_tokens (user_id);

-- Mail to deliver, written in the same transaction as the change that causes it. Workers on
-- any number of instances claim rows (PostgreSQL: FOR UPDATE SKIP LOCKED) and retry with
-- backoff; `locked_until` frees a row whose worker died mid-delivery.
CREATE TABLE outbox (
    id              uuid   PRIMARY KEY,
    recipient       text   NOT NULL,
    subject         text   NOT NULL,
    body_text       text   NOT NULL,
    body_html       text   NOT NULL,
    status          text   NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    locked_until    bigint,
    last_error      text,
    created_at      bigint NOT NULL,
    sent_at         bigint
);
CREATE INDEX outbox__due_idx ON outbox (status, next_attempt_at);

-- Audit: platform-level events (sign-ins without a workspace, failures, resets, sessions
-- ended), and each tenant's own (sign-ins to it, role changes). Append-only for the
-- application: it may insert and read, never change or delete.
CREATE TABLE platform_audit (
    id         uuid   PRIMARY KEY,
    at         bigint NOT NULL,
    actor_id   uuid,
    action     text   NOT NULL,
    subject    text,
    ip         text,
    detail     text   NOT NULL
);
CREATE INDEX platform_audit__at_idx ON platform_audit (at);

CREATE TABLE audit_log (
    tenant_id  uuid   NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id         uuid   NOT NULL,
    at         bigint NOT NULL,
    actor_id   uuid,
    action     text   NOT NULL,
    subject    text,
    ip         text,
    detail     text   NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log__at_idx ON audit_log (tenant_id, at);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON sessions USING (true) WITH CHECK (true);
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON refresh_tokens USING (true) WITH CHECK (true);
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON outbox USING (true) WITH CHECK (true);
ALTER TABLE platform_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON platform_audit USING (true) WITH CHECK (true);
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON audit_log
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON audit_log AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));

-- Changing a password: the application's role cannot UPDATE users.password_hash; it calls
-- this with proof = sha256(key || "set-password:" || user id), which injected SQL cannot make.
CREATE FUNCTION oikos_set_password_hash(p_user uuid, p_proof bytea, p_hash text) RETURNS boolean
    LANGUAGE sql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        UPDATE public.users u SET password_hash = p_hash
          FROM public.credential_key k
         WHERE u.id = p_user
           AND p_proof = sha256(k.key || convert_to('set-password:' || p_user::text, 'UTF8'))
        RETURNING true
    $$;
REVOKE ALL ON FUNCTION oikos_set_password_hash(uuid, bytea, text) FROM PUBLIC;


-- A user's own workspaces, across tenants (sign-in's "choose a workspace", the tenant
-- switcher). Memberships are tenant rows that a platform transaction cannot see; a
-- transaction that names one user, signed like a tenant (app.user_id = '<uuid>.<hex
-- sha256(key || "user:" || uuid)>'), may read that user's memberships and nothing else. A
-- forged value names the nil uuid, which has none. Writes stay strictly per tenant.
CREATE FUNCTION oikos_current_user() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
        SELECT CASE
                 WHEN s.v IS NULL THEN NULL
                 WHEN encode(sha256(k.key || convert_to('user:' || split_part(s.v, '.', 1), 'UTF8')), 'hex')
                      = split_part(s.v, '.', 2)
                   THEN split_part(s.v, '.', 1)::uuid
                 ELSE '00000000-0000-0000-0000-000000000000'::uuid
               END
          FROM public.credential_key k,
               (SELECT NULLIF(current_setting('app.user_id', true), '') AS v) s
    $$;

CREATE POLICY own_memberships ON memberships FOR SELECT
    USING (user_id = (SELECT oikos_current_user()));
DROP POLICY tenant_isolation ON memberships;
CREATE POLICY tenant_isolation ON memberships AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant()) OR user_id = (SELECT oikos_current_user()))
    WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));

-- The grants of 0001, with two kinds of table added:
-- - short-lived platform rows (tokens, sessions, counters, the outbox), which the application
--   deletes when they end or expire;
-- - append-only tables (the audit logs): no UPDATE and no DELETE.
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
                   FILTER (WHERE a.attname NOT IN ('password_hash', 'is_super_admin')),
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
END
$$;
REVOKE ALL ON FUNCTION oikos_grant_app(text) FROM PUBLIC;
