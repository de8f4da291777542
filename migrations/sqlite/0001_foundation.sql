-- Foundation: tenants, users, memberships. Mirrors migrations/postgres/0001_foundation.sql
-- (kept in step by a test). Ids are 16-byte UUID blobs, timestamps RFC 3339 text, booleans
-- integers: the encodings sqlx uses for Uuid, DateTime<Utc> and bool. SQLite has no row-level
-- security: here the core's types are the only guard (see README, "Tenant isolation").

CREATE TABLE tenants (
    id            BLOB    PRIMARY KEY NOT NULL,
    slug          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    name_key      TEXT    NOT NULL,
    business_type TEXT,
    email         TEXT    NOT NULL,
    phone         TEXT,
    website       TEXT,
    description   TEXT,
    status        TEXT    NOT NULL CHECK (status IN ('active', 'inactive')),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX tenants__slug_key ON tenants (slug);
CREATE UNIQUE INDEX tenants__name_key ON tenants (name_key);
CREATE UNIQUE INDEX tenants__email_key ON tenants (email);
CREATE UNIQUE INDEX tenants__phone_key ON tenants (phone);
CREATE INDEX tenants__created_at_idx ON tenants (created_at);

CREATE TABLE users (
    id                BLOB    PRIMARY KEY NOT NULL,
    email             TEXT    NOT NULL,
    password_hash     TEXT,
    first_name        TEXT    NOT NULL,
    last_name         TEXT    NOT NULL,
    is_super_admin    INTEGER NOT NULL,
    is_active         INTEGER NOT NULL,
    email_verified_at TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX users__email_key ON users (email);

CREATE TABLE memberships (
    tenant_id  BLOB    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL
               CHECK (role IN ('TENANT_ADMIN', 'OUTLET_MANAGER', 'STAFF', 'RECEPTIONIST')),
    is_active  INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) STRICT;
CREATE INDEX memberships__user_id_idx ON memberships (user_id);

-- Mirrors the owner-only key behind PostgreSQL's credential function (unused on SQLite).
CREATE TABLE credential_key (
    id  INTEGER PRIMARY KEY NOT NULL DEFAULT 1 CHECK (id),
    key BLOB    NOT NULL
) STRICT;
