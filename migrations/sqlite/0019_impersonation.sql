-- Audited impersonation (PRODUCT.md §8): a super admin acting as a tenant admin for a
-- limited time. Each row is one such visit; the portal session that carries it is valid only
-- while its row is neither ended nor expired. Mirrors migrations/postgres/0019_impersonation.sql.
CREATE TABLE impersonations (
    id         BLOB PRIMARY KEY NOT NULL,
    admin_id   BLOB NOT NULL REFERENCES users (id),
    -- Not `tenant_id`: this is a platform table (that column name marks tenant tables).
    tenant     BLOB NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    member_id  BLOB NOT NULL REFERENCES users (id),
    started_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at   TEXT
) STRICT;
CREATE INDEX impersonations__admin_idx ON impersonations (admin_id, started_at);

-- Who an entry's actor acted for: the member a super admin was impersonating, else NULL.
ALTER TABLE audit_log ADD COLUMN on_behalf_of BLOB;
