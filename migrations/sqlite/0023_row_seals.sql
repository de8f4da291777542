-- Rows that grant identity are sealed (an HMAC under a key derived from SESSION_SECRET, which
-- the database never holds) over the fields that say whom they let in: a row written or
-- changed by the database role alone is worth nothing (src/identity/seals.rs). Session ids
-- and API keys are stored as keyed hashes. Rows from before carry no seal: the sessions and
-- refresh tokens they are end (everyone signs in again), links in mail already sent stop
-- working (ask for a new one), and partner API keys are revoked (make new ones); Google
-- sign-in links are written afresh at the next sign-in. Mirrors
-- migrations/postgres/0023_row_seals.sql.
ALTER TABLE sessions ADD COLUMN seal TEXT;
ALTER TABLE refresh_tokens ADD COLUMN seal TEXT;
ALTER TABLE link_tokens ADD COLUMN seal TEXT;
ALTER TABLE user_identities ADD COLUMN seal TEXT;
ALTER TABLE impersonations ADD COLUMN seal TEXT;
ALTER TABLE api_keys ADD COLUMN seal TEXT;
DELETE FROM sessions;
DELETE FROM refresh_tokens;
UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE revoked_at IS NULL;
