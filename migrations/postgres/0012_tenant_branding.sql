-- Each tenant's branding (PRODUCT.md §4): its portal's colours and logo, one row per tenant,
-- written on the first change (until then the defaults apply). The logo is kept here, so
-- every instance serves it. A tenant table under the two tenant policies. Mirrors
-- migrations/sqlite/0012_tenant_branding.sql.
CREATE TABLE tenant_branding (
    tenant_id       uuid        PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
    primary_color   text        NOT NULL,
    secondary_color text        NOT NULL,
    accent_color    text        NOT NULL,
    logo_type       text        CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
    logo            bytea,
    updated_at      timestamptz NOT NULL
);
ALTER TABLE tenant_branding ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_branding FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON tenant_branding
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON tenant_branding AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
