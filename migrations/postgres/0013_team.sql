-- The team (PRODUCT.md §6): a member's position and outlets, and invitations by email. Both
-- new tables are tenant tables under the two tenant policies. Mirrors
-- migrations/sqlite/0013_team.sql.
ALTER TABLE memberships ADD COLUMN position text;

-- The outlets an OUTLET_MANAGER (or any member) is assigned to.
CREATE TABLE membership_outlets (
    tenant_id uuid NOT NULL,
    user_id   uuid NOT NULL,
    outlet_id uuid NOT NULL,
    PRIMARY KEY (tenant_id, user_id, outlet_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES memberships (tenant_id, user_id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);

-- One row per invitation; the token is kept only as its HMAC. `outlet_ids` is a JSON array.
-- At most one open (neither accepted nor revoked) invitation per address and tenant.
CREATE TABLE invitations (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          uuid        NOT NULL,
    email       text        NOT NULL,
    role        text        NOT NULL
                CHECK (role IN ('TENANT_ADMIN', 'OUTLET_MANAGER', 'STAFF', 'RECEPTIONIST')),
    position    text,
    outlet_ids  text        NOT NULL,
    token_hash  text        NOT NULL,
    invited_by  uuid        REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    accepted_at timestamptz,
    revoked_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX invitations__token_hash_key ON invitations (token_hash);
CREATE UNIQUE INDEX invitations__open_email_idx ON invitations (tenant_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

ALTER TABLE membership_outlets ENABLE ROW LEVEL SECURITY;
ALTER TABLE membership_outlets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON membership_outlets
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON membership_outlets AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON invitations
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON invitations AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
