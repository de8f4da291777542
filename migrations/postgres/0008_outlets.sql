-- Outlets: a tenant's physical locations (PRODUCT.md §5). `hours` is the weekly opening
-- hours as JSON text ({"monday": [{"open": "09:00", "close": "17:00"}], …}). A tenant table
-- under the two tenant policies. Mirrors migrations/sqlite/0008_outlets.sql.
CREATE TABLE outlets (
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          uuid        NOT NULL,
    name        text        NOT NULL,
    address     text,
    city        text,
    postal_code text,
    country     text,
    phone       text,
    timezone    text        NOT NULL,
    hours       text        NOT NULL,
    is_active   boolean     NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outlets__created_at_idx ON outlets (tenant_id, created_at);
ALTER TABLE outlets ENABLE ROW LEVEL SECURITY;
ALTER TABLE outlets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON outlets
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON outlets AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
