-- Accounts at OpenID Connect providers, keyed by issuer + subject. Mirrors the PostgreSQL
-- migration.
CREATE TABLE user_identities (
    issuer     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    user_id    BLOB    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
) STRICT;
CREATE INDEX user_identities__user_id_idx ON user_identities (user_id);
