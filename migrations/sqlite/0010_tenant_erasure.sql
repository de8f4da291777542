-- A tenant's owner may delete the workspace: its data is erased once `erase_after` (30 days
-- after the request) has passed, unless the deletion is cancelled first. Mirrors
-- migrations/postgres/0010_tenant_erasure.sql.
ALTER TABLE tenants ADD COLUMN erase_after TEXT;
CREATE INDEX tenants__erase_after_idx ON tenants (erase_after) WHERE erase_after IS NOT NULL;
