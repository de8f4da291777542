-- Foundation: tenants, users, memberships, and the unprivileged role that row-level security
-- applies to. Mirrors migrations/sqlite/0001_foundation.sql (kept in step by a test).

-- Roles are cluster-wide: several databases (and parallel test databases) share this one.
DO $$
BEGIN
    CREATE ROLE oikos_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

-- The application switches to oikos_app inside every transaction (SET LOCAL ROLE), so even
-- when DATABASE_URL names the tables' owner or a superuser, the policies below apply.
GRANT oikos_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO oikos_app;
-- Tables later migrations create are usable by the application role too; the start-up check
-- still verifies every table.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO oikos_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO oikos_app;

CREATE TABLE tenants (
    id            uuid        PRIMARY KEY,
    slug          text        NOT NULL,
    name          text        NOT NULL,
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
CREATE UNIQUE INDEX tenants__name_key ON tenants (lower(name));
CREATE UNIQUE INDEX tenants__email_key ON tenants (lower(email));
CREATE UNIQUE INDEX tenants__phone_key ON tenants (phone);
CREATE INDEX tenants__created_at_idx ON tenants (created_at);

CREATE TABLE users (
    id                uuid        PRIMARY KEY,
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
CREATE UNIQUE INDEX users__email_key ON users (lower(email));

-- A tenant table: tenant_id leads the primary key and every foreign key, and row-level
-- security hides other tenants' rows.
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

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
-- NULLIF: once set in a session, an unset transaction-local value reads as '' (not NULL).
CREATE POLICY tenant_isolation ON memberships
    USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE, DELETE ON tenants, users, memberships TO oikos_app;
