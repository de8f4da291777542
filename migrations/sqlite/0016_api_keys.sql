-- Partner API keys (PRODUCT.md §9) and the answers to provisioning requests that carried an
-- `Idempotency-Key`. Both platform tables. Mirrors migrations/postgres/0016_api_keys.sql.
CREATE TABLE api_keys (
    id           BLOB PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    -- Space-separated, from tenant:create tenant:read tenant:update tenant:delete.
    scopes       TEXT NOT NULL,
    -- SHA-256 of the key (hex): the key itself is shown once and never stored.
    key_hash     TEXT NOT NULL,
    -- The key's first characters, to tell keys apart in the list.
    prefix       TEXT NOT NULL,
    created_by   BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE UNIQUE INDEX api_keys__key_hash_key ON api_keys (key_hash);

-- One row per (key, Idempotency-Key): the request's hash and, once done, the answer.
CREATE TABLE idempotent_requests (
    api_key_id   BLOB NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    body         TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (api_key_id, key)
) STRICT;
