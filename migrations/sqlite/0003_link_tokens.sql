-- Tokens sent in links, stored as keyed hashes and redeemed once. Mirrors the PostgreSQL
-- migration.
CREATE TABLE link_tokens (
    token_hash TEXT    PRIMARY KEY NOT NULL,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
CREATE INDEX link_tokens__user_id_idx ON link_tokens (user_id);
