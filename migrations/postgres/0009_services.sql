-- The service catalog (PRODUCT.md §10): what a tenant sells, tenant-wide (`outlet_id` NULL)
-- or at one outlet. Prices in the currency's minor unit. Deleting an outlet removes its own
-- services. A tenant table under the two tenant policies. Mirrors
-- migrations/sqlite/0009_services.sql.
CREATE TABLE services (
    tenant_id        uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id               uuid        NOT NULL,
    outlet_id        uuid,
    name             text        NOT NULL,
    name_key         text        NOT NULL,
    category         text,
    description      text,
    price_cents      bigint      NOT NULL CHECK (price_cents >= 0),
    duration_minutes integer     NOT NULL CHECK (duration_minutes > 0),
    is_active        boolean     NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX services__name_idx ON services (tenant_id, name_key);
CREATE INDEX services__outlet_idx ON services (tenant_id, outlet_id);
ALTER TABLE services ENABLE ROW LEVEL SECURITY;
ALTER TABLE services FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON services
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON services AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
