-- Outlets: a tenant's physical locations (PRODUCT.md §5). `hours` is the weekly opening
-- hours as JSON ({"monday": [{"open": "09:00", "close": "17:00"}], …}). Mirrors
-- migrations/postgres/0008_outlets.sql.
CREATE TABLE outlets (
    tenant_id   BLOB    NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    id          BLOB    NOT NULL,
    name        TEXT    NOT NULL,
    address     TEXT,
    city        TEXT,
    postal_code TEXT,
    country     TEXT,
    phone       TEXT,
    timezone    TEXT    NOT NULL,
    hours       TEXT    NOT NULL,
    is_active   INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX outlets__created_at_idx ON outlets (tenant_id, created_at);
