-- Rows that grant identity are sealed (an HMAC under a key derived from SESSION_SECRET, which
-- the database never holds) over the fields that say whom they let in: a row written or
-- changed by the database role alone is worth nothing (src/identity/seals.rs). Session ids
-- and API keys are stored as keyed hashes. Rows from before carry no seal: the sessions and
-- refresh tokens they are end (everyone signs in again), links in mail already sent stop
-- working (ask for a new one), and partner API keys are revoked (make new ones); Google
-- sign-in links are written afresh at the next sign-in. Mirrors
-- migrations/sqlite/0023_row_seals.sql.
ALTER TABLE sessions ADD COLUMN seal text;
ALTER TABLE refresh_tokens ADD COLUMN seal text;
ALTER TABLE link_tokens ADD COLUMN seal text;
ALTER TABLE user_identities ADD COLUMN seal text;
ALTER TABLE impersonations ADD COLUMN seal text;
ALTER TABLE api_keys ADD COLUMN seal text;
DELETE FROM sessions;
DELETE FROM refresh_tokens;
UPDATE api_keys SET revoked_at = now() WHERE revoked_at IS NULL;

-- An account's address never changes in Oikos. Were the application's role able to change
-- it, injected SQL could point a super admin's address at a mailbox of its own and reset the
-- password from there; this trigger refuses any change, whoever asks.
CREATE FUNCTION oikos_email_is_fixed() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF NEW.email <> OLD.email THEN
        RAISE EXCEPTION 'an account''s email address does not change';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER users__email_fixed BEFORE UPDATE OF email ON users
    FOR EACH ROW EXECUTE FUNCTION oikos_email_is_fixed();
