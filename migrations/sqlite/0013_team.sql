-- The team (PRODUCT.md §6): a member's position and outlets, and invitations by email.
-- Mirrors migrations/postgres/0013_team.sql.
ALTER TABLE memberships ADD COLUMN position TEXT;

-- The outlets an OUTLET_MANAGER (or any member) is assigned to.
CREATE TABLE membership_outlets (
    tenant_id BLOB NOT NULL,
    user_id   BLOB NOT NULL,
    outlet_id BLOB NOT NULL,
    PRIMARY KEY (tenant_id, user_id, outlet_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
) STRICT;

-- One row per invitation; the token is kept only as its HMAC. `outlet_ids` is a JSON array.
-- At most one open (neither accepted nor revoked) invitation per address and tenant.
CREATE TABLE invitations (
    tenant_id   BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          BLOB NOT NULL,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL
                CHECK (role IN ('TENANT_ADMIN', 'OUTLET_MANAGER', 'STAFF', 'RECEPTIONIST')),
    position    TEXT,
    outlet_ids  TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    invited_by  BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    accepted_at TEXT,
    revoked_at  TEXT,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE UNIQUE INDEX invitations__token_hash_key ON invitations (token_hash);
CREATE UNIQUE INDEX invitations__open_email_idx ON invitations (tenant_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;
