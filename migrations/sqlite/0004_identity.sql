-- Identity: browser sessions, refresh tokens, the mail outbox and the audit log. Mirrors
-- migrations/postgres/0004_identity.sql (kept in step by a test).

CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY NOT NULL,
    user_id      BLOB    REFERENCES users (id) ON DELETE CASCADE,
    data         TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    ip           TEXT,
    user_agent   TEXT
) STRICT;
CREATE INDEX sessions__user_id_idx ON sessions (user_id);
CREATE INDEX sessions__expires_at_idx ON sessions (expires_at);

CREATE TABLE refresh_tokens (
    token_hash    TEXT    PRIMARY KEY NOT NULL,
    family_id     BLOB    NOT NULL,
    user_id       BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    active_tenant BLOB    REFERENCES tenants (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    used_at       INTEGER,
    revoked_at    INTEGER
) STRICT;
CREATE INDEX refresh_tokens__family_id_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens__user_id_idx ON refresh_tokens (user_id);

CREATE TABLE outbox (
    id              BLOB    PRIMARY KEY NOT NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
) STRICT;
CREATE INDEX outbox__due_idx ON outbox (status, next_attempt_at);

CREATE TABLE platform_audit (
    id       BLOB    PRIMARY KEY NOT NULL,
    at       INTEGER NOT NULL,
    actor_id BLOB,
    action   TEXT    NOT NULL,
    subject  TEXT,
    ip       TEXT,
    detail   TEXT    NOT NULL
) STRICT;
CREATE INDEX platform_audit__at_idx ON platform_audit (at);

CREATE TABLE audit_log (
    tenant_id BLOB    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id        BLOB    NOT NULL,
    at        INTEGER NOT NULL,
    actor_id  BLOB,
    action    TEXT    NOT NULL,
    subject   TEXT,
    ip        TEXT,
    detail    TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX audit_log__at_idx ON audit_log (tenant_id, at);
