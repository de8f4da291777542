-- Each tenant's settings (PRODUCT.md §4): one row per tenant, written on the first change
-- (until then the defaults apply). Templates are JSON arrays of strings, kept as text so both
-- databases read them alike. A tenant table under the two tenant policies. Mirrors
-- migrations/sqlite/0007_tenant_settings.sql.
CREATE TABLE tenant_settings (
    tenant_id                  uuid        PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    timezone                   text        NOT NULL,
    currency                   text        NOT NULL,
    language                   text        NOT NULL,
    staff_position_templates   text        NOT NULL,
    service_category_templates text        NOT NULL,
    booking_advance_days       bigint      NOT NULL,
    cancellation_hours         bigint      NOT NULL,
    wallet_enabled             boolean     NOT NULL,
    loyalty_points_enabled     boolean     NOT NULL,
    updated_at                 timestamptz NOT NULL
);
ALTER TABLE tenant_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON tenant_settings
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON tenant_settings AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
