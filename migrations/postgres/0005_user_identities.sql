-- Accounts at OpenID Connect providers (Google sign-in), keyed by issuer + subject: the
-- provider's stable id, never the email (which can change hands). A platform table the
-- application never deletes from. Mirrors migrations/sqlite/0005_user_identities.sql.
CREATE TABLE user_identities (
    issuer     text   NOT NULL,
    subject    text   NOT NULL,
    user_id    uuid   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at bigint NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_identities__user_id_idx ON user_identities (user_id);
ALTER TABLE user_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_identities FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON user_identities USING (true) WITH CHECK (true);
