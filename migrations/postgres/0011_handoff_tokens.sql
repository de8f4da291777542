-- Link tokens gain the `handoff` purpose: the single-use, one-minute token that moves a
-- signed-in user to a tenant's portal (cookies are host-only). Mirrors
-- migrations/sqlite/0011_handoff_tokens.sql.
ALTER TABLE link_tokens DROP CONSTRAINT link_tokens_purpose_check;
ALTER TABLE link_tokens ADD CONSTRAINT link_tokens_purpose_check
    CHECK (purpose IN ('verify_email', 'reset_password', 'handoff'));
