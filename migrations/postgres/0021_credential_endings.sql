-- Endings that stay ended. For each account, when its sessions and its access tokens last
-- ended (unix seconds, pushed at least one second further on every ending): a browser
-- session signed in, or an access token issued, at or before that time is refused, whatever
-- row or copy of it survives. "Log out everywhere", a password reset, a deactivation and a
-- removal move both; revoking a refresh family moves only the tokens' (other devices refresh).
-- A platform table of its own (not columns of `users`): a tenant admin's deactivation ends a
-- member's sessions from within the tenant's transaction, which never changes an account.
-- A role change no longer rotates session ids (roles are read on every request), so the
-- rotation mark goes. Mirrors migrations/sqlite/0021_credential_endings.sql.
CREATE TABLE credential_endings (
    user_id              uuid   PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sessions_valid_after bigint NOT NULL,
    tokens_valid_after   bigint NOT NULL
);
ALTER TABLE credential_endings ENABLE ROW LEVEL SECURITY;
ALTER TABLE credential_endings FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON credential_endings USING (true) WITH CHECK (true);
ALTER TABLE sessions DROP COLUMN rotate_due;

-- Injected SQL must not bring old sessions and tokens back by moving the times backwards
-- (and the application never deletes these rows: no DELETE is granted on them).
CREATE FUNCTION oikos_endings_only_forward() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF NEW.user_id <> OLD.user_id
       OR NEW.sessions_valid_after < OLD.sessions_valid_after
       OR NEW.tokens_valid_after < OLD.tokens_valid_after THEN
        RAISE EXCEPTION 'credential endings only move forward';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER credential_endings__forward BEFORE UPDATE ON credential_endings
    FOR EACH ROW EXECUTE FUNCTION oikos_endings_only_forward();
