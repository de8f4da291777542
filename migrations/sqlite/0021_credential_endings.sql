-- Endings that stay ended. For each account, when its sessions and its access tokens last
-- ended (unix seconds, pushed at least one second further on every ending): a browser
-- session signed in, or an access token issued, at or before that time is refused, whatever
-- row or copy of it survives. "Log out everywhere", a password reset, a deactivation and a
-- removal move both; revoking a refresh family moves only the tokens' (other devices refresh).
-- A platform table of its own (not columns of `users`): a tenant admin's deactivation ends a
-- member's sessions from within the tenant's transaction, which never changes an account.
-- A role change no longer rotates session ids (roles are read on every request), so the
-- rotation mark goes. Mirrors migrations/postgres/0021_credential_endings.sql.
CREATE TABLE credential_endings (
    user_id              BLOB    PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sessions_valid_after INTEGER NOT NULL,
    tokens_valid_after   INTEGER NOT NULL
);
ALTER TABLE sessions DROP COLUMN rotate_due;
