-- Outgoing webhooks (PRODUCT.md §9): endpoints super admins register, one delivery per
-- (endpoint, event) written in the transaction of the change it reports, and each attempt
-- with its response code. Mirrors migrations/postgres/0018_webhooks.sql.
CREATE TABLE webhook_endpoints (
    id         BLOB PRIMARY KEY NOT NULL,
    url        TEXT NOT NULL,
    -- Space-separated event types, e.g. `tenant.created tenant.updated`.
    events     TEXT NOT NULL,
    -- Signs every delivery (HMAC-SHA256), so it must be readable; shown once at creation.
    secret     TEXT NOT NULL,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE webhook_deliveries (
    id              BLOB    PRIMARY KEY NOT NULL,
    endpoint_id     BLOB    NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id        BLOB    NOT NULL,
    event_type      TEXT    NOT NULL,
    -- The exact JSON sent (and signed) on every attempt.
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL,
    -- Unix seconds, as in the mail outbox.
    next_attempt_at INTEGER NOT NULL,
    locked_until    INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    delivered_at    TEXT
) STRICT;
CREATE INDEX webhook_deliveries__due_idx ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries__endpoint_idx ON webhook_deliveries (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    id           BLOB    PRIMARY KEY NOT NULL,
    delivery_id  BLOB    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TEXT    NOT NULL,
    -- The receiver's HTTP status; NULL when no answer came (refused, timed out).
    status_code  INTEGER,
    error        TEXT,
    duration_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX webhook_attempts__delivery_idx ON webhook_attempts (delivery_id, attempted_at);
