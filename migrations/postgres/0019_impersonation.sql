-- Audited impersonation (PRODUCT.md §8): a super admin acting as a tenant admin for a
-- limited time. Each row is one such visit; the portal session that carries it is valid only
-- while its row is neither ended nor expired. A platform table the application never deletes
-- from (oikos_grant_app gives it no DELETE). Mirrors migrations/sqlite/0019_impersonation.sql.
CREATE TABLE impersonations (
    id         uuid        PRIMARY KEY NOT NULL,
    admin_id   uuid        NOT NULL REFERENCES users (id),
    -- Not `tenant_id`: this is a platform table (that column name marks tenant tables).
    tenant     uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    member_id  uuid        NOT NULL REFERENCES users (id),
    started_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    ended_at   timestamptz
);
CREATE INDEX impersonations__admin_idx ON impersonations (admin_id, started_at);
ALTER TABLE impersonations ENABLE ROW LEVEL SECURITY;
ALTER TABLE impersonations FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON impersonations USING (true) WITH CHECK (true);

-- Who an entry's actor acted for: the member a super admin was impersonating, else NULL.
ALTER TABLE audit_log ADD COLUMN on_behalf_of uuid;
