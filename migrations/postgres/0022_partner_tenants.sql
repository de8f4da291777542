-- Which partner key provisioned each tenant (PRODUCT.md §9): a key reaches only the tenants
-- it made, unless it has the scope `tenant:all`. NULL for a tenant made another way (a
-- registration, a super admin). Set in the transaction that creates the tenant through the
-- provisioning API; nothing changes it afterwards. Mirrors
-- migrations/sqlite/0022_partner_tenants.sql.
--
-- Grants: oikos_grant_app, run by the owner at every start, reads each table's columns from
-- the catalog, so the application's role can read and write the new column with no change
-- here. Row-level security: the tenants policies cover the whole row (a tenant transaction
-- writes only its own tenant's row), and the foreign key's check on api_keys is exempt from
-- row security, as every such check is.
ALTER TABLE tenants ADD COLUMN provisioned_by_key uuid REFERENCES api_keys (id) ON DELETE SET NULL;
CREATE INDEX tenants__provisioned_by_key_idx ON tenants (provisioned_by_key);

-- Tenants provisioned before this migration: their key is named in the tenant's own
-- `tenant.registered` audit entry (detail `{"api_key_id":"<uuid>"}`, as serde_json writes
-- it), so partners keep reaching the tenants they made. The audit log's row-level security,
-- forced even on the owner, is lifted for this transaction only.
ALTER TABLE audit_log NO FORCE ROW LEVEL SECURITY;
UPDATE tenants t SET provisioned_by_key = k.id
  FROM audit_log a, api_keys k
 WHERE a.tenant_id = t.id AND a.action = 'tenant.registered'
   AND a.detail LIKE '%"api_key_id":"' || k.id::text || '"%';
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
