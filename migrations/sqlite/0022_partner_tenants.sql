-- Which partner key provisioned each tenant (PRODUCT.md §9): a key reaches only the tenants
-- it made, unless it has the scope `tenant:all`. NULL for a tenant made another way (a
-- registration, a super admin). Set in the transaction that creates the tenant through the
-- provisioning API; nothing changes it afterwards. Mirrors
-- migrations/postgres/0022_partner_tenants.sql.
ALTER TABLE tenants ADD COLUMN provisioned_by_key BLOB REFERENCES api_keys (id) ON DELETE SET NULL;
CREATE INDEX tenants__provisioned_by_key_idx ON tenants (provisioned_by_key);

-- Tenants provisioned before this migration: their key is named in the tenant's own
-- `tenant.registered` audit entry (detail `{"api_key_id":"<uuid>"}`), so partners keep
-- reaching the tenants they made. Ids are stored as 16 bytes; the entry has them as text.
UPDATE tenants SET provisioned_by_key = (
    SELECT k.id FROM audit_log a JOIN api_keys k
        ON lower(hex(k.id)) = replace(CASE WHEN json_valid(a.detail)
                                           THEN json_extract(a.detail, '$.api_key_id') END, '-', '')
     WHERE a.tenant_id = tenants.id AND a.action = 'tenant.registered'
     LIMIT 1);
