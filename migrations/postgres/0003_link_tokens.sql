-- Tokens sent in links (verification, reset; later invitations and handoffs). Only a keyed
-- hash of each token is stored; a token is redeemed once, by one conditional UPDATE. Times are
-- unix seconds, compared the same way on both databases. Mirrors the SQLite migration.
CREATE TABLE link_tokens (
    token_hash text   PRIMARY KEY,
    purpose    text   NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    user_id    uuid   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at bigint NOT NULL,
    used_at    bigint
);
CREATE INDEX link_tokens__user_id_idx ON link_tokens (user_id);
ALTER TABLE link_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE link_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON link_tokens USING (true) WITH CHECK (true);
