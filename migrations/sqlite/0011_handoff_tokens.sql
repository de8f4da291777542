-- Link tokens gain the `handoff` purpose: the single-use, one-minute token that moves a
-- signed-in user to a tenant's portal (cookies are host-only). SQLite cannot change a CHECK
-- constraint, so the table is rebuilt. Mirrors migrations/postgres/0011_handoff_tokens.sql.
CREATE TABLE link_tokens_next (
    token_hash TEXT    PRIMARY KEY NOT NULL,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'handoff')),
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT;
INSERT INTO link_tokens_next (token_hash, purpose, user_id, expires_at, used_at)
    SELECT token_hash, purpose, user_id, expires_at, used_at FROM link_tokens;
DROP TABLE link_tokens;
ALTER TABLE link_tokens_next RENAME TO link_tokens;
CREATE INDEX link_tokens__user_id_idx ON link_tokens (user_id);
