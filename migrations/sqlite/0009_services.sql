-- The service catalog (PRODUCT.md §10): what a tenant sells, tenant-wide (`outlet_id` NULL)
-- or at one outlet. Prices in the currency's minor unit. Deleting an outlet removes its own
-- services. Mirrors migrations/postgres/0009_services.sql.
CREATE TABLE services (
    tenant_id        BLOB    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id               BLOB    NOT NULL,
    outlet_id        BLOB,
    name             TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    category         TEXT,
    description      TEXT,
    price_cents      INTEGER NOT NULL CHECK (price_cents >= 0),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    is_active        INTEGER NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX services__name_idx ON services (tenant_id, name_key);
CREATE INDEX services__outlet_idx ON services (tenant_id, outlet_id);
